import { QueryCache, QueryClient } from "@tanstack/react-query";
import { ApiError, isUnauthorized } from "./error";
import { queryKeys } from "./queryKeys";

/**
 * createQueryClient returns the dashboard's query cache. A failed read is
 * retried twice when retrying may help (no answer, or a 5xx such as a
 * read model still catching up), never for a 4xx. A 401 from any read
 * means the session ended: the member is fetched again, and the sign-in
 * guard sends the visitor to the login page.
 */
export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({
      onError(err, query) {
        if (isUnauthorized(err) && query.queryKey[0] !== queryKeys.me[0]) {
          void client.invalidateQueries({ queryKey: queryKeys.me });
        }
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        retry: (failures, err) => failures < 2 && !(err instanceof ApiError && err.status < 500),
      },
      mutations: { retry: false },
    },
  });
  return client;
}
