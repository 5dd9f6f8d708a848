import { useQuery } from "@tanstack/react-query";
import { api, data } from "../../api/client";
import { queryKeys } from "../../api/queryKeys";
import type { components } from "../../api/schema";
import { isPast } from "../../lib/time";

/** Token is one of the member's personal access tokens, without its
 * secret. */
export type Token = components["schemas"]["Token"];

/** useTokens returns the query of the signed-in member's tokens, newest
 * first, revoked and expired ones included. */
export function useTokens() {
  return useQuery({ queryKey: queryKeys.tokens, queryFn: () => data(api.GET("/api/v1/tokens")) });
}

/** TokenStatus is whether a token still works. */
export type TokenStatus = "active" | "expired" | "revoked";

/** tokenStatus returns whether token still works at now. */
export function tokenStatus(token: Token, now: Date = new Date()): TokenStatus {
  if (token.revoked_at) {
    return "revoked";
  }
  if (token.expires_at && isPast(token.expires_at, now)) {
    return "expired";
  }
  return "active";
}
