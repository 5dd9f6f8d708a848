import type { components } from "./schema";

/** ErrorBody is the body of every error the admin API answers. */
export type ErrorBody = components["schemas"]["ApiError"];

/**
 * ApiError is an answer of the admin API outside 2xx. Its message is the
 * API's own, written to be shown to people as it is; its code is for
 * programs (invalid, unauthorized, forbidden, not_found, conflict,
 * too_large, rate_limited, internal, unavailable, timeout).
 */
export class ApiError extends Error {
  override readonly name = "ApiError";
  readonly status: number;
  readonly code: string;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** fromResponse reads an error answer. A body that is not the API's
   * {code, message} (a proxy's error page, say) gets a code from the
   * status and a message naming it. */
  static async fromResponse(response: Response): Promise<ApiError> {
    const body: unknown = await response
      .clone()
      .json()
      .catch(() => undefined);
    if (isErrorBody(body)) {
      return new ApiError(response.status, body.code, body.message);
    }
    const statusText = response.statusText ? ` ${response.statusText}` : "";
    return new ApiError(
      response.status,
      codeForStatus(response.status),
      `The server answered ${response.status}${statusText}. Try again in a moment.`,
    );
  }
}

/**
 * NetworkError is a request that got no answer: the network is down, or
 * the admin API is not running.
 */
export class NetworkError extends Error {
  override readonly name = "NetworkError";

  constructor(options?: { cause?: unknown }) {
    super("Could not reach the Aegis API. Check your connection and try again.", options);
  }
}

/** isUnauthorized tells whether err means the visitor is not signed in. */
export function isUnauthorized(err: unknown): boolean {
  return err instanceof ApiError && err.status === 401;
}

/** errorMessage returns what to show a person for err: the API's message
 * for an ApiError, and a plain sentence for anything else. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiError || err instanceof NetworkError) {
    return err.message;
  }
  return "Something went wrong. Reload the page and try again.";
}

function isErrorBody(body: unknown): body is ErrorBody {
  return (
    typeof body === "object" &&
    body !== null &&
    typeof (body as ErrorBody).code === "string" &&
    typeof (body as ErrorBody).message === "string"
  );
}

const codesByStatus: Record<number, string> = {
  400: "invalid",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  413: "too_large",
  429: "rate_limited",
  503: "unavailable",
  504: "timeout",
};

function codeForStatus(status: number): string {
  return codesByStatus[status] ?? "internal";
}
