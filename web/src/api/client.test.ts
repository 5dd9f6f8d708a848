import { describe, expect, it } from "vitest";
import { apiError, fakeAPI, json, profile } from "../test/api";
import { api, data } from "./client";
import { ApiError, NetworkError } from "./error";
import { seenRevision } from "./revision";

const appBody = {
  name: "Shop API",
  slug: "shop",
  hostnames: ["api.acme.example"],
  upstreams: [{ url: "http://10.0.0.5:8080", weight: 1 }],
};

describe("api client", () => {
  it("sends the aegis_csrf cookie as X-CSRF-Token on a request that changes something", async () => {
    document.cookie = "aegis_csrf=4s_pLIeY-TGJSb22";
    const fake = fakeAPI({ "POST /api/v1/tokens": json(201, { revision: 7, token_id: "t", token: "aegp_x", prefix: "aegp_x" }) });

    await api.POST("/api/v1/tokens", { body: { name: "CI deploys" } });

    expect(fake.sent[0]?.headers.get("X-CSRF-Token")).toBe("4s_pLIeY-TGJSb22");
  });

  it("sends no CSRF header on a read", async () => {
    document.cookie = "aegis_csrf=4s_pLIeY-TGJSb22";
    const fake = fakeAPI({ "GET /api/v1/me": json(200, profile) });

    await api.GET("/api/v1/me");

    expect(fake.sent[0]?.headers.has("X-CSRF-Token")).toBe(false);
  });

  it("sends no CSRF header without the cookie", async () => {
    const fake = fakeAPI({ "POST /api/v1/verify": json(200, { revision: 5 }) });

    await api.POST("/api/v1/verify", { body: { token: "t" } });

    expect(fake.sent[0]?.headers.has("X-CSRF-Token")).toBe(false);
  });

  it("sends cookies with same-origin requests only", async () => {
    let credentials: RequestCredentials | undefined;
    fakeAPI({ "GET /api/v1/me": json(200, profile) });
    const stubbed = globalThis.fetch;
    globalThis.fetch = (input, init) => {
      credentials = (input as Request).credentials;
      return stubbed(input, init);
    };

    await api.GET("/api/v1/me");

    expect(credentials).toBe("same-origin");
  });

  it("sends the highest revision a command answered as Aegis-Min-Revision on later reads", async () => {
    const fake = fakeAPI({
      "POST /api/v1/apps": json(201, { revision: 10, app_id: "a" }),
      "DELETE /api/v1/api-keys/k": json(200, { revision: 8 }),
      "GET /api/v1/apps": json(200, { apps: [] }),
    });

    await api.GET("/api/v1/apps");
    await api.POST("/api/v1/apps", { body: appBody });
    await api.DELETE("/api/v1/api-keys/{id}", { params: { path: { id: "k" } } });
    await api.GET("/api/v1/apps");

    const reads = fake.to("GET /api/v1/apps");
    expect(reads[0]?.headers.has("Aegis-Min-Revision")).toBe(false);
    expect(reads[1]?.headers.get("Aegis-Min-Revision")).toBe("10");
    expect(seenRevision()).toBe(10);
  });

  it("sends the revision on login, which waits for it, and on no other command", async () => {
    const fake = fakeAPI({
      "POST /api/v1/invitations/accept": json(200, { revision: 25, member_id: "m" }),
      "POST /api/v1/auth/login": json(200, {
        revision: 26,
        session_id: "s",
        member_id: "m",
        customer_id: "c",
        role: "developer",
        csrf_token: "x",
      }),
      "POST /api/v1/verify/resend": json(202, { revision: 0 }),
    });

    await api.POST("/api/v1/invitations/accept", { body: { token: "t", password: "another fine passphrase" } });
    await api.POST("/api/v1/auth/login", { body: { email: "grace@example.com", password: "another fine passphrase" } });
    await api.POST("/api/v1/verify/resend", { body: { email: "grace@example.com" } });

    expect(fake.to("POST /api/v1/auth/login")[0]?.headers.get("Aegis-Min-Revision")).toBe("25");
    expect(fake.to("POST /api/v1/verify/resend")[0]?.headers.has("Aegis-Min-Revision")).toBe(false);
    expect(seenRevision()).toBe(26);
  });

  it("remembers a revision GET /api/v1/me answers, and none from other reads", async () => {
    fakeAPI({
      "GET /api/v1/me": json(200, { ...profile, revision: 12 }),
      "GET /api/v1/dashboard": json(200, { apps: { total: 0, active: 0 }, keys: {}, members: 1, revision: 40 }),
    });

    await api.GET("/api/v1/dashboard");
    expect(seenRevision()).toBe(0);
    await api.GET("/api/v1/me");
    expect(seenRevision()).toBe(12);
  });

  it("never lowers the revision it sends", async () => {
    const fake = fakeAPI({
      "PATCH /api/v1/members/m": json(200, { revision: 30 }),
      "POST /api/v1/verify/resend": json(202, { revision: 0 }),
      "GET /api/v1/members": json(200, { members: [] }),
    });

    await api.PATCH("/api/v1/members/{id}", { params: { path: { id: "m" } }, body: { role: "admin" } });
    await api.POST("/api/v1/verify/resend", { body: { email: "ada@example.com" } });
    await api.GET("/api/v1/members");

    expect(fake.to("GET /api/v1/members")[0]?.headers.get("Aegis-Min-Revision")).toBe("30");
  });

  it("sends a fresh Idempotency-Key with each request that creates something", async () => {
    const fake = fakeAPI({
      "POST /api/v1/register": json(201, { revision: 4, customer_id: "c", member_id: "m" }),
      "POST /api/v1/apps": json(201, { revision: 10, app_id: "a" }),
      "POST /api/v1/apps/a/api-keys": json(201, { revision: 11, key_id: "k", key: "aeg_x", prefix: "p", last4: "l" }),
      "POST /api/v1/members": json(201, { revision: 12, member_id: "m2" }),
      "POST /api/v1/tokens": json(201, { revision: 13, token_id: "t", token: "aegp_x", prefix: "p" }),
    });

    await api.POST("/api/v1/register", {
      body: { company_name: "Acme", email: "ada@example.com", password: "correct horse battery staple" },
    });
    await api.POST("/api/v1/apps", { body: appBody });
    await api.POST("/api/v1/apps", { body: appBody });
    await api.POST("/api/v1/apps/{id}/api-keys", {
      params: { path: { id: "a" } },
      body: { environment: "production", name: "web" },
    });
    await api.POST("/api/v1/members", { body: { email: "grace@example.com", role: "developer" } });
    await api.POST("/api/v1/tokens", { body: { name: "CI" } });

    const keys = fake.sent.map((one) => one.headers.get("Idempotency-Key"));
    for (const key of keys) {
      expect(key).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect(new Set(keys).size).toBe(keys.length);
  });

  it("sends no Idempotency-Key with other commands", async () => {
    const fake = fakeAPI({
      "POST /api/v1/auth/login": apiError(401, "unauthorized", "email or password is wrong"),
      "POST /api/v1/auth/logout": json(200, { revision: 8 }),
      "POST /api/v1/api-keys/k/rotate": json(200, { revision: 9, key_id: "k", key: "aeg_y", prefix: "p", last4: "l" }),
    });

    await api.POST("/api/v1/auth/login", { body: { email: "ada@example.com", password: "x" } }).catch(() => undefined);
    await api.POST("/api/v1/auth/logout");
    await api.POST("/api/v1/api-keys/{id}/rotate", { params: { path: { id: "k" } }, body: {} });

    for (const one of fake.sent) {
      expect(one.headers.has("Idempotency-Key"), `${one.method} ${one.path}`).toBe(false);
    }
  });

  it("keeps an Idempotency-Key the caller chose, to retry the same request", async () => {
    const fake = fakeAPI({ "POST /api/v1/apps": json(201, { revision: 10, app_id: "a" }) });

    await api.POST("/api/v1/apps", { body: appBody, params: { header: { "Idempotency-Key": "retry-1" } } });

    expect(fake.sent[0]?.headers.get("Idempotency-Key")).toBe("retry-1");
  });

  it("turns an error answer into an ApiError with the API's status, code and message", async () => {
    fakeAPI({ "POST /api/v1/auth/login": apiError(401, "unauthorized", "email or password is wrong") });

    const err = await api
      .POST("/api/v1/auth/login", { body: { email: "ada@example.com", password: "wrong" } })
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 401, code: "unauthorized", message: "email or password is wrong" });
  });

  it("names the status of an error answer that is not the API's", async () => {
    fakeAPI({
      "GET /api/v1/me": () => new Response("<h1>Bad Gateway</h1>", { status: 502, statusText: "Bad Gateway" }),
    });

    const err = await api.GET("/api/v1/me").catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 502, code: "internal" });
    expect((err as ApiError).message).toMatch(/502 Bad Gateway/);
  });

  it("remembers no revision from an error answer", async () => {
    fakeAPI({ "POST /api/v1/verify": apiError(400, "invalid", "this verification link is invalid, expired or already used") });

    await api.POST("/api/v1/verify", { body: { token: "t" } }).catch(() => undefined);

    expect(seenRevision()).toBe(0);
  });

  it("turns a request that got no answer into a NetworkError", async () => {
    fakeAPI();
    globalThis.fetch = () => Promise.reject(new TypeError("Failed to fetch"));

    const err = await api.GET("/api/v1/me").catch((e: unknown) => e);

    expect(err).toBeInstanceOf(NetworkError);
    expect((err as NetworkError).message).toBe("Could not reach the Aegis API. Check your connection and try again.");
    expect((err as NetworkError).cause).toBeInstanceOf(TypeError);
  });

  it("data returns the answer's body", async () => {
    fakeAPI({ "GET /api/v1/me": json(200, profile) });

    const me = await data(api.GET("/api/v1/me"));

    expect(me.company_name).toBe("Acme");
  });
});
