import { type FormEvent, useState } from "react";
import { api, data } from "../../api/client";
import { errorMessage } from "../../api/error";
import { useApiMutation } from "../../api/mutation";
import type { Profile } from "../../api/queries";
import { queryKeys } from "../../api/queryKeys";
import { type Role, roleLabel } from "../../lib/roles";
import { checkEmail } from "../../lib/validate";
import { Alert } from "../Alert";
import { Button } from "../Button";
import { Modal } from "../Dialog";
import { SelectField } from "../SelectField";
import { TextField } from "../TextField";
import { assignableRoles } from "./permissions";

/**
 * InviteDialog invites a person by email with a role (POST
 * /api/v1/members). The API emails them a link that works for 7 days; the
 * invitation is listed at once, and its message is shown if it refuses.
 */
export function InviteDialog({ me, open, onOpenChange }: { me: Profile; open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Modal
      open={open}
      onOpenChange={onOpenChange}
      title="Invite a member"
      description="We email them a link to join your team. It works once, for 7 days."
    >
      <InviteForm me={me} onDone={() => onOpenChange(false)} />
    </Modal>
  );
}

function InviteForm({ me, onDone }: { me: Profile; onDone: () => void }) {
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("developer");
  const [emailError, setEmailError] = useState<string>();
  const invite = useApiMutation({
    // It resolves with the address, for the toast.
    mutationFn: (body: { email: string; role: Role }) =>
      data(api.POST("/api/v1/members", { body })).then(() => body.email),
    invalidates: [queryKeys.members],
    successToast: (address) => `Invitation sent to ${address}`,
    onSuccess: onDone,
  });

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const problem = checkEmail(email);
    setEmailError(problem === "Enter your email address." ? "Enter their email address." : problem);
    if (!problem) {
      invite.mutate({ email: email.trim(), role });
    }
  }

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-4">
      {invite.isError && <Alert tone="error">{errorMessage(invite.error)}</Alert>}
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="off"
        required
        value={email}
        error={emailError}
        onChange={(event) => {
          setEmail(event.target.value);
          setEmailError(undefined);
        }}
      />
      <SelectField
        label="Role"
        name="role"
        value={role}
        onChange={(event) => setRole(event.target.value as Role)}
        hint={roleHint(me)}
      >
        {assignableRoles(me).map((choice) => (
          <option key={choice} value={choice}>
            {roleLabel(choice)}
          </option>
        ))}
      </SelectField>
      <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
        <Button tone="secondary" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" pending={invite.isPending}>
          {invite.isPending ? "Sending…" : "Send invitation"}
        </Button>
      </div>
    </form>
  );
}

function roleHint(me: Profile): string {
  const base = "Viewers see everything; developers also change apps and API keys; admins also manage members and settings.";
  return me.role === "owner" ? `${base} Owners can do everything.` : `${base} Only an owner can invite an owner.`;
}
