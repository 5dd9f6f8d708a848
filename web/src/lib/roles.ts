import type { components } from "../api/schema";

/** Role is a member's role, as the admin API names it. */
export type Role = components["schemas"]["RoleInputBody"]["role"];

/** roles are the roles, from most to least powerful: each can do
 * everything the ones after it can. */
export const roles: readonly Role[] = ["owner", "admin", "developer", "viewer"];

const labels: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  developer: "Developer",
  viewer: "Viewer",
};

/** isRole tells whether value is one of the roles. */
export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** roleLabel returns how a role is written on screen; a role this
 * dashboard does not know is written as the API names it. */
export function roleLabel(role: string): string {
  return isRole(role) ? labels[role] : role;
}

/** atLeast tells whether role can do what needed can. An unknown role
 * can do nothing. */
export function atLeast(role: string, needed: Role): boolean {
  return isRole(role) && roles.indexOf(role) <= roles.indexOf(needed);
}
