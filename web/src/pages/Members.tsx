import { useState } from "react";
import { Button } from "../components/Button";
import { EmptyState } from "../components/EmptyState";
import { ErrorState } from "../components/ErrorState";
import { LoadingState } from "../components/LoadingState";
import { InviteDialog } from "../components/members/InviteDialog";
import { MemberList } from "../components/members/MemberList";
import { canInvite } from "../components/members/permissions";
import { RemoveMemberDialog } from "../components/members/RemoveMemberDialog";
import { RoleDialog } from "../components/members/RoleDialog";
import { type Member, useMembers } from "../components/members/useMembers";
import { PageHeader } from "../components/PageHeader";
import { useProfile } from "../components/RequireAuth";
import { roleLabel } from "../lib/roles";

/**
 * MembersPage lists the customer's members and invitations (GET
 * /api/v1/members). Admins and owners invite people by email, change
 * roles and remove members; the others see the list only. The admin API
 * checks every rule again and its message is shown when it refuses.
 */
export function MembersPage() {
  const me = useProfile();
  const members = useMembers();
  const [inviting, setInviting] = useState(false);
  const [changing, setChanging] = useState<Member>();
  const [removing, setRemoving] = useState<Member>();
  const mayInvite = canInvite(me);

  return (
    <>
      <PageHeader
        title="Members"
        description="The people who can sign in to this dashboard, their roles, and pending invitations."
        actions={mayInvite && <Button onClick={() => setInviting(true)}>Invite member</Button>}
      />
      {!mayInvite && (
        <p className="mb-4 text-sm text-slate-600">
          You are a {roleLabel(me.role).toLowerCase()}: only admins and owners invite members and change roles.
        </p>
      )}
      {members.isPending ? (
        <LoadingState label="Loading members…" />
      ) : members.isError ? (
        <ErrorState title="Could not load the members" error={members.error} onRetry={() => void members.refetch()} />
      ) : (members.data.members ?? []).length === 0 ? (
        <EmptyState title="No members yet" description="Invite the people who work on your APIs." />
      ) : (
        <MemberList
          me={me}
          members={members.data.members ?? []}
          onChangeRole={setChanging}
          onRemove={setRemoving}
        />
      )}
      {mayInvite && <InviteDialog me={me} open={inviting} onOpenChange={setInviting} />}
      <RoleDialog me={me} member={changing} onOpenChange={(open) => !open && setChanging(undefined)} />
      <RemoveMemberDialog member={removing} onOpenChange={(open) => !open && setRemoving(undefined)} />
    </>
  );
}
