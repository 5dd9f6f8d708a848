import { useQuery } from "@tanstack/react-query";
import { api, data } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import type { components } from "../../api/schema";

/** App is an app as the admin API lists it: its stored configuration,
 * whether it has an HS secret, and its revision. */
export type App = components["schemas"]["App"];

/** AppBody is the whole configuration that creates or replaces an app. */
export type AppBody = components["schemas"]["AppBody"];

/** useApps returns the query of the customer's apps, newest first. */
export function useApps() {
  return useQuery({
    queryKey: queryKeys.apps,
    queryFn: () => data(api.GET("/api/v1/apps")),
    select: (answer) => answer.apps ?? [],
  });
}

/** useApp returns the query of one app; it fails with a 404 ApiError for
 * an app that does not exist, was deleted or is another customer's. */
export function useApp(id: string) {
  return useQuery({
    queryKey: queryKeys.app(id),
    queryFn: () => data(api.GET("/api/v1/apps/{id}", { params: { path: { id } } })),
  });
}
