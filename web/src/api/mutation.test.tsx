import { QueryClientProvider, useQuery } from "@tanstack/react-query";
import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { ToastProvider } from "../components/Toast";
import { apiError, fakeAPI, json } from "../test/api";
import { api, data } from "./client";
import { useApiMutation } from "./mutation";
import { createQueryClient } from "./queryClient";
import { queryKeys } from "./queryKeys";

function Tokens() {
  const tokens = useQuery({ queryKey: queryKeys.tokens, queryFn: () => data(api.GET("/api/v1/tokens")) });
  const create = useApiMutation({
    mutationFn: (name: string) => data(api.POST("/api/v1/tokens", { body: { name } })),
    invalidates: [queryKeys.tokens],
    successToast: (created) => `Created ${created.prefix}`,
    errorToast: true,
  });
  return (
    <>
      <ul aria-label="Tokens">
        {(tokens.data?.tokens ?? []).map((token) => (
          <li key={token.token_id}>{token.name}</li>
        ))}
      </ul>
      <button onClick={() => create.mutate("CI deploys")}>Create token</button>
    </>
  );
}

function renderTokens() {
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false } });
  render(
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <Tokens />
      </ToastProvider>
    </QueryClientProvider>,
  );
  return { queryClient, user: userEvent.setup() };
}

const token = { token_id: "t1", name: "CI deploys", prefix: "aegp_RTTSDmk", created_at: "2026-11-27T01:52:33Z" };

describe("useApiMutation", () => {
  it("refetches what the command changed, waiting for its revision, and says it worked", async () => {
    const fake = fakeAPI({
      "GET /api/v1/tokens": json(200, { tokens: [] }),
      "POST /api/v1/tokens": json(201, { revision: 7, token_id: "t1", token: "aegp_secret", prefix: "aegp_RTTSDmk" }),
    });
    const { user } = renderTokens();
    await waitFor(() => expect(fake.to("GET /api/v1/tokens")).toHaveLength(1));
    fake.on("GET /api/v1/tokens", json(200, { tokens: [token] }));

    await user.click(screen.getByRole("button", { name: "Create token" }));

    expect(await screen.findByText("CI deploys", { selector: "li" })).toBeInTheDocument();
    expect(fake.to("GET /api/v1/tokens")[1]?.headers.get("Aegis-Min-Revision")).toBe("7");
    expect(await screen.findByText("Created aegp_RTTSDmk")).toBeInTheDocument();
  });

  it("also marks the audit log and the summary stale", async () => {
    fakeAPI({
      "GET /api/v1/tokens": json(200, { tokens: [] }),
      "POST /api/v1/tokens": json(201, { revision: 7, token_id: "t1", token: "aegp_secret", prefix: "aegp_RTTSDmk" }),
    });
    const { queryClient, user } = renderTokens();
    queryClient.setQueryData(queryKeys.audit, { events: [] });
    queryClient.setQueryData(queryKeys.dashboard, { members: 1 });

    await user.click(screen.getByRole("button", { name: "Create token" }));

    await waitFor(() => expect(queryClient.getQueryState(queryKeys.audit)?.isInvalidated).toBe(true));
    expect(queryClient.getQueryState(queryKeys.dashboard)?.isInvalidated).toBe(true);
  });

  it("shows the API's message in a toast when asked to", async () => {
    fakeAPI({
      "GET /api/v1/tokens": json(200, { tokens: [] }),
      "POST /api/v1/tokens": apiError(403, "forbidden", "missing or wrong X-CSRF-Token header"),
    });
    const { user } = renderTokens();

    await user.click(screen.getByRole("button", { name: "Create token" }));

    expect(await screen.findByText("missing or wrong X-CSRF-Token header")).toBeInTheDocument();
  });
});

describe("query client", () => {
  it("asks who is signed in again when a read answers 401", async () => {
    const fake = fakeAPI({ "GET /api/v1/tokens": apiError(401, "unauthorized", "session is invalid or expired") });
    const { queryClient } = renderTokens();
    queryClient.setQueryData(queryKeys.me, { email: "ada@example.com" });

    await waitFor(() => expect(fake.to("GET /api/v1/tokens")).toHaveLength(1));

    await waitFor(() => expect(queryClient.getQueryState(queryKeys.me)?.isInvalidated).toBe(true));
  });
});
