import type { Profile } from "../../api/queries";
import { atLeast, type Role, roles } from "../../lib/roles";
import type { Member } from "./useMembers";

// The rules on roles the admin API checks, so that the page offers only
// what it would allow. The API checks them again and answers 403 with its
// own message for anything else.

/** canInvite tells whether me may invite people (admins and owners). */
export function canInvite(me: Profile): boolean {
  return atLeast(me.role, "admin");
}

/** assignableRoles returns the roles me may give: only an owner makes
 * someone an owner. */
export function assignableRoles(me: Profile): readonly Role[] {
  return me.role === "owner" ? roles : roles.filter((role) => role !== "owner");
}

/** canManage tells whether me may change member's role or remove them:
 * an admin or owner, not themselves, and only an owner touches an owner. */
export function canManage(me: Profile, member: Member): boolean {
  return (
    atLeast(me.role, "admin") &&
    member.member_id !== me.member_id &&
    (member.role !== "owner" || me.role === "owner")
  );
}
