import type { components } from "../../api/schema";
import { roleLabel } from "../../lib/roles";

/** AuditEvent is one event of the customer's audit log. */
export type AuditEvent = components["schemas"]["AuditEvent"];

/** Actor is who caused an event: a member, an access token, the CLI. */
export type Actor = components["schemas"]["Actor"];

/** eventTypes are the types the audit log lists, for suggestions in the
 * type filter. The filter takes any type. */
export const eventTypes: readonly string[] = [
  "customer.registered",
  "customer.suspended",
  "customer.reactivated",
  "customer.notifications_set",
  "member.joined",
  "member.verification_issued",
  "member.email_verified",
  "member.logged_in",
  "member.logged_out",
  "member.token_created",
  "member.token_revoked",
  "member.invited",
  "member.role_changed",
  "member.removed",
  "member.password_reset_requested",
  "member.password_reset",
  "app.created",
  "app.updated",
  "app.deleted",
  "apikey.created",
  "apikey.rotated",
  "apikey.revoked",
];

/** aggregates are the kinds of thing an event can be about, as the
 * aggregate filter names them, with how the page writes them. */
export const aggregates: readonly { value: string; label: string }[] = [
  { value: "customer", label: "Account" },
  { value: "member", label: "Member" },
  { value: "app", label: "App" },
  { value: "apikey", label: "API key" },
];

/** aggregateLabel returns how the page writes a kind of thing. */
export function aggregateLabel(aggregate: string): string {
  return aggregates.find((one) => one.value === aggregate)?.label ?? aggregate;
}

/**
 * describeEvent returns a sentence saying what happened, from the event's
 * type and payload; the type itself for a type it does not know.
 */
export function describeEvent(event: AuditEvent): string {
  const field = (name: string): string => {
    const payload = event.payload;
    if (typeof payload === "object" && payload !== null && name in payload) {
      const value = (payload as Record<string, unknown>)[name];
      return typeof value === "string" ? value : "";
    }
    return "";
  };
  const quoted = (name: string) => (field(name) ? ` “${field(name)}”` : "");
  switch (event.type) {
    case "customer.registered":
      return `Signed up${field("company_name") ? ` ${field("company_name")}` : ""}`;
    case "customer.suspended":
      return "Account suspended";
    case "customer.reactivated":
      return "Account reactivated";
    case "customer.notifications_set":
      return "Notification settings changed";
    case "member.joined":
      return `${field("email") || "A member"} joined${field("role") ? ` as ${roleLabel(field("role"))}` : ""}`;
    case "member.verification_issued":
      return `Verification email sent${field("email") ? ` to ${field("email")}` : ""}`;
    case "member.email_verified":
      return "Email address verified";
    case "member.logged_in":
      return "Logged in";
    case "member.logged_out":
      return "Logged out";
    case "member.token_created":
      return `Access token${quoted("name")} created`;
    case "member.token_revoked":
      return "Access token revoked";
    case "member.invited":
      return `${field("email") || "Someone"} invited${field("role") ? ` as ${roleLabel(field("role"))}` : ""}`;
    case "member.role_changed":
      return field("previous") && field("role")
        ? `Role changed from ${roleLabel(field("previous"))} to ${roleLabel(field("role"))}`
        : "Role changed";
    case "member.removed":
      return `${field("email") || "A member"} removed`;
    case "member.password_reset_requested":
      return "Password reset requested";
    case "member.password_reset":
      return "Password reset";
    case "app.created":
      return `App${quoted("name")} created`;
    case "app.updated":
      return `App${quoted("name")} updated`;
    case "app.deleted":
      return `App${field("slug") ? ` ${field("slug")}` : ""} deleted`;
    case "apikey.created":
      return `${field("environment") ? `${capitalize(field("environment"))} API key` : "API key"}${quoted("name")} created`;
    case "apikey.rotated":
      return "API key rotated";
    case "apikey.revoked":
      return "API key revoked";
    default:
      return event.type;
  }
}

function capitalize(word: string): string {
  return word.slice(0, 1).toUpperCase() + word.slice(1);
}
