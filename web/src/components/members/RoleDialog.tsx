import { type FormEvent, useState } from "react";
import { api, data } from "../../api/client";
import { errorMessage } from "../../api/error";
import { useApiMutation } from "../../api/mutation";
import type { Profile } from "../../api/queries";
import { queryKeys } from "../../api/queryKeys";
import { isRole, type Role, roleLabel } from "../../lib/roles";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { Modal } from "../Dialog";
import { SelectField } from "../SelectField";
import { assignableRoles } from "./permissions";
import type { Member } from "./useMembers";

/**
 * RoleDialog gives a member, or a pending invitation, another role
 * (PATCH /api/v1/members/{id}). Their sessions and tokens act with it at
 * once; the API's message is shown if it refuses.
 */
export function RoleDialog({
  me,
  member,
  onOpenChange,
}: {
  me: Profile;
  member: Member | undefined;
  onOpenChange: (open: boolean) => void;
}) {
  return (
    <Modal
      open={member !== undefined}
      onOpenChange={onOpenChange}
      title="Change role"
      description={member && `Choose what ${member.email} can do in this account.`}
    >
      {member && <RoleForm me={me} member={member} onDone={() => onOpenChange(false)} />}
    </Modal>
  );
}

function RoleForm({ me, member, onDone }: { me: Profile; member: Member; onDone: () => void }) {
  const choices = assignableRoles(me);
  const [role, setRole] = useState<Role>(isRole(member.role) ? member.role : "viewer");
  const change = useApiMutation({
    // It resolves with the new role, for the toast.
    mutationFn: (next: Role) =>
      data(api.PATCH("/api/v1/members/{id}", { params: { path: { id: member.member_id } }, body: { role: next } })).then(
        () => next,
      ),
    invalidates: [queryKeys.members],
    successToast: (next) => `${member.email} is now ${roleLabel(next)}`,
    onSuccess: onDone,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (role === member.role) {
      onDone();
      return;
    }
    change.mutate(role);
  }

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-4">
      {change.isError && <Alert tone="error">{errorMessage(change.error)}</Alert>}
      <SelectField label="Role" name="role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
        {choices.map((choice) => (
          <option key={choice} value={choice}>
            {roleLabel(choice)}
          </option>
        ))}
      </SelectField>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button tone="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" pending={change.isPending}>
          {change.isPending ? "Saving…" : "Save role"}
        </Button>
      </div>
    </form>
  );
}
