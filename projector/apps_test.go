package projector_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/aegis-oss/aegis/projector"
	"github.com/aegis-oss/aegis/schema"
)

// appTables are the tables of the apps projection.
var appTables = []string{"apps", "app_routes", "api_keys", "api_key_hashes"}

// appsHistory appends app and API key events the way command handlers do,
// claiming slugs and routes before an app takes them and releasing them
// when it lets go.
type appsHistory struct {
	*history
	routes map[string][]string // app id → its claimed routes
}

func routeValues(c schema.AppConfig) []string {
	prefixes := c.PathPrefixes
	if len(prefixes) == 0 {
		prefixes = []string{"/"}
	}
	var out []string
	for _, host := range c.Hostnames {
		for _, prefix := range prefixes {
			out = append(out, host+"|"+prefix)
		}
	}
	return out
}

func (h *appsHistory) claim(kind, value, app string) {
	h.t.Helper()
	if _, err := h.l.Claim(context.Background(), kind, value, "app:"+app, schema.SystemActor, ""); err != nil {
		h.t.Fatalf("claim %s %s: %v", kind, value, err)
	}
}

func (h *appsHistory) release(kind, value, app string) {
	h.t.Helper()
	if _, err := h.l.Release(context.Background(), kind, value, "app:"+app, schema.SystemActor, ""); err != nil {
		h.t.Fatalf("release %s %s: %v", kind, value, err)
	}
}

// setRoutes claims the routes of c for app and releases those it no
// longer serves.
func (h *appsHistory) setRoutes(app string, c schema.AppConfig) {
	h.t.Helper()
	next := routeValues(c)
	for _, r := range next {
		h.claim(schema.ClaimRoute, r, app)
	}
	for _, r := range h.routes[app] {
		if !slices.Contains(next, r) {
			h.release(schema.ClaimRoute, r, app)
		}
	}
	h.routes[app] = next
}

func (h *appsHistory) createApp(customer, member, app string, c schema.AppConfig) appended {
	h.t.Helper()
	h.claim(schema.ClaimAppSlug, c.Slug, app)
	h.setRoutes(app, c)
	return h.append(schema.EventAppCreated, customer, schema.AggregateApp, app,
		schema.Actor{Kind: schema.ActorMember, ID: member}, schema.AppCreated{AppConfig: c})
}

func (h *appsHistory) updateApp(customer, member, app string, old, c schema.AppConfig) appended {
	h.t.Helper()
	if c.Slug != old.Slug {
		h.claim(schema.ClaimAppSlug, c.Slug, app)
	}
	h.setRoutes(app, c)
	a := h.append(schema.EventAppUpdated, customer, schema.AggregateApp, app,
		schema.Actor{Kind: schema.ActorMember, ID: member}, schema.AppUpdated{AppConfig: c})
	if c.Slug != old.Slug {
		h.release(schema.ClaimAppSlug, old.Slug, app)
	}
	return a
}

func (h *appsHistory) deleteApp(customer, member, app string, c schema.AppConfig) appended {
	h.t.Helper()
	a := h.append(schema.EventAppDeleted, customer, schema.AggregateApp, app,
		schema.Actor{Kind: schema.ActorMember, ID: member}, schema.AppDeleted{Slug: c.Slug})
	h.release(schema.ClaimAppSlug, c.Slug, app)
	for _, r := range h.routes[app] {
		h.release(schema.ClaimRoute, r, app)
	}
	delete(h.routes, app)
	return a
}

func (h *appsHistory) key(typ, customer, member, key string, payload any) appended {
	h.t.Helper()
	return h.append(typ, customer, schema.AggregateAPIKey, key, schema.Actor{Kind: schema.ActorMember, ID: member}, payload)
}

