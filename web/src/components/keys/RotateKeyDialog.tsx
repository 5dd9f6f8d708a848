import { type FormEvent, useState } from "react";
import { api, data } from "../../api/client";
import { errorMessage } from "../../api/error";
import { useApiMutation } from "../../api/mutation";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { Modal } from "../Dialog";
import { SelectField } from "../SelectField";
import { formatDateTime } from "../../lib/time";
import { type ApiKey, keysChangedBy } from "./keyQueries";
import { propagationText } from "./propagation";
import { SecretReveal } from "./SecretReveal";

/** graces are the grace periods offered, in seconds (at most 30 days). */
const graces = [
  { seconds: 0, label: "None: the old secret stops at once" },
  { seconds: 3_600, label: "1 hour" },
  { seconds: 86_400, label: "24 hours" },
  { seconds: 7 * 86_400, label: "7 days" },
  { seconds: 30 * 86_400, label: "30 days" },
] as const;

/**
 * RotateKeyDialog gives a key a new secret (POST
 * /api/v1/api-keys/{id}/rotate?wait=propagated), keeping the old one
 * working for the grace period chosen, then shows the new secret once and
 * how far the change reached the gateway nodes.
 */
export function RotateKeyDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const [grace, setGrace] = useState("86400");
  const rotate = useApiMutation({
    mutationFn: (graceSeconds: number) =>
      data(
        api.POST("/api/v1/api-keys/{id}/rotate", {
          params: { path: { id: apiKey.key_id }, query: { wait: "propagated" } },
          body: { grace_seconds: graceSeconds },
        }),
      ),
    invalidates: keysChangedBy(apiKey.app_id),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rotate.mutate(Number(grace));
  }

  if (rotate.data) {
    const seconds = rotate.variables ?? 0;
    const until = formatDateTime(new Date(rotate.submittedAt + seconds * 1000).toISOString());
    return (
      <Modal open onOpenChange={(open) => !open && onClose()} title={`New secret for “${apiKey.name}”`} dismissible={false}>
        <SecretReveal secret={rotate.data.key} />
        <p className="text-sm text-slate-700">
          {seconds > 0
            ? `The old secret keeps working until about ${until}.`
            : "The old secret has stopped working."}{" "}
          {propagationText(rotate.data.propagated)}
        </p>
        <div className="flex justify-end">
          <Button onClick={onClose}>I have copied the key</Button>
        </div>
      </Modal>
    );
  }

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Rotate “${apiKey.name}”`}
      description={
        <>
          The key <code className="font-mono">{apiKey.masked}</code> gets a new secret, shown once. Its name, scopes and
          limits stay.
        </>
      }
    >
      <form noValidate onSubmit={submit} className="flex flex-col gap-4">
        {rotate.isError && <Alert tone="error">{errorMessage(rotate.error)}</Alert>}
        <SelectField
          label="Grace period"
          name="grace_seconds"
          value={grace}
          hint="How long the old secret keeps working, so that your clients can move to the new one."
          onChange={(event) => setGrace(event.target.value)}
        >
          {graces.map((one) => (
            <option key={one.seconds} value={one.seconds}>
              {one.label}
            </option>
          ))}
        </SelectField>
        <div className="flex flex-wrap justify-end gap-3">
          <Button tone="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" pending={rotate.isPending}>
            {rotate.isPending ? "Rotating…" : "Rotate key"}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
