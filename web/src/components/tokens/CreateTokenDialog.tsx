import { type FormEvent, useId, useState } from "react";
import { api, data } from "../../api/client";
import { errorMessage } from "../../api/error";
import { useApiMutation } from "../../api/mutation";
import { queryKeys } from "../../api/queryKeys";
import type { components } from "../../api/schema";
import { checkRequired } from "../../lib/validate";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { Modal } from "../Dialog";
import { SelectField } from "../SelectField";
import { TextField } from "../TextField";
import { type ExpiryChoice, expiresAt, expiryChoices } from "./expiry";

type CreatedToken = components["schemas"]["CreatedToken"];

/**
 * CreateTokenDialog creates a personal access token (POST
 * /api/v1/tokens), then shows it, this once, with a button that copies
 * it. The dialog does not close by accident while the token is shown,
 * and forgets it when it closes.
 */
export function CreateTokenDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const [created, setCreated] = useState<CreatedToken>();
  const close = (next: boolean) => {
    if (!next) {
      setCreated(undefined);
    }
    onOpenChange(next);
  };
  return (
    <Modal
      open={open}
      onOpenChange={close}
      title={created ? "Copy your new token" : "Create an access token"}
      description={
        created
          ? undefined
          : "The aegis CLI and your scripts send it as Authorization: Bearer, and act as you, with your role."
      }
      dismissible={!created}
    >
      {created ? (
        <ShowOnce token={created.token} onDone={() => close(false)} />
      ) : (
        <CreateForm onCreated={setCreated} onCancel={() => close(false)} />
      )}
    </Modal>
  );
}

function CreateForm({ onCreated, onCancel }: { onCreated: (token: CreatedToken) => void; onCancel: () => void }) {
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState<ExpiryChoice>("90");
  const [date, setDate] = useState("");
  const [errors, setErrors] = useState<{ name?: string; date?: string }>({});
  const create = useApiMutation({
    mutationFn: (body: { name: string; expires_at?: string }) => data(api.POST("/api/v1/tokens", { body })),
    invalidates: [queryKeys.tokens],
    onSuccess: onCreated,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmed = name.trim();
    const until = expiresAt(expiry, date);
    const found = {
      name:
        checkRequired(name, "Name the token after what uses it, e.g. CI deploys.") ??
        (trimmed.length > 80 ? "Use at most 80 characters." : undefined),
      date: until.error,
    };
    setErrors(found);
    if (!found.name && !found.date) {
      create.mutate({ name: trimmed, ...(until.expiresAt ? { expires_at: until.expiresAt } : {}) });
    }
  }

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-4">
      {create.isError && <Alert tone="error">{errorMessage(create.error)}</Alert>}
      <TextField
        label="Name"
        name="name"
        autoComplete="off"
        required
        maxLength={80}
        value={name}
        error={errors.name}
        hint="What the token is for, so you know which to revoke."
        onChange={(event) => {
          setName(event.target.value);
          setErrors((current) => ({ ...current, name: undefined }));
        }}
      />
      <SelectField
        label="Expires"
        name="expiry"
        value={expiry}
        onChange={(event) => {
          setExpiry(event.target.value as ExpiryChoice);
          setErrors((current) => ({ ...current, date: undefined }));
        }}
      >
        {expiryChoices.map((choice) => (
          <option key={choice.value} value={choice.value}>
            {choice.label}
          </option>
        ))}
      </SelectField>
      {expiry === "date" && (
        <TextField
          label="Expiry date"
          name="expires_on"
          type="date"
          required
          value={date}
          error={errors.date}
          hint="The token stops working at the start of this day."
          onChange={(event) => {
            setDate(event.target.value);
            setErrors((current) => ({ ...current, date: undefined }));
          }}
        />
      )}
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button tone="secondary" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" pending={create.isPending}>
          {create.isPending ? "Creating…" : "Create token"}
        </Button>
      </div>
    </form>
  );
}

/** ShowOnce shows a new token, the one time it can be seen, and copies it. */
function ShowOnce({ token, onDone }: { token: string; onDone: () => void }) {
  const [copied, setCopied] = useState<"yes" | "failed">();
  const id = useId();

  async function copy() {
    try {
      await navigator.clipboard.writeText(token);
      setCopied("yes");
    } catch {
      setCopied("failed");
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <Alert tone="info" title="This is the only time the token is shown">
        Copy it now and keep it somewhere safe, such as a password manager or your CI's secrets. Aegis keeps only a
        hash of it: if you lose it, revoke it and create another.
      </Alert>
      <div>
        <label htmlFor={id} className="block text-sm font-medium text-slate-800">
          Your new token
        </label>
        <div className="mt-1 flex gap-2">
          <input
            id={id}
            readOnly
            value={token}
            spellCheck={false}
            onFocus={(event) => event.target.select()}
            className="block w-full min-w-0 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900"
          />
          <Button tone="secondary" className="shrink-0" onClick={() => void copy()}>
            Copy
          </Button>
        </div>
      </div>
      <p role="status" className="min-h-5 text-sm text-slate-700">
        {copied === "yes" && "Copied to the clipboard."}
        {copied === "failed" && "Could not copy: select the token and copy it yourself."}
      </p>
      <div className="flex justify-end">
        <Button onClick={onDone}>I have copied it</Button>
      </div>
    </div>
  );
}