// appsStory is the story told to the log: two customers' apps, one changing
// its routes and slug, one suspended, one deleted with its keys; keys
// created, rotated and revoked.
type appsStory struct {
	a, b                                           string // customers
	adaA, bobB                                     string // members acting
	shop, legacy, billing                          string
	shopV1, shopV2, legacyV1, billingV1, billingV2 schema.AppConfig

	shopProd, shopStaging, legacyProd, legacyDev, legacyOld, billingProd string // keys

	shopCreated, billingCreated, legacyCreated, shopUpdated, billingSuspended, legacyDeleted appended
	shopProdCreated, billingProdCreated, shopStagingCreated                                  appended
	legacyProdCreated, legacyDevCreated, legacyOldCreated                                    appended
	shopProdRotated, legacyDevRotated, legacyOldRevoked, shopStagingRevoked                  appended
	shopProdGrace, legacyDevGrace, billingProdExpiry                                         time.Time
}

// appEvents is how many app and API key events appendApps appends.
const appEvents = 16

func appendApps(t *testing.T, h *history) appsStory {
	t.Helper()
	ah := &appsHistory{history: h, routes: map[string][]string{}}
	s := appsStory{
		a: schema.NewID(), b: schema.NewID(), adaA: schema.NewID(), bobB: schema.NewID(),
		shop: schema.NewID(), legacy: schema.NewID(), billing: schema.NewID(),
		shopProd: schema.NewID(), shopStaging: schema.NewID(), legacyProd: schema.NewID(),
		legacyDev: schema.NewID(), legacyOld: schema.NewID(), billingProd: schema.NewID(),
	}
	timeouts := schema.Timeouts{ConnectMS: 2000, ReadMS: 30000, WriteMS: 30000}
	s.shopV1 = schema.AppConfig{
		Name: "Shop", Slug: "acme-shop",
		Hostnames:    []string{"api.acme.example", "shop.acme.example"},
		PathPrefixes: []string{"/v1", "/v2"},
		Upstreams:    []schema.Upstream{{URL: "https://shop-1.internal:8443", Weight: 3}, {URL: "https://shop-2.internal:8443", Weight: 1}},
		Timeouts:     timeouts,
		AuthMode:     schema.AuthBoth,
		JWT: &schema.JWTConfig{
			Issuer: "https://id.acme.example", Audiences: []string{"shop"}, Algorithms: []string{"HS256"},
			HS256SecretSealed: "v1.sealed.c2hvcC1zZWNyZXQ", TenantClaim: "org", UserClaim: "sub", RolesClaim: "roles",
		},
		AuthorizeURL: "https://authz.acme.example/check",
		Status:       schema.AppActive,
	}
	s.shopV2 = s.shopV1
	s.shopV2.Name, s.shopV2.Slug = "Storefront", "acme-storefront"
	s.shopV2.Hostnames = []string{"api.acme.example", "www.acme.example"}
	s.shopV2.PathPrefixes = []string{"/v2", "/v3"}
	s.legacyV1 = schema.AppConfig{
		Name: "Legacy", Slug: "acme-legacy",
		Hostnames:    []string{"legacy.acme.example", "old.acme.example"},
		PathPrefixes: []string{"/api", "/rpc"},
		Upstreams:    []schema.Upstream{{URL: "http://10.0.0.7:8080", Weight: 1}},
		Timeouts:     timeouts,
		AuthMode:     schema.AuthAPIKey,
		Status:       schema.AppActive,
	}
	s.billingV1 = schema.AppConfig{
		Name: "Billing", Slug: "globex-billing",
		Hostnames:    []string{"billing.globex.example", "pay.globex.example"},
		PathPrefixes: []string{"/invoices", "/payments"},
		Upstreams:    []schema.Upstream{{URL: "https://billing.globex.internal", Weight: 1}},
		Timeouts:     schema.Timeouts{ConnectMS: 1000, ReadMS: 10000, WriteMS: 10000},
		AuthMode:     schema.AuthJWT,
		JWT: &schema.JWTConfig{
			Algorithms: []string{"RS256"}, JWKSURL: "https://id.globex.example/.well-known/jwks.json",
			TenantClaim: "tenant", UserClaim: "sub", RolesClaim: "scope",
		},
		Status: schema.AppActive,
	}
	// Suspended, with every path of its hosts, and an HS256 secret added.
	s.billingV2 = s.billingV1
	s.billingV2.PathPrefixes = nil
	s.billingV2.Status = schema.AppSuspended
	jwt := *s.billingV1.JWT
	jwt.Algorithms = []string{"RS256", "HS256"}
	jwt.HS256SecretSealed = "v1.sealed.Z2xvYmV4"
	s.billingV2.JWT = &jwt

	s.shopProdGrace = h.now.Add(36 * time.Hour)
	s.legacyDevGrace = h.now.Add(2 * time.Hour)
	s.billingProdExpiry = h.now.Add(365 * 24 * time.Hour)

	// Both customers set up their apps; the log interleaves them.
	s.shopCreated = ah.createApp(s.a, s.adaA, s.shop, s.shopV1)
	s.billingCreated = ah.createApp(s.b, s.bobB, s.billing, s.billingV1)
	s.legacyCreated = ah.createApp(s.a, s.adaA, s.legacy, s.legacyV1)

	// Keys for each app and environment.
	s.shopProdCreated = ah.key(schema.EventAPIKeyCreated, s.a, s.adaA, s.shopProd, schema.APIKeyCreated{
		AppID: s.shop, Environment: schema.EnvProduction, Name: "checkout", Scopes: []string{"orders:read", "orders:write"},
		TenantID: "t-42", RateLimit: &schema.RateLimit{Requests: 100, PeriodSeconds: 60},
		KeyHash: sha("aeg_live_shopprod1"), Prefix: "aeg_live_Sp1", Last4: "rod1"})
	s.billingProdCreated = ah.key(schema.EventAPIKeyCreated, s.b, s.bobB, s.billingProd, schema.APIKeyCreated{
		AppID: s.billing, Environment: schema.EnvProduction, Name: "invoicing", Scopes: []string{"invoices:read"},
		ExpiresAt: &s.billingProdExpiry, KeyHash: sha("aeg_live_billing1"), Prefix: "aeg_live_Bi1", Last4: "ing1"})
	s.shopStagingCreated = ah.key(schema.EventAPIKeyCreated, s.a, s.adaA, s.shopStaging, schema.APIKeyCreated{
		AppID: s.shop, Environment: schema.EnvStaging, Name: "qa",
		KeyHash: sha("aeg_test_shopstaging"), Prefix: "aeg_test_Ss1", Last4: "ging"})
	s.legacyProdCreated = ah.key(schema.EventAPIKeyCreated, s.a, s.adaA, s.legacyProd, schema.APIKeyCreated{
		AppID: s.legacy, Environment: schema.EnvProduction, Name: "mobile-v1",
		KeyHash: sha("aeg_live_legacyprod"), Prefix: "aeg_live_Lp1", Last4: "prod"})
	s.legacyDevCreated = ah.key(schema.EventAPIKeyCreated, s.a, s.adaA, s.legacyDev, schema.APIKeyCreated{
		AppID: s.legacy, Environment: schema.EnvDevelopment, Name: "laptop", Scopes: []string{"*"},
		KeyHash: sha("aeg_dev_legacydev1"), Prefix: "aeg_dev_Ld1", Last4: "dev1"})
	s.legacyOldCreated = ah.key(schema.EventAPIKeyCreated, s.a, s.adaA, s.legacyOld, schema.APIKeyCreated{
		AppID: s.legacy, Environment: schema.EnvProduction, Name: "partner",
		KeyHash: sha("aeg_live_legacyold"), Prefix: "aeg_live_Lo1", Last4: "yold"})

	// Rotations keep the old secret for a grace period; revocations end a
	// key at once.
	s.shopProdRotated = ah.key(schema.EventAPIKeyRotated, s.a, s.adaA, s.shopProd, schema.APIKeyRotated{
		KeyHash: sha("aeg_live_shopprod2"), Prefix: "aeg_live_Sp2", Last4: "rod2", OldKeyHash: sha("aeg_live_shopprod1"), OldValidUntil: s.shopProdGrace})
	// An event stored before rotations recorded the new prefix: the key
	// keeps its old one.
	s.legacyDevRotated = ah.key(schema.EventAPIKeyRotated, s.a, s.adaA, s.legacyDev, schema.APIKeyRotated{
		KeyHash: sha("aeg_dev_legacydev2"), Last4: "dev2", OldKeyHash: sha("aeg_dev_legacydev1"), OldValidUntil: s.legacyDevGrace})
	s.legacyOldRevoked = ah.key(schema.EventAPIKeyRevoked, s.a, s.adaA, s.legacyOld, schema.APIKeyRevoked{AppID: s.legacy})
	s.shopStagingRevoked = ah.key(schema.EventAPIKeyRevoked, s.a, s.adaA, s.shopStaging, schema.APIKeyRevoked{AppID: s.shop})

	// The shop moves to new routes and a new slug; billing is suspended;
	// the legacy app goes, with its keys.
	s.shopUpdated = ah.updateApp(s.a, s.adaA, s.shop, s.shopV1, s.shopV2)
	s.billingSuspended = ah.updateApp(s.b, s.bobB, s.billing, s.billingV1, s.billingV2)
	s.legacyDeleted = ah.deleteApp(s.a, s.adaA, s.legacy, s.legacyV1)
	return s
}

