import { useInfiniteQuery, useQuery } from "@tanstack/react-query";
import { api, data } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import type { AuditFilters } from "./filters";

/** pageSize is how many events a page of the audit log holds. */
export const pageSize = 50;

/**
 * useAuditLog returns the audit log with filters, a page at a time:
 * fetchNextPage asks for the events after the last page with its
 * next_cursor. Every command invalidates it (it starts with
 * queryKeys.audit).
 */
export function useAuditLog(filters: AuditFilters) {
  return useInfiniteQuery({
    queryKey: [...queryKeys.audit, "log", filters],
    queryFn: ({ pageParam, signal }) =>
      data(
        api.GET("/api/v1/audit", {
          params: { query: { ...filters, limit: pageSize, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: "",
    getNextPageParam: (last) => last.next_cursor || undefined,
  });
}

/** useRecentEvents returns the query of the newest few events. */
export function useRecentEvents(limit: number) {
  return useQuery({
    queryKey: [...queryKeys.audit, "recent", limit],
    queryFn: ({ signal }) => data(api.GET("/api/v1/audit", { params: { query: { limit } }, signal })),
  });
}
