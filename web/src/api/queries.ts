import { useQuery } from "@tanstack/react-query";
import { api, data } from "./client";
import { queryKeys } from "./queryKeys";
import type { components } from "./schema";

/** Profile is the signed-in member and their customer. */
export type Profile = components["schemas"]["Profile"];

/** meQuery reads the signed-in member; it fails with a 401 ApiError for
 * a visitor who is not signed in. */
export const meQuery = {
  queryKey: queryKeys.me,
  queryFn: () => data(api.GET("/api/v1/me")),
} as const;

/** useMe returns the query of the signed-in member. */
export function useMe() {
  return useQuery(meQuery);
}
