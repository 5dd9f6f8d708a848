import { vi } from "vitest";

/** Sent is a request the page sent, as the fake admin API saw it. */
export type Sent = {
  method: string;
  path: string;
  search: string;
  headers: Headers;
  body: unknown;
};

/** Answer is what a route answers: a Response, or a function making one. */
export type Answer = Response | ((sent: Sent) => Response | Promise<Response>);

/**
 * FakeAPI stands in for the admin API behind fetch: each route, named as
 * "POST /api/v1/auth/login", answers what the test gave it, and every
 * request is kept for the test to look at. A request no route answers gets
 * 404, as from the real API. The browser tests run against the real one.
 */
export type FakeAPI = {
  sent: Sent[];
  /** on sets (or replaces) a route's answer. */
  on: (route: string, answer: Answer) => void;
  /** to returns the requests sent to a route. */
  to: (route: string) => Sent[];
};

/** fakeAPI stubs fetch with a FakeAPI answering routes. */
export function fakeAPI(routes: Record<string, Answer> = {}): FakeAPI {
  const answers = new Map(Object.entries(routes));
  const sent: Sent[] = [];
  vi.stubGlobal("fetch", async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    const text = await request.text();
    const one: Sent = {
      method: request.method,
      path: url.pathname,
      search: url.search,
      headers: request.headers,
      body: text ? JSON.parse(text) : undefined,
    };
    sent.push(one);
    const answer = answers.get(`${one.method} ${one.path}`);
    if (!answer) {
      return json(404, { code: "not_found", message: `no route ${one.method} ${one.path}` });
    }
    return typeof answer === "function" ? answer(one) : answer.clone();
  });
  return {
    sent,
    on: (route, answer) => answers.set(route, answer),
    to: (route) => sent.filter((one) => `${one.method} ${one.path}` === route),
  };
}

/** json returns a JSON answer. */
export function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
}

/** apiError returns the admin API's error answer. */
export function apiError(status: number, code: string, message: string): Response {
  return json(status, { code, message });
}

/** profile is a signed-in member, as GET /api/v1/me answers. */
export const profile = {
  member_id: "01a21aba-097a-741f-a980-f96a591a5cc7",
  email: "ada@example.com",
  role: "owner",
  email_verified: true,
  customer_id: "01a21aba-097a-741e-ab86-e837edd53196",
  company_name: "Acme",
  status: "active",
  joined_at: "2026-11-27T01:58:49.519881Z",
};

/** signedOut is GET /api/v1/me's answer without a session. */
export function signedOut(): Response {
  return apiError(401, "unauthorized", "log in, or send a personal access token as Authorization: Bearer");
}
