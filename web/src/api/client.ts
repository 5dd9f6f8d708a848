import createClient, { type Middleware } from "openapi-fetch";
import { ApiError, NetworkError } from "./error";
import { noteRevision, seenRevision } from "./revision";
import type { paths } from "./schema";

/** The cookie that holds the session's CSRF token, readable by scripts. */
const csrfCookie = "aegis_csrf";

/**
 * The operations that create something. They are sent with a fresh
 * Idempotency-Key, so that a repeat of the same request (a retry) is
 * carried out once.
 */
const creates = new Set<string>([
  "/api/v1/register",
  "/api/v1/apps",
  "/api/v1/apps/{id}/api-keys",
  "/api/v1/tokens",
  "/api/v1/members",
]);

/** Besides reads, only login is sent with Aegis-Min-Revision: a login right
 * after a verification, an accepted invitation or a password reset must
 * see it. */
const login = "/api/v1/auth/login";

/** Reads that answer a revision worth remembering. */
const revisionReads = new Set<string>(["/api/v1/me"]);

/**
 * aegisMiddleware makes every call speak the admin API's conventions:
 *
 *   - a request that changes something carries the aegis_csrf cookie's
 *     value in X-CSRF-Token;
 *   - reads (and login) carry the highest revision seen as
 *     Aegis-Min-Revision, and every command's answer raises it;
 *   - creating something carries an Idempotency-Key;
 *   - an answer outside 2xx throws an ApiError with the API's code and
 *     message, and no answer at all throws a NetworkError.
 *
 * Headers a caller sets itself are kept.
 */
export const aegisMiddleware: Middleware = {
  onRequest({ request, schemaPath }) {
    const read = isRead(request.method);
    if (!read) {
      const csrf = readCookie(csrfCookie);
      if (csrf && !request.headers.has("X-CSRF-Token")) {
        request.headers.set("X-CSRF-Token", csrf);
      }
    }
    const revision = seenRevision();
    if ((read || schemaPath === login) && revision > 0 && !request.headers.has("Aegis-Min-Revision")) {
      request.headers.set("Aegis-Min-Revision", String(revision));
    }
    if (request.method === "POST" && creates.has(schemaPath) && !request.headers.has("Idempotency-Key")) {
      request.headers.set("Idempotency-Key", crypto.randomUUID());
    }
    return request;
  },

  async onResponse({ request, response, schemaPath }) {
    if (!response.ok) {
      throw await ApiError.fromResponse(response);
    }
    if (!isRead(request.method) || revisionReads.has(schemaPath)) {
      const body: unknown = await response
        .clone()
        .json()
        .catch(() => undefined);
      if (typeof body === "object" && body !== null && "revision" in body) {
        noteRevision(body.revision);
      }
    }
    return response;
  },

  onError({ error }) {
    if (error instanceof DOMException && error.name === "AbortError") {
      return error; // cancelled on purpose: not a failure to show
    }
    return new NetworkError({ cause: error });
  },
};

/**
 * createApiClient returns a typed client of the admin API at baseUrl (the
 * page's own origin by default: the admin API serves the dashboard). Its
 * calls resolve with the answer's data, and reject with an ApiError or a
 * NetworkError.
 */
export function createApiClient(baseUrl: string = globalThis.location?.origin ?? "") {
  const client = createClient<paths>({
    baseUrl,
    credentials: "same-origin",
    // Looked up at each call, not once, so that tests can stub fetch.
    fetch: (request: Request) => globalThis.fetch(request),
  });
  client.use(aegisMiddleware);
  return client;
}

/** ApiClient is the client createApiClient returns. */
export type ApiClient = ReturnType<typeof createApiClient>;

/** api is the dashboard's one client of the admin API. */
export const api: ApiClient = createApiClient();

/**
 * data returns the body of a successful call, for code that wants the
 * value itself (a query function, a mutation):
 *
 *   const me = await data(api.GET("/api/v1/me"));
 *
 * It rejects as the call does; an answer without a body rejects too,
 * since every operation of the API answers one.
 */
export async function data<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data: body, response } = await call;
  if (body === undefined) {
    throw new ApiError(response.status, "internal", "The server sent an empty answer. Try again in a moment.");
  }
  return body;
}

function isRead(method: string): boolean {
  return method === "GET" || method === "HEAD";
}

function readCookie(name: string): string | undefined {
  if (typeof document === "undefined") {
    return undefined;
  }
  for (const pair of document.cookie.split(";")) {
    const [key, ...value] = pair.trim().split("=");
    if (key === name) {
      return decodeURIComponent(value.join("="));
    }
  }
  return undefined;
}
