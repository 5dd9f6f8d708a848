import type { Profile } from "../../api/queries";
import { roleLabel } from "../../lib/roles";
import { formatDate } from "../../lib/time";
import { Badge } from "../Badge";
import { Button } from "../Button";
import { canManage } from "./permissions";
import type { Member } from "./useMembers";

/** The columns of a row on wide screens: member, role, added, actions. */
const columns = "md:grid md:grid-cols-[minmax(0,1fr)_8rem_9rem_15rem] md:gap-4";

/**
 * MemberList lists the members and invitations: a row each on wide
 * screens, a card each on narrow ones. The buttons to change a role or
 * remove someone show only where the signed-in member may use them.
 */
export function MemberList({
  me,
  members,
  onChangeRole,
  onRemove,
}: {
  me: Profile;
  members: Member[];
  onChangeRole: (member: Member) => void;
  onRemove: (member: Member) => void;
}) {
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white">
      <div
        aria-hidden="true"
        className={
          "hidden border-b border-slate-200 bg-slate-50 px-4 py-2 text-xs font-semibold tracking-wide " +
          "text-slate-600 uppercase " +
          columns
        }
      >
        <span>Member</span>
        <span>Role</span>
        <span>Added</span>
        <span className="text-right">Actions</span>
      </div>
      <ul aria-label="Members" className="divide-y divide-slate-200">
        {members.map((member) => (
          <MemberRow
            key={member.member_id}
            me={me}
            member={member}
            onChangeRole={() => onChangeRole(member)}
            onRemove={() => onRemove(member)}
          />
        ))}
      </ul>
    </div>
  );
}

function MemberRow({
  me,
  member,
  onChangeRole,
  onRemove,
}: {
  me: Profile;
  member: Member;
  onChangeRole: () => void;
  onRemove: () => void;
}) {
  const self = member.member_id === me.member_id;
  const invited = member.status === "invited";
  const manage = canManage(me, member);
  return (
    <li className={"flex flex-col gap-2 px-4 py-3 text-sm md:items-center " + columns}>
      <div className="flex min-w-0 flex-wrap items-center gap-2">
        <span className="truncate font-medium text-slate-900">{member.email}</span>
        {self && <Badge tone="info">You</Badge>}
        {invited ? <Badge tone="warning">Invited</Badge> : <Badge tone="success">Active</Badge>}
      </div>
      <div className="text-slate-700">
        <span className="text-slate-500 md:sr-only">Role: </span>
        {roleLabel(member.role)}
      </div>
      <div className="text-slate-700">
        <span className="text-slate-500 md:sr-only">{invited ? "Invited " : "Added "}</span>
        <time dateTime={member.created_at}>{formatDate(member.created_at)}</time>
      </div>
      <div className="flex flex-wrap gap-2 md:justify-end">
        {manage && (
          <>
            <Button
              tone="secondary"
              className="px-3 py-1.5"
              aria-label={`Change role of ${member.email}`}
              onClick={onChangeRole}
            >
              Change role
            </Button>
            <Button
              tone="secondary"
              className="px-3 py-1.5 text-red-700"
              aria-label={invited ? `Withdraw invitation to ${member.email}` : `Remove ${member.email}`}
              onClick={onRemove}
            >
              {invited ? "Withdraw" : "Remove"}
            </Button>
          </>
        )}
      </div>
    </li>
  );
}