func newHistory(t *testing.T, s stack) *history {
	return &history{t: t, l: s.log, now: time.Date(2026, 3, 9, 14, 0, 0, 0, time.UTC)}
}

func TestAppsHandlesEveryAppAndAPIKeyEvent(t *testing.T) {
	var want []string
	for _, et := range schema.Catalog().Types() {
		if strings.HasPrefix(et.Name, schema.AggregateApp+".") || strings.HasPrefix(et.Name, schema.AggregateAPIKey+".") {
			want = append(want, et.Name)
		}
	}
	got := projector.Apps{}.Handles()
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Fatalf("Apps handles %v; want %v", got, want)
	}
}

func TestAppsIsRunByTheServer(t *testing.T) {
	p, ok := projector.ByName(schema.ProjectionApps)
	if !ok {
		t.Fatalf("ByName(%q) found nothing", schema.ProjectionApps)
	}
	if _, isApps := p.(projector.Apps); !isApps {
		t.Fatalf("ByName(%q) = %T; want projector.Apps", schema.ProjectionApps, p)
	}
}

// withoutSecret is c as the apps table keeps it.
func withoutSecret(c schema.AppConfig) schema.AppConfig {
	if c.JWT != nil {
		jwt := *c.JWT
		jwt.HS256SecretSealed = ""
		c.JWT = &jwt
	}
	return c
}

