package projector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/aegis-oss/aegis/schema"
)

// Gateway writes the gateway's view of the platform to KV: routes, app
// configurations and customer standing (BucketRoutes, BucketApps), and API
// keys by the SHA-256 of their secrets (BucketKeys), every value stamped
// with the revision it comes from. What it must remember to keep KV right
// (the routes of each app, each key's record and the hashes it answers
// to) it keeps in gateway_routes and gateway_keys.
type Gateway struct{}

// Name implements Projection.
func (Gateway) Name() string { return schema.ProjectionGateway }

// Handles implements Projection.
func (Gateway) Handles() []string {
	return []string{
		schema.EventCustomerRegistered, schema.EventCustomerSuspended, schema.EventCustomerReactivated,
		schema.EventAppCreated, schema.EventAppUpdated, schema.EventAppDeleted,
		schema.EventAPIKeyCreated, schema.EventAPIKeyRotated, schema.EventAPIKeyRevoked,
	}
}

// Tables implements Projection.
func (Gateway) Tables() []string { return []string{"gateway_routes", "gateway_keys"} }

// Apply implements Projection.
func (g Gateway) Apply(ctx context.Context, w *Writer, e schema.Event) error {
	kv := w.KV()
	if kv == nil {
		return errors.New("the gateway projection needs a KV writer")
	}
	stamp := schema.Stamp{Revision: e.Revision}
	switch e.Type {
	case schema.EventCustomerRegistered, schema.EventCustomerReactivated:
		return kv.Put(ctx, schema.BucketApps, schema.CustomerKey(e.Customer),
			schema.CustomerRecord{Stamp: stamp, CustomerID: e.Customer, Status: "active"})
	case schema.EventCustomerSuspended:
		return kv.Put(ctx, schema.BucketApps, schema.CustomerKey(e.Customer),
			schema.CustomerRecord{Stamp: stamp, CustomerID: e.Customer, Status: "suspended"})
	case schema.EventAppCreated, schema.EventAppUpdated:
		var p schema.AppCreated
		if err := e.Decode(&p); err != nil {
			return err
		}
		return g.putApp(ctx, w, e, p.AppConfig)
	case schema.EventAppDeleted:
		if err := g.setRoutes(ctx, w, e, nil); err != nil {
			return err
		}
		return kv.Delete(ctx, schema.BucketApps, schema.AppKey(e.AggregateID), e.Revision)
	case schema.EventAPIKeyCreated:
		var p schema.APIKeyCreated
		if err := e.Decode(&p); err != nil {
			return err
		}
		rec := schema.KeyRecord{Stamp: stamp, KeyID: e.AggregateID, AppID: p.AppID, CustomerID: e.Customer,
			Environment: p.Environment, Scopes: p.Scopes, TenantID: p.TenantID, ExpiresAt: p.ExpiresAt, RateLimit: p.RateLimit}
		if err := kv.Put(ctx, schema.BucketKeys, p.KeyHash, rec); err != nil {
			return err
		}
		return g.saveKey(w, e, rec, []string{p.KeyHash})
	case schema.EventAPIKeyRotated:
		var p schema.APIKeyRotated
		if err := e.Decode(&p); err != nil {
			return err
		}
		return g.rotateKey(ctx, w, e, p)
	case schema.EventAPIKeyRevoked:
		_, hashes, err := g.loadKey(ctx, w, e.AggregateID)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil // revoked before
		}
		if err != nil {
			return err
		}
		for _, h := range hashes {
			if err := kv.Delete(ctx, schema.BucketKeys, h, e.Revision); err != nil {
				return err
			}
		}
		w.Exec(`DELETE FROM gateway_keys WHERE key_id = $1`, e.AggregateID)
	}
	return nil
}

// putApp writes an app's configuration and routes.
func (g Gateway) putApp(ctx context.Context, w *Writer, e schema.Event, cfg schema.AppConfig) error {
	if err := g.setRoutes(ctx, w, e, routesOf(cfg)); err != nil {
		return err
	}
	return w.KV().Put(ctx, schema.BucketApps, schema.AppKey(e.AggregateID),
		schema.AppRecord{Stamp: schema.Stamp{Revision: e.Revision}, AppID: e.AggregateID, CustomerID: e.Customer, Config: &cfg})
}

// route is one hostname and path prefix.
type route struct{ host, prefix string }

func routesOf(cfg schema.AppConfig) []route {
	prefixes := cfg.PathPrefixes
	if len(prefixes) == 0 {
		prefixes = []string{"/"}
	}
	var out []route
	for _, h := range cfg.Hostnames {
		for _, p := range prefixes {
			out = append(out, route{h, p})
		}
	}
	return out
}

