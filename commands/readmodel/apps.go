package readmodel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aegis-oss/aegis/schema"
)

// App is an app as the API shows it: its configuration without the sealed
// JWT secret, and whether it has one.
type App struct {
	AppID          string           `json:"app_id"`
	Config         schema.AppConfig `json:"config"`
	HasHS256Secret bool             `json:"has_hs256_secret"`
	CreatedAt      time.Time        `json:"created_at"`
	UpdatedAt      time.Time        `json:"updated_at"`
	// Revision is the app's revision, to send back with an update.
	Revision uint64 `json:"revision"`
}

const appColumns = `app_id, config, has_hs256_secret, created_at, updated_at, revision`

func scanApp(r pgx.Row) (App, error) {
	var a App
	var rev int64
	err := r.Scan(&a.AppID, &a.Config, &a.HasHS256Secret, &a.CreatedAt, &a.UpdatedAt, &rev)
	a.Revision = uint64(rev)
	return a, err
}

// Apps returns the apps of the customer tx is bound to, newest first.
func Apps(ctx context.Context, tx pgx.Tx) ([]App, error) {
	rows, err := tx.Query(ctx, `SELECT `+appColumns+` FROM apps ORDER BY created_at DESC, app_id DESC`)
	if err != nil {
		return nil, fmt.Errorf("apps: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (App, error) { return scanApp(r) })
	if err != nil {
		return nil, fmt.Errorf("apps: %w", err)
	}
	return out, nil
}

// AppByID returns one app of the customer tx is bound to. It returns a
// not-found *Error if there is none.
func AppByID(ctx context.Context, tx pgx.Tx, appID string) (App, error) {
	a, err := scanApp(tx.QueryRow(ctx, `SELECT `+appColumns+` FROM apps WHERE app_id = $1`, appID))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, schema.Errorf(schema.CodeNotFound, "app not found")
	}
	if err != nil {
		return a, fmt.Errorf("app: %w", err)
	}
	return a, nil
}

// APIKey is an API key as listed: masked, never its secret or hash.
type APIKey struct {
	KeyID       string            `json:"key_id"`
	AppID       string            `json:"app_id"`
	Environment string            `json:"environment"`
	Name        string            `json:"name"`
	Scopes      []string          `json:"scopes"`
	TenantID    string            `json:"tenant_id,omitempty"`
	ExpiresAt   *time.Time        `json:"expires_at,omitempty"`
	RateLimit   *schema.RateLimit `json:"rate_limit,omitempty"`
	// Masked shows the key's prefix and last 4 characters.
	Masked    string     `json:"masked"`
	Status    string     `json:"status"`
	CreatedAt time.Time  `json:"created_at"`
	RotatedAt *time.Time `json:"rotated_at,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// KeyFilter selects API keys; empty fields select all.
type KeyFilter struct {
	AppID, Environment string
}

// APIKeys returns the API keys of the customer tx is bound to, newest
// first.
func APIKeys(ctx context.Context, tx pgx.Tx, f KeyFilter) ([]APIKey, error) {
	rows, err := tx.Query(ctx, `
		SELECT key_id, app_id, environment, name, scopes, tenant_id, expires_at, rate_limit, prefix, last4,
		       status, created_at, rotated_at, revoked_at
		FROM api_keys
		WHERE ($1 = '' OR app_id = $1) AND ($2 = '' OR environment = $2)
		ORDER BY created_at DESC, key_id DESC`, f.AppID, f.Environment)
	if err != nil {
		return nil, fmt.Errorf("api keys: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (APIKey, error) {
		var k APIKey
		var prefix, last4 string
		err := r.Scan(&k.KeyID, &k.AppID, &k.Environment, &k.Name, &k.Scopes, &k.TenantID, &k.ExpiresAt, &k.RateLimit,
			&prefix, &last4, &k.Status, &k.CreatedAt, &k.RotatedAt, &k.RevokedAt)
		k.Masked = prefix + "…" + last4
		return k, err
	})
	if err != nil {
		return nil, fmt.Errorf("api keys: %w", err)
	}
	return out, nil
}
