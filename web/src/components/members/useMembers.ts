import { useQuery } from "@tanstack/react-query";
import { api, data } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import type { components } from "../../api/schema";

/** Member is a member of the customer, or a pending invitation. */
export type Member = components["schemas"]["Member"];

/** membersQuery reads the customer's members and pending invitations,
 * oldest first. */
export const membersQuery = {
  queryKey: queryKeys.members,
  queryFn: () => data(api.GET("/api/v1/members")),
} as const;

/** useMembers returns the query of the customer's members. */
export function useMembers() {
  return useQuery(membersQuery);
}