// setRoutes makes an app's routes in KV exactly routes: new ones written,
// ones the app no longer has turned into tombstones.
func (g Gateway) setRoutes(ctx context.Context, w *Writer, e schema.Event, routes []route) error {
	rows, err := w.Query(ctx, `SELECT route_key FROM gateway_routes WHERE app_id = $1`, e.AggregateID)
	if err != nil {
		return err
	}
	old, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return err
	}
	keep := make(map[string]bool, len(routes))
	for _, r := range routes {
		key := schema.RouteKey(r.host, r.prefix)
		keep[key] = true
		if err := w.KV().Put(ctx, schema.BucketRoutes, key, schema.RouteRecord{
			Stamp: schema.Stamp{Revision: e.Revision}, Host: r.host, PathPrefix: r.prefix, AppID: e.AggregateID, CustomerID: e.Customer,
		}); err != nil {
			return err
		}
	}
	for _, key := range old {
		if !keep[key] {
			if err := w.KV().Delete(ctx, schema.BucketRoutes, key, e.Revision); err != nil {
				return err
			}
		}
	}
	w.Exec(`DELETE FROM gateway_routes WHERE app_id = $1`, e.AggregateID)
	for key := range keep {
		w.Exec(`INSERT INTO gateway_routes (customer_id, app_id, route_key, revision) VALUES ($1, $2, $3, $4)`,
			e.Customer, e.AggregateID, key, int64(e.Revision))
	}
	return nil
}

// rotateKey writes the key's record under its new hash, keeps the old hash
// until its grace period ends, and drops hashes of earlier rotations.
func (g Gateway) rotateKey(ctx context.Context, w *Writer, e schema.Event, p schema.APIKeyRotated) error {
	rec, hashes, err := g.loadKey(ctx, w, e.AggregateID)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil // revoked before: nothing answers to it any more
	}
	if err != nil {
		return err
	}
	kv := w.KV()
	rec.Stamp = schema.Stamp{Revision: e.Revision}
	rec.ValidUntil = nil
	if err := kv.Put(ctx, schema.BucketKeys, p.KeyHash, rec); err != nil {
		return err
	}
	old := rec
	validUntil := p.OldValidUntil
	old.ValidUntil = &validUntil
	if err := kv.Put(ctx, schema.BucketKeys, p.OldKeyHash, old); err != nil {
		return err
	}
	for _, h := range hashes {
		if h != p.OldKeyHash && h != p.KeyHash {
			if err := kv.Delete(ctx, schema.BucketKeys, h, e.Revision); err != nil {
				return err
			}
		}
	}
	return g.saveKey(w, e, rec, []string{p.KeyHash, p.OldKeyHash})
}

// saveKey remembers a key's record and the hashes that answer to it.
func (Gateway) saveKey(w *Writer, e schema.Event, rec schema.KeyRecord, hashes []string) error {
	b, err := json.Marshal(rec)
	if err != nil {
		return fmt.Errorf("encode key record: %w", err)
	}
	w.Exec(`INSERT INTO gateway_keys (key_id, customer_id, record, hashes, revision) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (key_id) DO UPDATE SET record = EXCLUDED.record, hashes = EXCLUDED.hashes, revision = EXCLUDED.revision`,
		e.AggregateID, e.Customer, string(b), hashes, int64(e.Revision))
	return nil
}

// loadKey returns what saveKey remembered of a key. It returns
// pgx.ErrNoRows for a key it does not know.
func (Gateway) loadKey(ctx context.Context, w *Writer, keyID string) (schema.KeyRecord, []string, error) {
	var rec schema.KeyRecord
	var raw []byte
	var hashes []string
	if err := w.QueryRow(ctx, `SELECT record, hashes FROM gateway_keys WHERE key_id = $1`, keyID).Scan(&raw, &hashes); err != nil {
		return rec, nil, err
	}
	if err := json.Unmarshal(raw, &rec); err != nil {
		return rec, nil, fmt.Errorf("decode key record: %w", err)
	}
	return rec, hashes, nil
}

// EndBatch implements BatchEnder: it writes the batch's last revision as
// the watermark of each bucket, after the batch's values. A node that has
// seen a bucket's watermark R has applied every value of that bucket up to
// R, so the lowest of the three watermarks is the revision the node can
// say it has applied.
func (Gateway) EndBatch(ctx context.Context, w *Writer, revision uint64) error {
	kv := w.KV()
	if kv == nil {
		return errors.New("the gateway projection needs a KV writer")
	}
	for _, b := range []string{schema.BucketRoutes, schema.BucketApps, schema.BucketKeys} {
		if err := kv.Put(ctx, b, schema.WatermarkKey, schema.Stamp{Revision: revision}); err != nil {
			return err
		}
	}
	return nil
}
