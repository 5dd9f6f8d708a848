import { render } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter } from "react-router";
import { createQueryClient } from "../api/queryClient";
import { App } from "../App";
import { routes } from "../routes";

/**
 * renderAt renders the whole dashboard at path, as a visitor who typed the
 * address would see it, with a fresh cache that does not retry.
 */
export function renderAt(path: string) {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false }, mutations: { retry: false } });
  const router = createMemoryRouter(routes, { initialEntries: [path] });
  const user = userEvent.setup();
  const view = render(<App router={router} queryClient={queryClient} />);
  return { ...view, user, router, queryClient };
}

/** location returns the router's current path and query. */
export function location(router: ReturnType<typeof createMemoryRouter>): string {
  const { pathname, search } = router.state.location;
  return pathname + search;
}
