import { useState } from "react";
import { api, data } from "../../api/client";
import { useApiMutation } from "../../api/mutation";
import { queryKeys } from "../../api/queryKeys";
import { ConfirmDialog } from "../Dialog";
import type { Member } from "./useMembers";

/**
 * RemoveMemberDialog asks before removing a member, or withdrawing a
 * pending invitation (DELETE /api/v1/members/{id}), and shows the API's
 * message if it refuses.
 */
export function RemoveMemberDialog({
  member,
  onOpenChange,
}: {
  member: Member | undefined;
  onOpenChange: (open: boolean) => void;
}) {
  // The member stays named while the dialog closes.
  const [shown, setShown] = useState(member);
  if (member !== undefined && member !== shown) {
    setShown(member);
  }
  const target = member ?? shown;
  const invited = target?.status === "invited";
  const remove = useApiMutation({
    // It resolves with the member, for the toast.
    mutationFn: (gone: Member) =>
      data(api.DELETE("/api/v1/members/{id}", { params: { path: { id: gone.member_id } } })).then(() => gone),
    invalidates: [queryKeys.members],
    successToast: (gone) =>
      gone.status === "invited" ? `Invitation to ${gone.email} withdrawn` : `${gone.email} removed`,
    onSuccess: () => onOpenChange(false),
  });

  return (
    <ConfirmDialog
      open={member !== undefined}
      onOpenChange={(open) => {
        if (!open) {
          remove.reset();
        }
        onOpenChange(open);
      }}
      title={invited ? `Withdraw the invitation to ${target?.email}?` : `Remove ${target?.email}?`}
      description={
        invited ? (
          <p>The link in their invitation email stops working. You can invite them again later.</p>
        ) : (
          <p>
            They lose access at once: their sessions end and their access tokens are revoked. What they did stays in
            the audit log.
          </p>
        )
      }
      confirmLabel={invited ? "Withdraw invitation" : "Remove member"}
      pendingLabel={invited ? "Withdrawing…" : "Removing…"}
      pending={remove.isPending}
      error={remove.error ?? undefined}
      onConfirm={() => target && remove.mutate(target)}
    />
  );
}
