package projector

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/aegis-oss/aegis/schema"
)

// Apps is the read model of customers' apps and API keys: the apps,
// app_routes, api_keys and api_key_hashes tables, which the admin API reads
// under row-level security. Every row carries its customer and the revision
// of the event that last changed it.
type Apps struct{}

// Name implements Projection.
func (Apps) Name() string { return schema.ProjectionApps }

// Handles implements Projection: every app and API key event type.
func (Apps) Handles() []string {
	return []string{
		schema.EventAppCreated,
		schema.EventAppUpdated,
		schema.EventAppDeleted,
		schema.EventAPIKeyCreated,
		schema.EventAPIKeyRotated,
		schema.EventAPIKeyRevoked,
	}
}

// Tables implements Projection.
func (Apps) Tables() []string {
	return []string{"apps", "app_routes", "api_keys", "api_key_hashes"}
}

// Rows are created with Insert (COPY): apps and keys once, by the first
// event of their aggregate; routes after the app's previous ones are
// deleted, and each route is claimed before an app takes it; key hashes
// are SHA-256 of fresh secrets. Changes are statements.
var (
	appColumns = []string{
		"app_id", "customer_id", "name", "slug", "config", "has_hs256_secret", "status", "auth_mode",
		"created_at", "updated_at", "revision",
	}
	routeColumns  = []string{"customer_id", "app_id", "hostname", "path_prefix", "revision"}
	apiKeyColumns = []string{
		"key_id", "customer_id", "app_id", "environment", "name", "scopes", "tenant_id", "expires_at",
		"rate_limit", "prefix", "last4", "status", "created_at", "revision",
	}
	keyHashColumns = []string{"key_hash", "key_id", "customer_id", "valid_until", "revision"}
)

