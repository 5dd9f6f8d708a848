package schema

import "time"

// Apps: one of a customer's APIs behind the gateway. Events live on
// aegis.evt.<customer id>.app.<app id>.
const (
	AggregateApp = "app"

	EventAppCreated = "app.created"
	EventAppUpdated = "app.updated"
	EventAppDeleted = "app.deleted"
)

// ClaimRoute is the claim kind of a route: a hostname and a path prefix,
// "<host>|<prefix>", unique across the platform.
const ClaimRoute = "route"

// App statuses.
const (
	AppActive    = "active"
	AppSuspended = "suspended"
)

// App auth modes: what credentials the gateway accepts for the app.
const (
	AuthAPIKey = "api_key"
	AuthJWT    = "jwt"
	AuthBoth   = "both"
)

// AppConfig is an app's whole configuration, as created and as replaced by
// each update.
type AppConfig struct {
	Name         string     `json:"name"`
	Slug         string     `json:"slug"`
	Hostnames    []string   `json:"hostnames"`
	PathPrefixes []string   `json:"path_prefixes"`
	Upstreams    []Upstream `json:"upstreams"`
	Timeouts     Timeouts   `json:"timeouts"`
	AuthMode     string     `json:"auth_mode"`
	JWT          *JWTConfig `json:"jwt,omitempty"`
	AuthorizeURL string     `json:"authorize_url,omitempty"`
	Status       string     `json:"status"`
}

// Upstream is one target the gateway proxies an app's traffic to.
type Upstream struct {
	URL    string `json:"url"`
	Weight int    `json:"weight,omitempty"`
}

// Timeouts bound the gateway's work on each upstream request, in
// milliseconds.
type Timeouts struct {
	ConnectMS int `json:"connect_ms,omitempty"`
	ReadMS    int `json:"read_ms,omitempty"`
	WriteMS   int `json:"write_ms,omitempty"`
}

// JWTConfig is how the gateway checks an app's JWTs.
type JWTConfig struct {
	Issuer     string   `json:"issuer,omitempty"`
	Audiences  []string `json:"audiences,omitempty"`
	Algorithms []string `json:"algorithms"`
	// HS256SecretSealed is the HMAC secret sealed with the master key
	// (never the secret itself).
	HS256SecretSealed string   `json:"hs256_secret_sealed,omitempty"`
	PublicKeysPEM     []string `json:"public_keys_pem,omitempty"`
	JWKSURL           string   `json:"jwks_url,omitempty"`
	TenantClaim       string   `json:"tenant_claim"`
	UserClaim         string   `json:"user_claim"`
	RolesClaim        string   `json:"roles_claim"`
}

// AppCreated is the payload of app.created.
type AppCreated struct {
	AppConfig
}

// AppUpdated is the payload of app.updated: the app's new configuration,
// whole.
type AppUpdated struct {
	AppConfig
}

// AppDeleted is the payload of app.deleted.
type AppDeleted struct {
	Slug string `json:"slug"`
}

// API keys: credentials a customer issues for one app and environment.
// Events live on aegis.evt.<customer id>.apikey.<key id>.
const (
	AggregateAPIKey = "apikey"

	EventAPIKeyCreated = "apikey.created"
	EventAPIKeyRotated = "apikey.rotated"
	EventAPIKeyRevoked = "apikey.revoked"
)

// Environments an API key belongs to, and the tag each has in keys.
const (
	EnvProduction  = "production"
	EnvStaging     = "staging"
	EnvDevelopment = "development"
)

// RateLimit overrides an app's rate limit for one key: Requests per
// PeriodSeconds.
type RateLimit struct {
	Requests      int `json:"requests"`
	PeriodSeconds int `json:"period_seconds"`
}

// APIKeyCreated is the payload of apikey.created. KeyHash is the SHA-256
// of the key; the key itself is shown once and never stored.
type APIKeyCreated struct {
	AppID       string     `json:"app_id"`
	Environment string     `json:"environment"`
	Name        string     `json:"name"`
	Scopes      []string   `json:"scopes,omitempty"`
	TenantID    string     `json:"tenant_id,omitempty"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`
	RateLimit   *RateLimit `json:"rate_limit,omitempty"`
	KeyHash     string     `json:"key_hash"`
	Prefix      string     `json:"prefix"`
	Last4       string     `json:"last4"`
}

// APIKeyRotated is the payload of apikey.rotated: a new secret replaces
// the old one, which keeps working until OldValidUntil.
type APIKeyRotated struct {
	KeyHash string `json:"key_hash"`
	// Prefix is the new secret's prefix, shown in lists; events stored
	// before it was recorded have none, and the key keeps its old one.
	Prefix        string    `json:"prefix,omitempty"`
	Last4         string    `json:"last4"`
	OldKeyHash    string    `json:"old_key_hash"`
	OldValidUntil time.Time `json:"old_valid_until"`
}

// APIKeyRevoked is the payload of apikey.revoked.
type APIKeyRevoked struct {
	AppID string `json:"app_id"`
}

func init() {
	catalogTypes = append(catalogTypes, []EventType{
		{Name: EventAppCreated, Version: 1, Doc: "An app was registered: its routes, upstreams, timeouts and auth."},
		{Name: EventAppUpdated, Version: 1, Doc: "An app's configuration was replaced, whole."},
		{Name: EventAppDeleted, Version: 1, Doc: "An app was deleted; its routes and slug are free again."},
		{Name: EventAPIKeyCreated, Version: 1, Doc: "An API key was issued for an app and environment (only its hash is kept)."},
		{Name: EventAPIKeyRotated, Version: 1, Doc: "An API key got a new secret; the old one works until its grace period ends."},
		{Name: EventAPIKeyRevoked, Version: 1, Doc: "An API key was revoked."},
	})
}
