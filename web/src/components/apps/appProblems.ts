import { ApiError } from "../../api/error";
import type { DraftField } from "./appChecks";

/** ProblemField is a field a problem can name: a draft field, or
 * "claims" for the JWT claim names together. */
export type ProblemField = DraftField | "claims";

/** authFields are the fields of an app's authentication: its mode and its
 * JWT settings. */
export const authFields: readonly ProblemField[] = [
  "authMode",
  "algorithms",
  "secret",
  "publicKeys",
  "jwksUrl",
  "issuer",
  "audiences",
  "tenantClaim",
  "userClaim",
  "rolesClaim",
  "claims",
];

/** Problem is one thing the admin API found wrong with an app's body, and
 * the field it names, when it names one the forms have. */
export type Problem = { text: string; field?: ProblemField };

/**
 * Which field a problem names. The API lists every problem, separated by
 * "; ": either its own rules ("hostname "x" is not a valid DNS name",
 * "route api.acme.example/v1 is already used by another app") or the
 * document's constraints ("body.slug: expected string to match pattern
 * …"). The first match wins, so the narrower words come first.
 */
const fieldWords: [RegExp, ProblemField][] = [
  [/public_keys_pem|public keys/, "publicKeys"],
  [/jwks_url/, "jwksUrl"],
  [/hs256_secret|\bhs algorithm/, "secret"],
  [/tenant_claim|user_claim|roles_claim|claim name/, "claims"],
  [/\baudiences\b/, "audiences"],
  [/\bissuer\b/, "issuer"],
  [/algorithm/, "algorithms"],
  [/auth_mode|jwt settings/, "authMode"],
  [/\bjwt\b/, "algorithms"],
  [/authorize_url/, "authorizeUrl"],
  [/connect_ms/, "connectMs"],
  [/read_ms/, "readMs"],
  [/write_ms/, "writeMs"],
  [/upstream/, "upstreams"],
  [/path prefix|path_prefixes/, "pathPrefixes"],
  [/hostname|^route\b/, "hostnames"],
  [/slug/, "slug"],
  [/^(body\.)?name\b/, "name"],
  [/\bstatus\b/, "status"],
];

/**
 * problemsOf splits the admin API's refusal of an app's body into its
 * problems, each with the field it names. An error that is not the API's
 * 400 or 409 gives one problem without a field.
 */
export function problemsOf(err: unknown): Problem[] {
  if (!(err instanceof ApiError) || (err.code !== "invalid" && err.code !== "conflict")) {
    return [];
  }
  return err.message
    .replace(/^validation failed:\s*/, "")
    .split("; ")
    .filter(Boolean)
    .map((text) => {
      const lower = text.toLowerCase();
      const found = fieldWords.find(([pattern]) => pattern.test(lower));
      return { text, field: found?.[1] };
    });
}

/** problemErrors returns the problems as errors on their fields: the
 * first problem of each field. */
export function problemErrors(problems: Problem[]): Partial<Record<ProblemField, string>> {
  const errors: Partial<Record<ProblemField, string>> = {};
  for (const problem of problems) {
    if (problem.field && !errors[problem.field]) {
      errors[problem.field] = capitalize(problem.text);
    }
  }
  return errors;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
