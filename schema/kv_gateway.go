package schema

import (
	"encoding/base64"
	"time"
)

// The gateway's view of the platform, written to KV by the gateway
// projection and watched by every gateway node. Each value embeds a Stamp;
// a removed thing is a tombstone (Stamp.Deleted) with no other field set.

// RouteRecord is a value of BucketRoutes, under RouteKey(Host, PathPrefix):
// the app a hostname and path prefix lead to.
type RouteRecord struct {
	Stamp
	Host       string `json:"host,omitempty"`
	PathPrefix string `json:"path_prefix,omitempty"`
	AppID      string `json:"app_id,omitempty"`
	CustomerID string `json:"customer_id,omitempty"`
}

// RouteKey returns the KV key of a route: the base64url of
// "<host>|<prefix>", since hostnames and paths hold characters KV keys
// cannot.
func RouteKey(host, prefix string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(host + "|" + prefix))
}

// AppRecord is a value of BucketApps, under AppKey(AppID): an app's
// configuration as the gateway needs it. The JWT HMAC secret stays sealed
// with the master key.
type AppRecord struct {
	Stamp
	AppID      string     `json:"app_id,omitempty"`
	CustomerID string     `json:"customer_id,omitempty"`
	Config     *AppConfig `json:"config,omitempty"`
}

// CustomerRecord is a value of BucketApps, under CustomerKey(CustomerID):
// whether the customer's traffic may pass.
type CustomerRecord struct {
	Stamp
	CustomerID string `json:"customer_id,omitempty"`
	// Status is "active" or "suspended".
	Status string `json:"status,omitempty"`
}

// AppKey returns the KV key of an app in BucketApps.
func AppKey(appID string) string { return "app." + appID }

// CustomerKey returns the KV key of a customer in BucketApps.
func CustomerKey(customerID string) string { return "customer." + customerID }

// KeyRecord is a value of BucketKeys, under the SHA-256 (hex) of an API
// key: everything the gateway needs to accept or refuse the key.
type KeyRecord struct {
	Stamp
	KeyID       string     `json:"key_id,omitempty"`
	AppID       string     `json:"app_id,omitempty"`
	CustomerID  string     `json:"customer_id,omitempty"`
	Environment string     `json:"environment,omitempty"`
	Scopes      []string   `json:"scopes,omitempty"`
	TenantID    string     `json:"tenant_id,omitempty"`
	ExpiresAt   *time.Time `json:"expires_at,omitempty"`
	// ValidUntil ends a rotated-out secret's grace period.
	ValidUntil *time.Time `json:"valid_until,omitempty"`
	RateLimit  *RateLimit `json:"rate_limit,omitempty"`
}

// WatermarkKey is the key, in each bucket the gateway projection writes,
// of a Stamp holding the revision of the last batch written to it: a
// reader that has seen it has seen every value of the bucket up to that
// revision.
const WatermarkKey = "_watermark"

// ProjectionGateway names the projection that writes the gateway's KV view.
const ProjectionGateway = "gateway"
