import type { App, AppBody } from "./appQueries";

/** AuthMode is how an app's callers authenticate. */
export type AuthMode = "api_key" | "jwt" | "both";

/** AppStatus is whether the gateway serves an app. */
export type AppStatus = "active" | "suspended";

/** UpstreamDraft is one upstream as typed: weight stays text until sent. */
export type UpstreamDraft = { url: string; weight: string };

/**
 * AppDraft is an app's configuration as the forms hold it: what was typed,
 * numbers as text, lists with their blank rows. bodyFromDraft turns it into
 * what the admin API takes.
 */
export type AppDraft = {
  name: string;
  slug: string;
  hostnames: string[];
  pathPrefixes: string[];
  upstreams: UpstreamDraft[];
  connectMs: string;
  readMs: string;
  writeMs: string;
  authMode: AuthMode;
  algorithms: string[];
  /** secret is a new HS secret; blank keeps the one the app has. */
  secret: string;
  publicKeys: string;
  jwksUrl: string;
  issuer: string;
  audiences: string;
  tenantClaim: string;
  userClaim: string;
  rolesClaim: string;
  authorizeUrl: string;
  status: AppStatus;
};

/** algorithms are the JWT algorithms the gateway can check. */
export const algorithms = [
  "HS256",
  "HS384",
  "HS512",
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
] as const;

/** emptyDraft is a new app's configuration, before anything is typed. */
export const emptyDraft: AppDraft = {
  name: "",
  slug: "",
  hostnames: [""],
  pathPrefixes: [""],
  upstreams: [{ url: "", weight: "1" }],
  connectMs: "",
  readMs: "",
  writeMs: "",
  authMode: "api_key",
  algorithms: [],
  secret: "",
  publicKeys: "",
  jwksUrl: "",
  issuer: "",
  audiences: "",
  tenantClaim: "",
  userClaim: "",
  rolesClaim: "",
  authorizeUrl: "",
  status: "active",
};

/** draftFromApp returns the draft of a stored app, to edit it. */
export function draftFromApp(app: App): AppDraft {
  const config = app.config;
  const jwt = config.jwt;
  return {
    name: config.name,
    slug: config.slug,
    hostnames: nonEmpty(config.hostnames),
    pathPrefixes: nonEmpty(config.path_prefixes),
    upstreams: (config.upstreams ?? []).map((upstream) => ({ url: upstream.url, weight: String(upstream.weight ?? 1) })),
    connectMs: numberText(config.timeouts.connect_ms),
    readMs: numberText(config.timeouts.read_ms),
    writeMs: numberText(config.timeouts.write_ms),
    authMode: asAuthMode(config.auth_mode),
    algorithms: [...(jwt?.algorithms ?? [])],
    secret: "",
    publicKeys: (jwt?.public_keys_pem ?? []).join("\n"),
    jwksUrl: jwt?.jwks_url ?? "",
    issuer: jwt?.issuer ?? "",
    audiences: (jwt?.audiences ?? []).join(", "),
    tenantClaim: jwt?.tenant_claim ?? "",
    userClaim: jwt?.user_claim ?? "",
    rolesClaim: jwt?.roles_claim ?? "",
    authorizeUrl: config.authorize_url ?? "",
    status: config.status === "suspended" ? "suspended" : "active",
  };
}

/**
 * bodyFromDraft returns the body of POST /api/v1/apps or PUT
 * /api/v1/apps/{id}: blank rows left out, text trimmed, numbers parsed,
 * optional fields sent only when given, and the JWT settings only with an
 * auth mode that uses them.
 */
export function bodyFromDraft(draft: AppDraft): AppBody {
  const body: AppBody = {
    name: draft.name.trim(),
    slug: draft.slug.trim(),
    hostnames: filled(draft.hostnames),
    path_prefixes: filled(draft.pathPrefixes),
    upstreams: draft.upstreams
      .filter((upstream) => upstream.url.trim() !== "")
      .map((upstream) => ({ url: upstream.url.trim(), weight: toNumber(upstream.weight) ?? 1 })),
    auth_mode: draft.authMode,
    status: draft.status,
  };
  const timeouts = {
    connect_ms: toNumber(draft.connectMs),
    read_ms: toNumber(draft.readMs),
    write_ms: toNumber(draft.writeMs),
  };
  if (Object.values(timeouts).some((value) => value !== undefined)) {
    body.timeouts = timeouts;
  }
  if (draft.authorizeUrl.trim()) {
    body.authorize_url = draft.authorizeUrl.trim();
  }
  if (draft.authMode !== "api_key") {
    body.jwt = {
      algorithms: draft.algorithms,
      ...optional("hs256_secret", draft.secret),
      ...optional("issuer", draft.issuer.trim()),
      ...optional("jwks_url", draft.jwksUrl.trim()),
      ...optional("tenant_claim", draft.tenantClaim.trim()),
      ...optional("user_claim", draft.userClaim.trim()),
      ...optional("roles_claim", draft.rolesClaim.trim()),
    };
    const audiences = splitList(draft.audiences);
    if (audiences.length > 0) {
      body.jwt.audiences = audiences;
    }
    const keys = splitPEM(draft.publicKeys);
    if (keys.length > 0) {
      body.jwt.public_keys_pem = keys;
    }
  }
  return body;
}

/** usesHMAC tells whether the chosen algorithms need a shared secret. */
export function usesHMAC(draft: AppDraft): boolean {
  return draft.algorithms.some((algorithm) => algorithm.startsWith("HS"));
}

/** usesPublicKeys tells whether the chosen algorithms need public keys. */
export function usesPublicKeys(draft: AppDraft): boolean {
  return draft.algorithms.some((algorithm) => !algorithm.startsWith("HS"));
}

/** slugFrom returns a slug made from an app's name: "Shop API" → "shop-api". */
export function slugFrom(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 63)
    .replace(/-+$/, "");
}

/** splitList returns the items of a list typed with commas or spaces. */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);
}

/** splitPEM returns each PEM block of text, or text itself if it holds
 * none (so that the API names what is wrong with it). */
export function splitPEM(text: string): string[] {
  const blocks = text.match(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g);
  if (blocks) {
    return blocks;
  }
  return text.trim() ? [text.trim()] : [];
}

/** toNumber returns the integer typed, or undefined for a blank field. */
export function toNumber(text: string): number | undefined {
  const value = text.trim();
  return value === "" ? undefined : Number(value);
}

function asAuthMode(mode: string): AuthMode {
  return mode === "jwt" || mode === "both" ? mode : "api_key";
}

function nonEmpty(list: string[] | null | undefined): string[] {
  return list && list.length > 0 ? [...list] : [""];
}

function filled(list: string[]): string[] {
  return list.map((item) => item.trim()).filter(Boolean);
}

function numberText(value: number | undefined): string {
  return value === undefined ? "" : String(value);
}

function optional<K extends string>(key: K, value: string): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}
