import { useQuery } from "@tanstack/react-query";
import { api, data } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import type { components } from "../../api/schema";

/** ApiKey is an API key as lists show it: masked, never the key itself. */
export type ApiKey = components["schemas"]["APIKey"];

/** CreatedKey answers a key's creation or rotation: the only time the key
 * itself is shown. */
export type CreatedKey = components["schemas"]["CreatedKey"];

/** Propagation says how many live gateway nodes applied a change. */
export type Propagation = components["schemas"]["Propagation"];

/** Environment is where a key is used. */
export type Environment = "production" | "staging" | "development";

/** environments are the key environments, in the order forms list them. */
export const environments: readonly { value: Environment; label: string }[] = [
  { value: "production", label: "Production" },
  { value: "staging", label: "Staging" },
  { value: "development", label: "Development" },
];

/** asEnvironment returns text as an Environment, or undefined. */
export function asEnvironment(text: string | null | undefined): Environment | undefined {
  return environments.find((environment) => environment.value === text)?.value;
}

/** KeyFilter chooses the keys a list shows. */
export type KeyFilter = { appId?: string; environment?: Environment };

/**
 * useKeys returns the query of the customer's keys, newest first, revoked
 * ones included. With appOnly, the keys of filter.appId are read from the
 * app (GET /api/v1/apps/{id}/api-keys), cached with the app; otherwise
 * from GET /api/v1/api-keys.
 */
export function useKeys(filter: KeyFilter, appOnly = false) {
  const { appId, environment } = filter;
  return useQuery({
    queryKey:
      appOnly && appId
        ? [...queryKeys.appKeys(appId), { environment }]
        : [...queryKeys.apiKeys, { app_id: appId, environment }],
    queryFn: () =>
      appOnly && appId
        ? data(api.GET("/api/v1/apps/{id}/api-keys", { params: { path: { id: appId }, query: { environment } } }))
        : data(api.GET("/api/v1/api-keys", { params: { query: { app_id: appId, environment } } })),
    select: (answer) => answer.keys ?? [],
  });
}

/** keysChangedBy returns the queries a command on a key of app changes. */
export function keysChangedBy(appId: string) {
  return [queryKeys.apiKeys, queryKeys.appKeys(appId)] as const;
}
