import { type FormEvent, useState } from "react";
import { useNavigate } from "react-router";
import { api, data } from "../../api/client";
import { errorMessage } from "../../api/error";
import { useApiMutation } from "../../api/mutation";
import { queryKeys } from "../../api/queryKeys";
import { Alert } from "../../components/Alert";
import type { App } from "../../components/apps/appQueries";
import { Button } from "../../components/Button";
import { Modal } from "../../components/Dialog";
import { TextField } from "../../components/TextField";

/**
 * DeleteAppDialog deletes an app (DELETE /api/v1/apps/{id}) once its slug
 * is typed, then goes to the list of apps.
 */
export function DeleteAppDialog({ app, onClose }: { app: App; onClose: () => void }) {
  const navigate = useNavigate();
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string>();
  const remove = useApiMutation({
    mutationFn: () => data(api.DELETE("/api/v1/apps/{id}", { params: { path: { id: app.app_id } } })),
    invalidates: [queryKeys.apps, queryKeys.apiKeys],
    successToast: `${app.config.name} was deleted`,
    onSuccess: () => navigate("/apps", { replace: true }),
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (typed.trim() !== app.config.slug) {
      setError(`Type ${app.config.slug} to confirm.`);
      return;
    }
    remove.mutate();
  }

  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Delete ${app.config.name}?`}
      description={
        "The gateway stops serving it, its slug and routes are freed for any app, and its API keys stop working " +
        "for good. This cannot be undone."
      }
    >
      <form noValidate onSubmit={submit} className="flex flex-col gap-4">
        {remove.isError && <Alert tone="error">{errorMessage(remove.error)}</Alert>}
        <TextField
          label={`Type ${app.config.slug} to confirm`}
          name="confirm"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          value={typed}
          error={error}
          onChange={(event) => {
            setTyped(event.target.value);
            setError(undefined);
          }}
        />
        <div className="flex flex-wrap justify-end gap-3">
          <Button tone="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" tone="danger" pending={remove.isPending}>
            {remove.isPending ? "Deleting…" : "Delete app"}
          </Button>
        </div>
      </form>
    </Modal>
  );
}
