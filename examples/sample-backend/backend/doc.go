// Package backend is a small multi-tenant API meant to sit behind Aegis. It
// keeps notes in memory per tenant, echoes what reached it so that the
// gateway's tests can see what was forwarded, and answers the gateway's
// authorization callout with a built-in policy.
//
// It trusts the headers the gateway sets (X-Aegis-Tenant-Id,
// X-Aegis-User-Id, X-Aegis-App-Id, X-Aegis-Key-Env, X-Request-Id) without
// checking them, which is safe only because the gateway removes the
// X-Aegis-* headers a client sends before it sets its own, and only as long
// as nothing but the gateway can reach the backend.
package backend
