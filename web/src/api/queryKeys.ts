/**
 * queryKeys names the cache entry of each resource the admin API lists,
 * so that a page's query and the mutations that change it agree. A key
 * that starts another (["apps"] and ["apps", id]) is invalidated with it.
 */
export const queryKeys = {
  /** GET /api/v1/me: the signed-in member and their customer. */
  me: ["me"],
  /** GET /api/v1/dashboard. */
  dashboard: ["dashboard"],
  /** GET /api/v1/apps, and each app below it. */
  apps: ["apps"],
  app: (id: string) => ["apps", id],
  /** GET /api/v1/apps/{id}/api-keys. */
  appKeys: (id: string) => ["apps", id, "api-keys"],
  /** GET /api/v1/api-keys, with or without filters. */
  apiKeys: ["api-keys"],
  /** GET /api/v1/members. */
  members: ["members"],
  /** GET /api/v1/tokens. */
  tokens: ["tokens"],
  /** GET /api/v1/settings/notifications. */
  notifications: ["settings", "notifications"],
  /** GET /api/v1/audit, with or without filters. */
  audit: ["audit"],
} as const;

/** QueryKey is one of the keys above. */
export type QueryKey = readonly unknown[];

/**
 * alwaysChanged are invalidated after every command: every command
 * appends events, which the audit log lists and the summary counts.
 */
export const alwaysChanged: readonly QueryKey[] = [queryKeys.dashboard, queryKeys.audit];
