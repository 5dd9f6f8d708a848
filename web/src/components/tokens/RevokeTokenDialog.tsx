import { useState } from "react";
import { api, data } from "../../api/client";
import { useApiMutation } from "../../api/mutation";
import { queryKeys } from "../../api/queryKeys";
import { ConfirmDialog } from "../Dialog";
import type { Token } from "./useTokens";

/**
 * RevokeTokenDialog asks before revoking a token (DELETE
 * /api/v1/tokens/{id}), and shows the API's message if it refuses.
 */
export function RevokeTokenDialog({
  token,
  onOpenChange,
}: {
  token: Token | undefined;
  onOpenChange: (open: boolean) => void;
}) {
  // The token stays named while the dialog closes.
  const [shown, setShown] = useState(token);
  if (token !== undefined && token !== shown) {
    setShown(token);
  }
  const target = token ?? shown;
  const revoke = useApiMutation({
    // It resolves with the token, for the toast.
    mutationFn: (gone: Token) =>
      data(api.DELETE("/api/v1/tokens/{id}", { params: { path: { id: gone.token_id } } })).then(() => gone),
    invalidates: [queryKeys.tokens],
    successToast: (gone) => `Token ${gone.name} revoked`,
    onSuccess: () => onOpenChange(false),
  });

  return (
    <ConfirmDialog
      open={token !== undefined}
      onOpenChange={(open) => {
        if (!open) {
          revoke.reset();
        }
        onOpenChange(open);
      }}
      title={`Revoke ${target?.name ?? "this token"}?`}
      description={
        <p>
          Anything using the token <code className="font-mono">{target?.prefix}…</code>, the aegis CLI or a script,
          stops working at once. This cannot be undone.
        </p>
      }
      confirmLabel="Revoke token"
      pendingLabel="Revoking…"
      pending={revoke.isPending}
      error={revoke.error ?? undefined}
      onConfirm={() => target && revoke.mutate(target)}
    />
  );
}
