import { useState } from "react";
import { Button } from "./Button";
import { TextField, type TextFieldProps } from "./TextField";

/**
 * PasswordField is a password input with a button that shows what was
 * typed, for people who cannot see the dots well or type on a phone.
 */
export function PasswordField(props: Omit<TextFieldProps, "type" | "trailing">) {
  const [shown, setShown] = useState(false);
  return (
    <TextField
      {...props}
      type={shown ? "text" : "password"}
      spellCheck={false}
      autoCapitalize="off"
      trailing={
        <Button
          tone="secondary"
          aria-label={shown ? "Hide password" : "Show password"}
          onClick={() => setShown(!shown)}
          className="shrink-0"
        >
          {shown ? "Hide" : "Show"}
        </Button>
      }
    />
  );
}