func TestAppsProjectsAppsRoutesAndKeys(t *testing.T) {
	s := newStack(t)
	st := appendApps(t, newHistory(t, s))
	runUntilCaughtUp(t, s, projector.Apps{}, projector.WithBatchSize(5))
	a, b := st.a, st.b

	for _, tc := range []struct {
		table string
		sql   string
		want  []string
	}{
		{"apps",
			`SELECT app_id, customer_id, name, slug, has_hs256_secret, status, auth_mode, created_at, updated_at, revision
			FROM apps ORDER BY created_at`,
			[]string{
				row(st.shop, a, "Storefront", "acme-storefront", true, "active", "both", st.shopCreated.at, st.shopUpdated.at, st.shopUpdated.rev),
				row(st.billing, b, "Billing", "globex-billing", true, "suspended", "jwt", st.billingCreated.at, st.billingSuspended.at, st.billingSuspended.rev),
			}},
		{"app_routes",
			`SELECT hostname, path_prefix, customer_id, app_id, revision FROM app_routes ORDER BY hostname, path_prefix`,
			[]string{
				row("api.acme.example", "/v2", a, st.shop, st.shopUpdated.rev),
				row("api.acme.example", "/v3", a, st.shop, st.shopUpdated.rev),
				row("billing.globex.example", "/", b, st.billing, st.billingSuspended.rev),
				row("pay.globex.example", "/", b, st.billing, st.billingSuspended.rev),
				row("www.acme.example", "/v2", a, st.shop, st.shopUpdated.rev),
				row("www.acme.example", "/v3", a, st.shop, st.shopUpdated.rev),
			}},
		{"api_keys",
			`SELECT key_id, customer_id, app_id, environment, name, array_to_string(scopes, ','), tenant_id, expires_at,
				rate_limit::text, prefix, last4, status, created_at, rotated_at, revoked_at, revision
			FROM api_keys ORDER BY created_at`,
			[]string{
				row(st.shopProd, a, st.shop, "production", "checkout", "orders:read,orders:write", "t-42", nil,
					`{"requests": 100, "period_seconds": 60}`, "aeg_live_Sp2", "rod2", "active",
					st.shopProdCreated.at, st.shopProdRotated.at, nil, st.shopProdRotated.rev),
				row(st.billingProd, b, st.billing, "production", "invoicing", "invoices:read", "", st.billingProdExpiry,
					nil, "aeg_live_Bi1", "ing1", "active",
					st.billingProdCreated.at, nil, nil, st.billingProdCreated.rev),
				row(st.shopStaging, a, st.shop, "staging", "qa", "", "", nil,
					nil, "aeg_test_Ss1", "ging", "revoked",
					st.shopStagingCreated.at, nil, st.shopStagingRevoked.at, st.shopStagingRevoked.rev),
				// The deleted app's keys: revoked with it, but the one
				// revoked before keeps its own time.
				row(st.legacyProd, a, st.legacy, "production", "mobile-v1", "", "", nil,
					nil, "aeg_live_Lp1", "prod", "revoked",
					st.legacyProdCreated.at, nil, st.legacyDeleted.at, st.legacyDeleted.rev),
				row(st.legacyDev, a, st.legacy, "development", "laptop", "*", "", nil,
					nil, "aeg_dev_Ld1", "dev2", "revoked",
					st.legacyDevCreated.at, st.legacyDevRotated.at, st.legacyDeleted.at, st.legacyDeleted.rev),
				row(st.legacyOld, a, st.legacy, "production", "partner", "", "", nil,
					nil, "aeg_live_Lo1", "yold", "revoked",
					st.legacyOldCreated.at, nil, st.legacyOldRevoked.at, st.legacyOldRevoked.rev),
			}},
		{"api_key_hashes",
			`SELECT key_hash, key_id, customer_id, valid_until, revision
			FROM api_key_hashes ORDER BY revision, valid_until NULLS LAST`,
			[]string{
				row(sha("aeg_live_billing1"), st.billingProd, b, nil, st.billingProdCreated.rev),
				row(sha("aeg_live_shopprod1"), st.shopProd, a, st.shopProdGrace, st.shopProdRotated.rev),
				row(sha("aeg_live_shopprod2"), st.shopProd, a, nil, st.shopProdRotated.rev),
			}},
	} {
		if got := rows(t, s.pool, tc.sql); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %s\nwant %s", tc.table, strings.Join(got, "\n     "), strings.Join(tc.want, "\n     "))
		}
	}

	// The config column holds the whole configuration, but never the
	// sealed secret.
	ctx := context.Background()
	for app, want := range map[string]schema.AppConfig{st.shop: st.shopV2, st.billing: st.billingV2} {
		var raw []byte
		if err := s.pool.QueryRow(ctx, `SELECT config::text FROM apps WHERE app_id = $1`, app).Scan(&raw); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(raw), "hs256_secret_sealed") || strings.Contains(string(raw), "v1.sealed.") {
			t.Errorf("config of %s holds the sealed secret: %s", want.Name, raw)
		}
		var got schema.AppConfig
		if err := json.Unmarshal(raw, &got); err != nil {
			t.Fatal(err)
		}
		if want := withoutSecret(want); !reflect.DeepEqual(got, want) {
			t.Errorf("config of %s:\n got %+v\nwant %+v", want.Name, got, want)
		}
	}

	last, err := s.log.LastRevision(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := checkpoint(t, s.pool, schema.ProjectionApps); got != last {
		t.Fatalf("checkpoint = %d; want %d", got, last)
	}

	// A rebuild from revision 1 gives the same rows.
	res := rebuildEqualsLive(t, s, projector.Apps{}, appTables)
	if res.Revision != last || res.Applied != appEvents {
		t.Fatalf("Rebuild = %+v; want revision %d, %d events applied", res, last, appEvents)
	}
}

