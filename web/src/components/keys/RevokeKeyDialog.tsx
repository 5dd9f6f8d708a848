import { api, data } from "../../api/client";
import { useApiMutation } from "../../api/mutation";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { ConfirmDialog, Modal } from "../Dialog";
import { type ApiKey, keysChangedBy } from "./keyQueries";
import { propagationText } from "./propagation";

/**
 * RevokeKeyDialog asks before it revokes a key (DELETE
 * /api/v1/api-keys/{id}?wait=propagated), then says how many gateway
 * nodes had applied the revocation when the API answered.
 */
export function RevokeKeyDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const revoke = useApiMutation({
    mutationFn: () =>
      data(
        api.DELETE("/api/v1/api-keys/{id}", {
          params: { path: { id: apiKey.key_id }, query: { wait: "propagated" } },
        }),
      ),
    invalidates: keysChangedBy(apiKey.app_id),
  });

  if (revoke.data) {
    return (
      <Modal open onOpenChange={(open) => !open && onClose()} title={`“${apiKey.name}” is revoked`}>
        <Alert tone="success" title="Key revoked">
          {propagationText(revoke.data.propagated) || "Every secret of the key stops working."}
        </Alert>
        <div className="flex justify-end">
          <Button onClick={onClose}>Done</Button>
        </div>
      </Modal>
    );
  }

  return (
    <ConfirmDialog
      open
      onOpenChange={(open) => !open && onClose()}
      title={`Revoke “${apiKey.name}”?`}
      description={
        <>
          Every secret of <code className="font-mono">{apiKey.masked}</code> stops working at once, on every gateway node.
          A revoked key cannot be used again.
        </>
      }
      confirmLabel="Revoke key"
      pendingLabel="Revoking…"
      pending={revoke.isPending}
      error={revoke.error}
      onConfirm={() => revoke.mutate()}
    />
  );
}
