import { useId, useRef, useState } from "react";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { copyText } from "./copy";

/**
 * SecretReveal shows a new API key, the one time it is shown: a warning
 * that it will not be shown again, the key in a read-only field, and a
 * button that copies it.
 */
export function SecretReveal({ secret }: { secret: string }) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<"yes" | "no" | undefined>();

  async function copy() {
    setCopied((await copyText(secret, input.current)) ? "yes" : "no");
  }

  return (
    <div className="flex flex-col gap-3">
      <Alert tone="info" title="Copy this key now: it will not be shown again">
        Aegis keeps only a hash of it. If it is lost, rotate the key to get a new one.
      </Alert>
      <div>
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          API key
        </label>
        <div className="mt-1 flex gap-2">
          <input
            id={id}
            ref={input}
            readOnly
            value={secret}
            spellCheck={false}
            onFocus={(event) => event.target.select()}
            className="block w-full min-w-0 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900"
          />
          <Button tone="secondary" className="shrink-0" aria-label="Copy the API key" onClick={() => void copy()}>
            Copy
          </Button>
        </div>
        <p role="status" className="mt-1 min-h-5 text-sm text-slate-700">
          {copied === "yes" && "Copied to the clipboard."}
          {copied === "no" && "Could not copy it: the key is selected, copy it with your keyboard (Ctrl+C or ⌘C)."}
        </p>
      </div>
    </div>
  );
}