// A key of a deleted app stays revoked and without hashes, whatever is
// appended for it afterwards.
func TestAppsKeepKeysOfADeletedAppRevoked(t *testing.T) {
	s := newStack(t)
	h := &appsHistory{history: newHistory(t, s), routes: map[string][]string{}}
	customer, member, app, key := schema.NewID(), schema.NewID(), schema.NewID(), schema.NewID()
	c := schema.AppConfig{
		Name: "Orders", Slug: "orders", Hostnames: []string{"orders.example"},
		Upstreams: []schema.Upstream{{URL: "https://orders.internal", Weight: 1}},
		AuthMode:  schema.AuthAPIKey, Status: schema.AppActive,
	}
	h.createApp(customer, member, app, c)
	created := h.key(schema.EventAPIKeyCreated, customer, member, key, schema.APIKeyCreated{
		AppID: app, Environment: schema.EnvProduction, Name: "ci", KeyHash: sha("k1"), Prefix: "aeg_live_k1", Last4: "y-k1"})
	deleted := h.deleteApp(customer, member, app, c)
	rotated := h.key(schema.EventAPIKeyRotated, customer, member, key, schema.APIKeyRotated{
		KeyHash: sha("k2"), Last4: "y-k2", OldKeyHash: sha("k1"), OldValidUntil: h.now.Add(time.Hour)})
	runUntilCaughtUp(t, s, projector.Apps{}, projector.WithBatchSize(1))
	if got := rows(t, s.pool, `SELECT key_hash FROM api_key_hashes`); got != nil {
		t.Errorf("after a rotation of a key of a deleted app, api_key_hashes holds %v; want none", got)
	}

	revoked := h.key(schema.EventAPIKeyRevoked, customer, member, key, schema.APIKeyRevoked{AppID: app})
	runUntilCaughtUp(t, s, projector.Apps{}, projector.WithBatchSize(1))

	for _, tc := range []struct {
		table string
		sql   string
		want  []string
	}{
		{"apps", `SELECT app_id FROM apps`, nil},
		{"app_routes", `SELECT hostname FROM app_routes`, nil},
		{"api_keys", `SELECT key_id, status, created_at, rotated_at, revoked_at, revision FROM api_keys`,
			[]string{row(key, "revoked", created.at, rotated.at, deleted.at, revoked.rev)}},
		{"api_key_hashes", `SELECT key_hash FROM api_key_hashes`, nil},
	} {
		if got := rows(t, s.pool, tc.sql); !slices.Equal(got, tc.want) {
			t.Errorf("%s:\n got %s\nwant %s", tc.table, strings.Join(got, "\n     "), strings.Join(tc.want, "\n     "))
		}
	}
}

func TestAppsRowLevelSecurity(t *testing.T) {
	s := newStack(t)
	st := appendApps(t, newHistory(t, s))
	runUntilCaughtUp(t, s, projector.Apps{})
	ctx := context.Background()

	conn, err := pgx.Connect(ctx, s.pool.Config().ConnString())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	checkIsolation(t, s, conn, appTables, st.a, st.b)

	// The admin API never writes: every change is an event.
	for _, q := range []string{
		`UPDATE apps SET status = 'active' WHERE customer_id = $1`,
		`DELETE FROM app_routes WHERE customer_id = $1`,
		`UPDATE api_keys SET status = 'active' WHERE customer_id = $1`,
		`INSERT INTO api_key_hashes (key_hash, key_id, customer_id, revision) VALUES ('h', 'k', $1, 1)`,
	} {
		err := asAPI(t, conn, st.a, func(tx pgx.Tx) error {
			_, err := tx.Exec(ctx, q, st.a)
			return err
		})
		var pgErr *pgconn.PgError
		if !errors.As(err, &pgErr) || pgErr.Code != "42501" {
			t.Errorf("as aegis_api, %s\ngot %v; want permission denied (42501)", q, err)
		}
	}
}
