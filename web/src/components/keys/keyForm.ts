import type { components } from "../../api/schema";
import { isPast, localInputToISO } from "../../lib/time";
import { splitList } from "../apps/appDraft";
import type { Environment } from "./keyQueries";

/** KeyForm is the new key form as typed. */
export type KeyForm = {
  appId: string;
  name: string;
  environment: Environment | string;
  scopes: string;
  tenantId: string;
  /** expiresAt is a datetime-local value, in the browser's time zone. */
  expiresAt: string;
  requests: string;
  periodSeconds: string;
};

/** KeyFormErrors maps the form's fields (and the rate limit as a whole)
 * to what is wrong with them. */
export type KeyFormErrors = Partial<Record<keyof KeyForm | "rateLimit", string>>;

const scopePattern = /^[A-Za-z0-9_.:/-]{1,64}$/;

/**
 * checkKeyForm returns what is wrong with the form, as of now. It mirrors
 * the rules of POST /api/v1/apps/{id}/api-keys; the API checks them again.
 */
export function checkKeyForm(form: KeyForm, now: Date): KeyFormErrors {
  const errors: KeyFormErrors = {};
  if (!form.appId) {
    errors.appId = "Choose the app the key is for.";
  }
  const name = form.name.trim();
  errors.name = name === "" ? "Enter a name for the key." : name.length > 80 ? "Use at most 80 characters." : undefined;
  const scopes = splitList(form.scopes);
  const bad = scopes.find((scope) => !scopePattern.test(scope));
  errors.scopes = bad
    ? `"${bad}" is not a scope: use 1 to 64 of A-Z, a-z, 0-9, _, ., :, / and -.`
    : scopes.length > 50
      ? "Use at most 50 scopes."
      : undefined;
  if (form.tenantId.trim().length > 128) {
    errors.tenantId = "Use at most 128 characters.";
  }
  if (form.expiresAt) {
    const at = localInputToISO(form.expiresAt);
    errors.expiresAt = !at ? "Enter a date and time." : isPast(at, now) ? "Choose a time in the future." : undefined;
  }
  const requests = form.requests.trim();
  const period = form.periodSeconds.trim();
  if (requests !== "" || period !== "") {
    if (requests === "" || period === "") {
      errors.rateLimit = "Give both the number of requests and the period, or neither.";
    }
    if (requests !== "" && !isWhole(requests, 1, Number.MAX_SAFE_INTEGER)) {
      errors.requests = "Enter a whole number, at least 1.";
    }
    if (period !== "" && !isWhole(period, 1, 86_400)) {
      errors.periodSeconds = "Enter a whole number of seconds from 1 to 86,400.";
    }
  }
  return errors;
}

/** keyBody returns the body of POST /api/v1/apps/{id}/api-keys: optional
 * fields only when given. */
export function keyBody(form: KeyForm): components["schemas"]["CreateKeyInputBody"] {
  const body: components["schemas"]["CreateKeyInputBody"] = {
    name: form.name.trim(),
    environment: form.environment as Environment,
  };
  const scopes = splitList(form.scopes);
  if (scopes.length > 0) {
    body.scopes = scopes;
  }
  if (form.tenantId.trim()) {
    body.tenant_id = form.tenantId.trim();
  }
  const expiresAt = localInputToISO(form.expiresAt);
  if (expiresAt) {
    body.expires_at = expiresAt;
  }
  if (form.requests.trim() && form.periodSeconds.trim()) {
    body.rate_limit = { requests: Number(form.requests), period_seconds: Number(form.periodSeconds) };
  }
  return body;
}

function isWhole(text: string, min: number, max: number): boolean {
  const value = Number(text);
  return Number.isInteger(value) && value >= min && value <= max;
}
