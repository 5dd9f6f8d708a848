// Answers of the admin API for the tests of the app and key pages, as the
// real API gives them (docs/api-reference.md, "Apps" and "API keys").

/** shopApp is an app as GET /api/v1/apps/{id} answers it. */
export const shopApp = {
  app_id: "01a21ac3-3224-767b-8767-2263249161d7",
  config: {
    name: "Shop API",
    slug: "shop",
    hostnames: ["api.acme.example"],
    path_prefixes: ["/v1"],
    upstreams: [
      { url: "http://10.0.0.5:8080", weight: 3 },
      { url: "http://10.0.0.6:8080", weight: 1 },
    ],
    timeouts: { connect_ms: 5000, read_ms: 30000, write_ms: 30000 },
    auth_mode: "api_key",
    status: "active",
  },
  has_hs256_secret: false,
  created_at: "2026-11-27T02:08:49.705079Z",
  updated_at: "2026-11-27T02:08:49.705079Z",
  revision: 10,
};

/** billingApp is a second app, with JWTs and an HS secret. */
export const billingApp = {
  app_id: "01a21ac3-4a11-7c2e-9a0e-0f3b8d1c2e4f",
  config: {
    name: "Billing",
    slug: "billing",
    hostnames: ["billing.acme.example", "pay.acme.example"],
    path_prefixes: ["/"],
    upstreams: [{ url: "https://billing.internal.acme.example", weight: 1 }],
    timeouts: { connect_ms: 5000, read_ms: 30000, write_ms: 30000 },
    auth_mode: "jwt",
    jwt: {
      algorithms: ["HS256"],
      issuer: "https://login.acme.example",
      tenant_claim: "tenant_id",
      user_claim: "sub",
      roles_claim: "roles",
    },
    status: "suspended",
  },
  has_hs256_secret: true,
  created_at: "2026-11-26T10:00:00Z",
  updated_at: "2026-11-27T09:30:00Z",
  revision: 12,
};

/** webKey is an active production key of shopApp, as lists give it. */
export const webKey = {
  key_id: "01a21ac3-6351-710b-8890-a5e72892d48f",
  app_id: shopApp.app_id,
  environment: "production",
  name: "web",
  scopes: ["orders:read"],
  masked: "aeg_prod_IxFe…dQAp",
  status: "active",
  created_at: "2026-11-27T02:09:02.289882Z",
};

/** ciKey is a revoked staging key of billingApp, with every field set. */
export const ciKey = {
  key_id: "01a21ac3-7d00-7aaa-8bbb-0c1d2e3f4a5b",
  app_id: billingApp.app_id,
  environment: "staging",
  name: "ci",
  scopes: null,
  tenant_id: "tenant-42",
  expires_at: "2030-01-01T00:00:00Z",
  rate_limit: { requests: 100, period_seconds: 60 },
  masked: "aeg_stg_Q2w9…Zk3P",
  status: "revoked",
  created_at: "2026-11-20T08:00:00Z",
  revoked_at: "2026-11-21T08:00:00Z",
};
