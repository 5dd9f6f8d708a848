package projector_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/aegis-oss/aegis/projector"
	"github.com/aegis-oss/aegis/schema"
)

// kvGet decodes the value under key in bucket into v. It reports false if
// the key was never written.
func kvGet(t *testing.T, s stack, bucket, key string, v any) bool {
	t.Helper()
	kv, err := s.log.JetStream().KeyValue(context.Background(), bucket)
	if err != nil {
		t.Fatal(err)
	}
	entry, err := kv.Get(context.Background(), key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return false
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(entry.Value(), v); err != nil {
		t.Fatal(err)
	}
	return true
}

func runGateway(t *testing.T, s stack) {
	t.Helper()
	runUntilCaughtUp(t, s, projector.Gateway{}, projector.WithKV(projector.NewKV(s.log.JetStream())))
}

func TestGatewayViewInKV(t *testing.T) {
	s := newStack(t)
	h := newHistory(t, s)
	cust, app, key := schema.NewID(), schema.NewID(), schema.NewID()
	h.customer(schema.EventCustomerRegistered, cust, schema.CustomerRegistered{CompanyName: "Acme", OwnerID: schema.NewID()})
	cfg := schema.AppConfig{Name: "Shop", Slug: "shop", Hostnames: []string{"api.acme.example", "shop.acme.example"},
		PathPrefixes: []string{"/v1", "/v2"}, Upstreams: []schema.Upstream{{URL: "http://127.0.0.1:4000", Weight: 1}},
		AuthMode: schema.AuthAPIKey, Status: schema.AppActive}
	created := h.append(schema.EventAppCreated, cust, schema.AggregateApp, app, schema.SystemActor, schema.AppCreated{AppConfig: cfg})
	expires := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	keyCreated := h.append(schema.EventAPIKeyCreated, cust, schema.AggregateAPIKey, key, schema.SystemActor, schema.APIKeyCreated{
		AppID: app, Environment: schema.EnvProduction, Name: "web", Scopes: []string{"orders:read"}, TenantID: "t-1",
		ExpiresAt: &expires, KeyHash: "hash-1", Prefix: "aeg_prod_abcd", Last4: "wxyz"})
	runGateway(t, s)

	var route schema.RouteRecord
	if !kvGet(t, s, schema.BucketRoutes, schema.RouteKey("shop.acme.example", "/v2"), &route) ||
		route.AppID != app || route.Revision != created.rev || route.Host != "shop.acme.example" || route.PathPrefix != "/v2" {
		t.Fatalf("route = %+v", route)
	}
	var appRec schema.AppRecord
	if !kvGet(t, s, schema.BucketApps, schema.AppKey(app), &appRec) || appRec.Config == nil || appRec.Config.Slug != "shop" || appRec.CustomerID != cust {
		t.Fatalf("app = %+v", appRec)
	}
	var keyRec schema.KeyRecord
	if !kvGet(t, s, schema.BucketKeys, "hash-1", &keyRec) || keyRec.KeyID != key || keyRec.AppID != app || keyRec.TenantID != "t-1" ||
		keyRec.Environment != schema.EnvProduction || keyRec.ExpiresAt == nil || !keyRec.ExpiresAt.Equal(expires) || keyRec.Revision != keyCreated.rev {
		t.Fatalf("key = %+v", keyRec)
	}

	// Moving a route away leaves a tombstone; the moved app keeps the rest.
	cfg2 := cfg
	cfg2.Hostnames = []string{"api.acme.example"}
	updated := h.append(schema.EventAppUpdated, cust, schema.AggregateApp, app, schema.SystemActor, schema.AppUpdated{AppConfig: cfg2})
	grace := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	rotated := h.append(schema.EventAPIKeyRotated, cust, schema.AggregateAPIKey, key, schema.SystemActor,
		schema.APIKeyRotated{KeyHash: "hash-2", Last4: "abcd", OldKeyHash: "hash-1", OldValidUntil: grace})
	suspended := h.customer(schema.EventCustomerSuspended, cust, schema.CustomerSuspended{Reason: "unpaid"})
	runGateway(t, s)

	var gone schema.RouteRecord
	if !kvGet(t, s, schema.BucketRoutes, schema.RouteKey("shop.acme.example", "/v1"), &gone) || !gone.Deleted || gone.Revision != updated.rev {
		t.Fatalf("moved route = %+v; want a tombstone at %d", gone, updated.rev)
	}
	if !kvGet(t, s, schema.BucketRoutes, schema.RouteKey("api.acme.example", "/v1"), &route) || route.Deleted || route.Revision != updated.rev {
		t.Fatalf("kept route = %+v", route)
	}
	var oldKey, newKey schema.KeyRecord
	kvGet(t, s, schema.BucketKeys, "hash-1", &oldKey)
	kvGet(t, s, schema.BucketKeys, "hash-2", &newKey)
	if oldKey.ValidUntil == nil || !oldKey.ValidUntil.Equal(grace) || oldKey.Revision != rotated.rev || oldKey.KeyID != key {
		t.Fatalf("rotated-out key = %+v", oldKey)
	}
	if newKey.ValidUntil != nil || newKey.KeyID != key || newKey.TenantID != "t-1" || newKey.Revision != rotated.rev {
		t.Fatalf("new key = %+v", newKey)
	}
	var custRec schema.CustomerRecord
	if !kvGet(t, s, schema.BucketApps, schema.CustomerKey(cust), &custRec) || custRec.Status != "suspended" || custRec.Revision != suspended.rev {
		t.Fatalf("customer = %+v", custRec)
	}

	// Revoking removes every secret of the key; deleting the app, its routes.
	revoked := h.append(schema.EventAPIKeyRevoked, cust, schema.AggregateAPIKey, key, schema.SystemActor, schema.APIKeyRevoked{AppID: app})
	deleted := h.append(schema.EventAppDeleted, cust, schema.AggregateApp, app, schema.SystemActor, schema.AppDeleted{Slug: "shop"})
	runGateway(t, s)
	for _, hash := range []string{"hash-1", "hash-2"} {
		var k schema.KeyRecord
		if !kvGet(t, s, schema.BucketKeys, hash, &k) || !k.Deleted || k.Revision != revoked.rev {
			t.Fatalf("key %s after revocation = %+v", hash, k)
		}
	}
	for _, r := range []string{schema.RouteKey("api.acme.example", "/v1"), schema.RouteKey("api.acme.example", "/v2")} {
		var rr schema.RouteRecord
		if !kvGet(t, s, schema.BucketRoutes, r, &rr) || !rr.Deleted || rr.Revision != deleted.rev {
			t.Fatalf("route after deletion = %+v", rr)
		}
	}
	var tomb schema.AppRecord
	if !kvGet(t, s, schema.BucketApps, schema.AppKey(app), &tomb) || !tomb.Deleted || tomb.Config != nil {
		t.Fatalf("app after deletion = %+v", tomb)
	}

	// A rebuild replays everything: KV does not move back, the tables match.
	before := dump(t, s.pool, "gateway_keys")
	if _, err := projector.Rebuild(context.Background(), s.log, s.pool, projector.Gateway{}, projector.WithKV(projector.NewKV(s.log.JetStream()))); err != nil {
		t.Fatal(err)
	}
	if got := dump(t, s.pool, "gateway_keys"); len(got) != len(before) {
		t.Fatalf("gateway_keys after rebuild = %v; before %v", got, before)
	}
	var rebuilt schema.AppRecord
	if !kvGet(t, s, schema.BucketApps, schema.AppKey(app), &rebuilt) || !rebuilt.Deleted || rebuilt.Revision != deleted.rev {
		t.Fatalf("app after rebuild = %+v", rebuilt)
	}
}