// Apply implements Projection. It returns an error if the payload does not
// decode.
func (Apps) Apply(_ context.Context, w *Writer, e schema.Event) error {
	rev := int64(e.Revision)
	switch e.Type {
	case schema.EventAppCreated:
		var p schema.AppCreated
		if err := e.Decode(&p); err != nil {
			return err
		}
		config, hasSecret, err := storedConfig(p.AppConfig)
		if err != nil {
			return err
		}
		w.Insert("apps", appColumns,
			e.AggregateID, e.Customer, p.Name, p.Slug, config, hasSecret, p.Status, p.AuthMode,
			e.OccurredAt, e.OccurredAt, rev)
		insertRoutes(w, e, p.AppConfig)

	case schema.EventAppUpdated:
		var p schema.AppUpdated
		if err := e.Decode(&p); err != nil {
			return err
		}
		config, hasSecret, err := storedConfig(p.AppConfig)
		if err != nil {
			return err
		}
		w.Exec(`UPDATE apps SET name = $3, slug = $4, config = $5, has_hs256_secret = $6, status = $7,
			auth_mode = $8, updated_at = $9, revision = $10
			WHERE app_id = $1 AND customer_id = $2`,
			e.AggregateID, e.Customer, p.Name, p.Slug, config, hasSecret, p.Status, p.AuthMode, e.OccurredAt, rev)
		w.Exec(`DELETE FROM app_routes WHERE customer_id = $1 AND app_id = $2`, e.Customer, e.AggregateID)
		insertRoutes(w, e, p.AppConfig)

	case schema.EventAppDeleted:
		// The app's keys die with it: revoked, and no hash recognises them.
		w.Exec(`DELETE FROM app_routes WHERE customer_id = $1 AND app_id = $2`, e.Customer, e.AggregateID)
		w.Exec(`DELETE FROM api_key_hashes h USING api_keys k
			WHERE h.customer_id = $1 AND k.customer_id = $1 AND k.app_id = $2 AND h.key_id = k.key_id`,
			e.Customer, e.AggregateID)
		w.Exec(`UPDATE api_keys SET status = 'revoked', revoked_at = $3, revision = $4
			WHERE customer_id = $1 AND app_id = $2 AND status = 'active'`,
			e.Customer, e.AggregateID, e.OccurredAt, rev)
		w.Exec(`DELETE FROM apps WHERE app_id = $1 AND customer_id = $2`, e.AggregateID, e.Customer)

	case schema.EventAPIKeyCreated:
		var p schema.APIKeyCreated
		if err := e.Decode(&p); err != nil {
			return err
		}
		scopes := p.Scopes
		if scopes == nil {
			scopes = []string{} // a nil slice would be NULL
		}
		var rateLimit any // NULL: the app's limit applies
		if p.RateLimit != nil {
			b, err := json.Marshal(p.RateLimit)
			if err != nil {
				return fmt.Errorf("apps: encode rate limit: %w", err)
			}
			rateLimit = json.RawMessage(b)
		}
		w.Insert("api_keys", apiKeyColumns,
			e.AggregateID, e.Customer, p.AppID, p.Environment, p.Name, scopes, p.TenantID, p.ExpiresAt,
			rateLimit, p.Prefix, p.Last4, "active", e.OccurredAt, rev)
		w.Insert("api_key_hashes", keyHashColumns, p.KeyHash, e.AggregateID, e.Customer, nil, rev)

	case schema.EventAPIKeyRotated:
		var p schema.APIKeyRotated
		if err := e.Decode(&p); err != nil {
			return err
		}
		w.Exec(`UPDATE api_keys SET prefix = COALESCE(NULLIF($6, ''), prefix), last4 = $3, rotated_at = $4, revision = $5
			WHERE key_id = $1 AND customer_id = $2`, e.AggregateID, e.Customer, p.Last4, e.OccurredAt, rev, p.Prefix)
		w.Exec(`UPDATE api_key_hashes SET valid_until = $3, revision = $4
			WHERE key_hash = $1 AND key_id = $2`, p.OldKeyHash, e.AggregateID, p.OldValidUntil, rev)
		// A key revoked with its app keeps no hash, even if rotated after.
		w.Exec(`INSERT INTO api_key_hashes (key_hash, key_id, customer_id, valid_until, revision)
			SELECT $1, key_id, customer_id, NULL, $3 FROM api_keys
			WHERE key_id = $2 AND status = 'active'`, p.KeyHash, e.AggregateID, rev)

	case schema.EventAPIKeyRevoked:
		// revoked_at stays at the first revocation: the app's deletion may
		// have revoked the key already.
		w.Exec(`UPDATE api_keys SET status = 'revoked', revoked_at = COALESCE(revoked_at, $3), revision = $4
			WHERE key_id = $1 AND customer_id = $2`, e.AggregateID, e.Customer, e.OccurredAt, rev)
		w.Exec(`DELETE FROM api_key_hashes WHERE customer_id = $1 AND key_id = $2`, e.Customer, e.AggregateID)

	default:
		return fmt.Errorf("apps: unexpected event type %q", e.Type)
	}
	return nil
}

// storedConfig returns c as the JSON the apps table keeps, without the
// sealed HS256 secret, and whether c has one. It returns an error if c
// does not encode.
func storedConfig(c schema.AppConfig) (json.RawMessage, bool, error) {
	hasSecret := c.JWT != nil && c.JWT.HS256SecretSealed != ""
	if c.JWT != nil {
		jwt := *c.JWT
		jwt.HS256SecretSealed = ""
		c.JWT = &jwt
	}
	b, err := json.Marshal(c)
	if err != nil {
		return nil, false, fmt.Errorf("apps: encode config: %w", err)
	}
	return b, hasSecret, nil
}

// insertRoutes queues one app_routes row per hostname and path prefix of
// c; no prefix means "/". A pair listed twice gets one row.
func insertRoutes(w *Writer, e schema.Event, c schema.AppConfig) {
	prefixes := c.PathPrefixes
	if len(prefixes) == 0 {
		prefixes = []string{"/"}
	}
	type route struct{ host, prefix string }
	seen := make(map[route]bool, len(c.Hostnames)*len(prefixes))
	for _, host := range c.Hostnames {
		for _, prefix := range prefixes {
			if r := (route{host, prefix}); !seen[r] {
				seen[r] = true
				w.Insert("app_routes", routeColumns, e.Customer, e.AggregateID, host, prefix, int64(e.Revision))
			}
		}
	}
}
