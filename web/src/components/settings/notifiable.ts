/**
 * The event types a notification rule can name, as the admin API accepts
 * them, grouped as the settings page shows them. Any other type is
 * refused with 400 ("cannot be notified").
 */
export const notifiableGroups: readonly { title: string; events: readonly { type: string; label: string }[] }[] = [
  {
    title: "Apps",
    events: [
      { type: "app.created", label: "An app is created" },
      { type: "app.updated", label: "An app's configuration changes" },
      { type: "app.deleted", label: "An app is deleted" },
    ],
  },
  {
    title: "API keys",
    events: [
      { type: "apikey.created", label: "An API key is created" },
      { type: "apikey.rotated", label: "An API key is rotated" },
      { type: "apikey.revoked", label: "An API key is revoked" },
    ],
  },
  {
    title: "Members",
    events: [
      { type: "member.invited", label: "Someone is invited" },
      { type: "member.joined", label: "Someone joins" },
      { type: "member.role_changed", label: "A member's role changes" },
      { type: "member.removed", label: "A member is removed" },
    ],
  },
  {
    title: "Account",
    events: [
      { type: "customer.suspended", label: "The account is suspended" },
      { type: "customer.reactivated", label: "The account is reactivated" },
    ],
  },
];

/** notifiableTypes are every notifiable event type, in the page's order. */
export const notifiableTypes: readonly string[] = notifiableGroups.flatMap((group) =>
  group.events.map((event) => event.type),
);
