// Checks of an app's configuration before it is sent. They mirror the
// rules of the admin API's app body (docs/api-reference.md, "The app
// body") so that a typo is caught at once; the API checks everything
// again, and what only it knows (a slug or route taken by another app, an
// internal JWKS address) comes back as its message.

import { type AppDraft, splitList, splitPEM, usesHMAC, usesPublicKeys } from "./appDraft";

/** DraftField names a field of an AppDraft. */
export type DraftField = keyof AppDraft;

/**
 * DraftErrors maps a field to what is wrong with it. A list's rows have
 * their own keys: "hostnames.0", "upstreams.1.url", "upstreams.1.weight".
 */
export type DraftErrors = Record<string, string | undefined>;

const slugPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const labelPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const claimPattern = /^[A-Za-z0-9_.:/-]{1,64}$/;
const ipv4Pattern = /^\d{1,3}(\.\d{1,3}){3}$/;

/**
 * checkDraft returns what is wrong with the fields of draft that fields
 * lists (all of them if none). hasSecret says that the app already has an
 * HS secret, which a blank secret field keeps.
 */
export function checkDraft(draft: AppDraft, fields?: readonly DraftField[], hasSecret = false): DraftErrors {
  const errors: DraftErrors = {};
  const wanted = (field: DraftField) => !fields || fields.includes(field);

  if (wanted("name")) {
    const name = draft.name.trim();
    errors.name = name === "" ? "Enter the app's name." : name.length > 120 ? "Use at most 120 characters." : undefined;
  }
  if (wanted("slug")) {
    errors.slug =
      draft.slug.trim() === ""
        ? "Enter a slug."
        : slugPattern.test(draft.slug.trim())
          ? undefined
          : "Use 1 to 63 lowercase letters, digits and dashes, not starting or ending with a dash.";
  }
  if (wanted("hostnames")) {
    checkList(errors, "hostnames", draft.hostnames, 20, hostnameProblem);
    if (draft.hostnames.every((host) => host.trim() === "")) {
      errors.hostnames = "Add at least one hostname.";
    }
  }
  if (wanted("pathPrefixes")) {
    checkList(errors, "pathPrefixes", draft.pathPrefixes, 20, prefixProblem);
  }
  if (wanted("upstreams")) {
    // A row without a URL is left out, whatever its weight.
    const given = draft.upstreams.filter((upstream) => upstream.url.trim() !== "");
    if (given.length === 0) {
      errors.upstreams = "Add at least one upstream URL.";
    } else if (given.length > 16) {
      errors.upstreams = "Use at most 16 upstreams.";
    }
    draft.upstreams.forEach((upstream, index) => {
      const url = upstream.url.trim();
      if (url === "") {
        return;
      }
      if (!isHttpURL(url)) {
        errors[`upstreams.${index}.url`] = "Enter an http:// or https:// URL with a host, like http://10.0.0.5:8080.";
      }
      errors[`upstreams.${index}.weight`] = rangeProblem(upstream.weight, 1, 1000);
    });
  }
  if (wanted("connectMs")) {
    errors.connectMs = rangeProblem(draft.connectMs, 1, 60_000);
  }
  if (wanted("readMs")) {
    errors.readMs = rangeProblem(draft.readMs, 1, 600_000);
  }
  if (wanted("writeMs")) {
    errors.writeMs = rangeProblem(draft.writeMs, 1, 600_000);
  }
  if (wanted("authorizeUrl") && draft.authorizeUrl.trim() !== "" && !isHttpURL(draft.authorizeUrl.trim())) {
    errors.authorizeUrl = "Enter an http:// or https:// URL.";
  }
  if (draft.authMode !== "api_key") {
    checkJWT(draft, errors, wanted, hasSecret);
  }
  return errors;
}

