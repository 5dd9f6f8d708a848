import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, data } from "../api/client";
import { errorMessage } from "../api/error";
import { checkEmail } from "../lib/validate";
import { Alert } from "./Alert";
import { Button } from "./Button";
import { TextField } from "./TextField";

/**
 * ResendVerification sends a new verification link (POST
 * /api/v1/verify/resend). Given an email it is one button; without, it
 * asks for the address. The API answers the same whatever it did, so
 * neither does this say whether the address has an account.
 */
export function ResendVerification({ email: knownEmail }: { email?: string }) {
  const [email, setEmail] = useState("");
  const [error, setError] = useState<string>();
  const resend = useMutation({
    mutationFn: (address: string) => data(api.POST("/api/v1/verify/resend", { body: { email: address } })),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = knownEmail ?? email.trim();
    const problem = knownEmail ? undefined : checkEmail(address);
    setError(problem);
    if (!problem) {
      resend.mutate(address);
    }
  }

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-3">
      {resend.isSuccess && (
        <Alert tone="success">
          If this address still needs confirming, a new link is on its way. We send at most 3 an hour.
        </Alert>
      )}
      {resend.isError && <Alert tone="error">{errorMessage(resend.error)}</Alert>}
      {!knownEmail && (
        <TextField
          label="Your email address"
          name="email"
          type="email"
          autoComplete="email"
          required
          value={email}
          error={error}
          onChange={(event) => {
            setEmail(event.target.value);
            setError(undefined);
          }}
        />
      )}
      <Button type="submit" tone="secondary" pending={resend.isPending} className="self-start">
        {resend.isPending ? "Sending…" : knownEmail ? "Send the link again" : "Send a new link"}
      </Button>
    </form>
  );
}