function checkJWT(draft: AppDraft, errors: DraftErrors, wanted: (field: DraftField) => boolean, hasSecret: boolean) {
  if (wanted("algorithms") && draft.algorithms.length === 0) {
    errors.algorithms = "Choose at least one algorithm.";
  }
  if (wanted("secret")) {
    if (usesHMAC(draft) && draft.secret === "" && !hasSecret) {
      errors.secret = "The HS algorithms need the shared secret.";
    } else if (draft.secret !== "" && draft.secret.length < 32) {
      errors.secret = "Use at least 32 characters.";
    }
  }
  if (wanted("publicKeys")) {
    if (usesPublicKeys(draft) && draft.publicKeys.trim() === "" && draft.jwksUrl.trim() === "") {
      errors.publicKeys = "The RS, PS, ES and EdDSA algorithms need PEM public keys or a JWKS URL.";
    } else if (draft.publicKeys.trim() !== "" && !splitPEM(draft.publicKeys).every(isPublicKeyPEM)) {
      errors.publicKeys = "Paste PEM public keys, each from -----BEGIN PUBLIC KEY----- to -----END PUBLIC KEY-----.";
    }
  }
  if (wanted("jwksUrl") && draft.jwksUrl.trim() !== "" && !isHttpURL(draft.jwksUrl.trim())) {
    errors.jwksUrl = "Enter an http:// or https:// URL.";
  }
  for (const field of ["tenantClaim", "userClaim", "rolesClaim"] as const) {
    const claim = draft[field].trim();
    if (wanted(field) && claim !== "" && !claimPattern.test(claim)) {
      errors[field] = "Use 1 to 64 of A-Z, a-z, 0-9, _, ., :, / and -.";
    }
  }
  if (wanted("audiences") && splitList(draft.audiences).some((audience) => audience.length > 256)) {
    errors.audiences = "An audience is too long.";
  }
}

/** hasProblems tells whether errors holds any message. */
export function hasProblems(errors: DraftErrors): boolean {
  return Object.values(errors).some(Boolean);
}

/** fieldOf returns the draft field an error key is about:
 * "upstreams.1.url" → "upstreams". */
export function fieldOf(key: string): DraftField {
  return key.split(".")[0] as DraftField;
}

function checkList(
  errors: DraftErrors,
  field: "hostnames" | "pathPrefixes",
  list: string[],
  max: number,
  problem: (value: string) => string | undefined,
) {
  const seen = new Set<string>();
  let count = 0;
  list.forEach((raw, index) => {
    const value = raw.trim();
    if (value === "") {
      return;
    }
    count++;
    const canonical = field === "hostnames" ? value.toLowerCase().replace(/\.$/, "") : value;
    errors[`${field}.${index}`] = seen.has(canonical) ? "This is listed already." : problem(value);
    seen.add(canonical);
  });
  if (count > max) {
    errors[field] = `Use at most ${max}.`;
  }
}

function hostnameProblem(value: string): string | undefined {
  const host = value.toLowerCase().replace(/\.$/, "");
  const labels = host.split(".");
  const valid =
    host.length <= 253 &&
    !ipv4Pattern.test(host) &&
    !host.includes(":") &&
    (labels.length >= 2 || host === "localhost") &&
    labels.every((label, index) => (index === 0 && label === "*") || labelPattern.test(label));
  return valid ? undefined : "Enter a DNS name like api.example.com (or *.example.com), not an IP address.";
}

function prefixProblem(value: string): string | undefined {
  if (!value.startsWith("/")) {
    return "Start the prefix with /, like /v1.";
  }
  const segments = value.replace(/\/$/, "").split("/").slice(1);
  const cleanSegments = segments.every((segment) => segment !== "" && segment !== "." && segment !== "..");
  const clean = !/[?#%\\\s]/.test(value) && (value === "/" || cleanSegments);
  return clean ? undefined : "Use a clean path: no //, . or .. segments, and no %, ?, #, \\ or spaces.";
}

function rangeProblem(text: string, min: number, max: number): string | undefined {
  const value = text.trim();
  if (value === "") {
    return undefined;
  }
  const number = Number(value);
  return Number.isInteger(number) && number >= min && number <= max
    ? undefined
    : `Enter a whole number from ${min.toLocaleString("en")} to ${max.toLocaleString("en")}.`;
}

/** isHttpURL tells whether text is an http:// or https:// URL with a
 * host and no user info. */
export function isHttpURL(text: string): boolean {
  try {
    const url = new URL(text);
    const http = url.protocol === "http:" || url.protocol === "https:";
    return http && url.hostname !== "" && url.username === "" && url.password === "";
  } catch {
    return false;
  }
}

function isPublicKeyPEM(block: string): boolean {
  return block.includes("-----BEGIN PUBLIC KEY-----");
}
