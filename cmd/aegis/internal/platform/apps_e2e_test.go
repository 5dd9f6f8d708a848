package platform_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/platform"
	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

// platformT is a running platform and the SMTP server its mail goes to.
type platformT struct {
	*platform.Platform
	smtp *testkit.SMTPServer
}

func startPlatform(t *testing.T) *platformT {
	t.Helper()
	p, smtp := startAccounts(t)
	return &platformT{Platform: p, smtp: smtp}
}

func appBody(slug string, hosts ...string) map[string]any {
	return map[string]any{
		"name": "Shop API " + slug, "slug": slug, "hostnames": hosts, "path_prefixes": []string{"/v1"},
		"upstreams": []map[string]any{{"url": "http://127.0.0.1:4000", "weight": 2}},
	}
}

// ownerClient registers a customer, verifies and logs its owner in.
func ownerClient(t *testing.T, p *platformT, company, email string) *client {
	t.Helper()
	c := newClient(t, p.Platform)
	register(t, c, p.smtp, company, email)
	login(t, c, email)
	return c
}

func TestAppsAndKeysEndToEnd(t *testing.T) {
	p := startPlatform(t)
	c := ownerClient(t, p, "Acme", "ada@acme.example")

	var app struct {
		AppID    string `json:"app_id"`
		Revision uint64 `json:"revision"`
	}
	c.must("POST", "/api/v1/apps", appBody("shop", "api.acme.example", "API.acme.example."), nil, 400) // the same host twice
	c.must("POST", "/api/v1/apps", appBody("shop", "api.acme.example"), &app, 201)
	var got struct {
		AppID    string `json:"app_id"`
		Revision uint64 `json:"revision"`
		Config   struct {
			Hostnames    []string `json:"hostnames"`
			PathPrefixes []string `json:"path_prefixes"`
			Timeouts     struct {
				ConnectMS int `json:"connect_ms"`
			} `json:"timeouts"`
			AuthMode string `json:"auth_mode"`
		} `json:"config"`
	}
	c.must("GET", "/api/v1/apps/"+app.AppID, nil, &got, 200)
	if got.Config.Hostnames[0] != "api.acme.example" || got.Config.Timeouts.ConnectMS != 5000 || got.Config.AuthMode != "api_key" || got.Revision != app.Revision {
		t.Fatalf("app = %+v", got)
	}

	var key struct {
		KeyID string `json:"key_id"`
		Key   string `json:"key"`
		Last4 string `json:"last4"`
	}
	c.must("POST", "/api/v1/apps/"+app.AppID+"/api-keys", map[string]any{"environment": "production", "name": "web", "scopes": []string{"orders:read"}}, &key, 201)
	if !strings.HasPrefix(key.Key, "aeg_prod_") || !strings.HasSuffix(key.Key, key.Last4) {
		t.Fatalf("key = %+v", key)
	}
	var keys struct {
		Keys []struct {
			KeyID, Masked, Status, Environment string
		} `json:"keys"`
	}
	raw := c.must("GET", "/api/v1/api-keys", nil, &keys, 200)
	if len(keys.Keys) != 1 || !strings.HasSuffix(keys.Keys[0].Masked, key.Last4) || strings.Contains(raw, key.Key) || strings.Contains(raw, "hash") {
		t.Fatalf("keys = %s", raw)
	}

	var rotated struct {
		Key    string `json:"key"`
		Prefix string `json:"prefix"`
		Last4  string `json:"last4"`
	}
	c.must("POST", "/api/v1/api-keys/"+key.KeyID+"/rotate", map[string]any{"grace_seconds": 3600}, &rotated, 200)
	if rotated.Key == key.Key || !strings.HasPrefix(rotated.Key, "aeg_prod_") {
		t.Fatalf("rotated = %+v", rotated)
	}
	c.must("GET", "/api/v1/apps/"+app.AppID+"/api-keys", nil, &keys, 200)
	// The list shows the new secret's ends, not the old one's.
	if len(keys.Keys) != 1 || keys.Keys[0].Masked != rotated.Prefix+"…"+rotated.Last4 || !strings.HasPrefix(rotated.Key, rotated.Prefix) {
		t.Fatalf("after rotation keys = %+v", keys)
	}
	c.must("DELETE", "/api/v1/api-keys/"+key.KeyID, nil, nil, 200)
	c.must("GET", "/api/v1/api-keys", nil, &keys, 200)
	if keys.Keys[0].Status != "revoked" {
		t.Fatalf("after revocation keys = %+v", keys)
	}
	c.must("POST", "/api/v1/api-keys/"+key.KeyID+"/rotate", map[string]any{}, nil, 409)

	var audit struct {
		Events []struct{ Type string } `json:"events"`
	}
	c.must("GET", "/api/v1/audit?aggregate=apikey", nil, &audit, 200)
	var types []string
	for _, e := range audit.Events {
		types = append(types, e.Type)
	}
	if strings.Join(types, ",") != "apikey.revoked,apikey.rotated,apikey.created" {
		t.Fatalf("audit = %v", types)
	}

	// Deleting the app frees its slug and route for someone else.
	other := ownerClient(t, p, "Other", "o@other.example")
	other.must("POST", "/api/v1/apps", appBody("shop", "api.acme.example"), nil, 409)
	c.must("DELETE", "/api/v1/apps/"+app.AppID, nil, nil, 200)
	other.revision = max(other.revision, c.revision)
	other.must("POST", "/api/v1/apps", appBody("shop", "api.acme.example"), nil, 201)
	c.must("GET", "/api/v1/apps/"+app.AppID, nil, nil, 404)
}

func TestAppConflictsAndRetries(t *testing.T) {
	p := startPlatform(t)
	c := ownerClient(t, p, "Acme", "ada@acme.example")
	var app struct {
		AppID    string `json:"app_id"`
		Revision uint64 `json:"revision"`
	}
	body := appBody("store", "store.acme.example")
	status, raw := c.do("POST", "/api/v1/apps", body, &app, "Idempotency-Key", "create-store")
	if status != 201 {
		t.Fatalf("create = %d %s", status, raw)
	}
	before := lastRevision(t, p.Platform)
	var again struct {
		AppID    string `json:"app_id"`
		Revision uint64 `json:"revision"`
	}
	if status, raw := c.do("POST", "/api/v1/apps", body, &again, "Idempotency-Key", "create-store"); status != 201 || again != app {
		t.Fatalf("retry = %d %s; want %+v", status, raw, app)
	}
	if after := lastRevision(t, p.Platform); after != before {
		t.Fatalf("retry appended events: %d → %d", before, after)
	}

	// The same key with another body answers as the first time, and what the
	// second body claimed is free again.
	var third struct {
		AppID string `json:"app_id"`
	}
	if status, raw := c.do("POST", "/api/v1/apps", appBody("store-x", "x.acme.example"), &third, "Idempotency-Key", "create-store"); status != 201 || third.AppID != app.AppID {
		t.Fatalf("same key, other body = %d %s; want the first app %s", status, raw, app.AppID)
	}
	c.must("POST", "/api/v1/apps", appBody("store-x", "x.acme.example"), nil, 201)
	before = lastRevision(t, p.Platform)

	// A taken route is refused and leaves nothing behind: not the slug either.
	clash := appBody("store-two", "store.acme.example")
	c.must("POST", "/api/v1/apps", clash, nil, 409)
	if after := lastRevision(t, p.Platform); after != before+2 { // the slug's claim and its release
		t.Fatalf("a refused app left %d events; want its slug claim and release", after-before)
	}
	c.must("POST", "/api/v1/apps", appBody("store-two", "two.acme.example"), nil, 201)

	// Two concurrent updates based on one revision: one wins, one gets 409.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := appBody("store", "store.acme.example")
			b["name"] = fmt.Sprintf("Store %d", i)
			codes[i], _ = c.do("PUT", "/api/v1/apps/"+app.AppID, b, nil, "If-Match", fmt.Sprint(app.Revision))
		}()
	}
	wg.Wait()
	if !(codes[0] == 200 && codes[1] == 409 || codes[0] == 409 && codes[1] == 200) {
		t.Fatalf("concurrent updates answered %v; want one 200 and one 409", codes)
	}

	// Bad input: 400 with {code, message}, and no event.
	before = lastRevision(t, p.Platform)
	bad := []map[string]any{
		{"name": "x"},
		appBody("Bad Slug", "ok.acme.example"),
		appBody("ok", "not a host"),
		func() map[string]any {
			b := appBody("ok", "ok.acme.example")
			b["upstreams"] = []map[string]any{{"url": "ftp://x"}}
			return b
		}(),
		func() map[string]any {
			b := appBody("ok", "ok.acme.example")
			b["path_prefixes"] = []string{"/a/../b"}
			return b
		}(),
		func() map[string]any { b := appBody("ok", "ok.acme.example"); b["auth_mode"] = "jwt"; return b }(),
		func() map[string]any {
			b := appBody("ok", "ok.acme.example")
			b["auth_mode"], b["jwt"] = "jwt", map[string]any{"algorithms": []string{"none"}}
			return b
		}(),
	}
	for i, b := range bad {
		if status, raw := c.do("POST", "/api/v1/apps", b, nil); status != 400 || !strings.Contains(raw, `"code":"invalid"`) {
			t.Errorf("bad app %d = %d %s; want 400 invalid", i, status, raw)
		}
	}
	c.must("POST", "/api/v1/apps/"+app.AppID+"/api-keys", map[string]any{"environment": "qa", "name": "x"}, nil, 400)
	c.must("POST", "/api/v1/apps/"+app.AppID+"/api-keys", map[string]any{"environment": "production", "name": "x", "expires_at": "2001-01-01T00:00:00Z"}, nil, 400)
	if after := lastRevision(t, p.Platform); after != before {
		t.Fatalf("bad input appended %d events", after-before)
	}
}

func TestAppsAreIsolated(t *testing.T) {
	p := startPlatform(t)
	a := ownerClient(t, p, "Alpha", "a@alpha.example")
	b := ownerClient(t, p, "Beta", "b@beta.example")
	var app struct {
		AppID string `json:"app_id"`
	}
	b.must("POST", "/api/v1/apps", appBody("beta-api", "api.beta.example"), &app, 201)
	var key struct {
		KeyID string `json:"key_id"`
	}
	b.must("POST", "/api/v1/apps/"+app.AppID+"/api-keys", map[string]any{"environment": "staging", "name": "b"}, &key, 201)
	var bMe struct {
		MemberID string `json:"member_id"`
	}
	b.must("GET", "/api/v1/me", nil, &bMe, 200)
	a.revision = max(a.revision, b.revision)
	for _, r := range []struct{ method, path string }{
		{"PATCH", "/api/v1/members/" + bMe.MemberID},
		{"DELETE", "/api/v1/members/" + bMe.MemberID},
		{"GET", "/api/v1/apps/" + app.AppID},
		{"PUT", "/api/v1/apps/" + app.AppID},
		{"DELETE", "/api/v1/apps/" + app.AppID},
		{"POST", "/api/v1/apps/" + app.AppID + "/api-keys"},
		{"POST", "/api/v1/api-keys/" + key.KeyID + "/rotate"},
		{"DELETE", "/api/v1/api-keys/" + key.KeyID},
	} {
		var body any
		switch {
		case r.method == "PATCH":
			body = map[string]string{"role": "viewer"}
		case r.method == "PUT":
			body = appBody("beta-api", "api.beta.example")
		case strings.HasSuffix(r.path, "api-keys"):
			body = map[string]any{"environment": "staging", "name": "a"}
		case strings.HasSuffix(r.path, "rotate"):
			body = map[string]any{}
		}
		if status, raw := a.do(r.method, r.path, body, nil); status != 404 {
			t.Errorf("A: %s %s = %d %s; want 404", r.method, r.path, status, raw)
		}
	}
	for _, path := range []string{"/api/v1/apps", "/api/v1/api-keys", "/api/v1/apps/" + app.AppID + "/api-keys", "/api/v1/audit",
		"/api/v1/members", "/api/v1/dashboard", "/api/v1/settings/notifications"} {
		raw := a.must("GET", path, nil, nil, 200)
		if strings.Contains(raw, app.AppID) || strings.Contains(raw, key.KeyID) || strings.Contains(raw, bMe.MemberID) || strings.Contains(raw, "beta") {
			t.Errorf("A: GET %s shows B's things: %s", path, raw)
		}
	}
}

func TestDashboardCounts(t *testing.T) {
	p := startPlatform(t)
	c := ownerClient(t, p, "Acme", "ada@acme.example")
	var app struct {
		AppID string `json:"app_id"`
	}
	c.must("POST", "/api/v1/apps", appBody("dash", "dash.acme.example"), &app, 201)
	for _, env := range []string{"production", "production", "staging"} {
		c.must("POST", "/api/v1/apps/"+app.AppID+"/api-keys", map[string]any{"environment": env, "name": env}, nil, 201)
	}
	var d struct {
		Apps     struct{ Total, Active int }
		Keys     map[string]int
		Members  int
		Revision uint64
	}
	c.must("GET", "/api/v1/dashboard", nil, &d, 200)
	if d.Apps.Total != 1 || d.Apps.Active != 1 || d.Keys["production"] != 2 || d.Keys["staging"] != 1 || d.Keys["development"] != 0 || d.Members != 1 || d.Revision < c.revision {
		t.Fatalf("dashboard = %+v", d)
	}
}

// A suspended customer's sessions and tokens stop working, and work again
// once the suspension is lifted.
func TestSuspendedCustomerIsLockedOut(t *testing.T) {
	p := startPlatform(t)
	c := ownerClient(t, p, "Acme", "ada@acme.example")
	var me struct {
		CustomerID string `json:"customer_id"`
	}
	c.must("GET", "/api/v1/me", nil, &me, 200)

	nc, err := platform.ConnectNATS(p.NATSURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	l, err := eventlog.Attach(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	svc := commands.New(l, nil, commands.Keys{}, commands.Options{})
	operator := commands.Meta{Actor: schema.Actor{Kind: schema.ActorCLI, ID: "operator"}}
	res, err := svc.SuspendCustomer(context.Background(), me.CustomerID, "unpaid invoices", operator)
	if err != nil {
		t.Fatal(err)
	}
	c.revision = res.Revision
	c.must("GET", "/api/v1/me", nil, nil, 401)
	if _, err := svc.SuspendCustomer(context.Background(), schema.NewID(), "", operator); schema.ErrorCode(err) != schema.CodeNotFound {
		t.Fatalf("suspending an unknown customer: %v", err)
	}
	res, err = svc.ReactivateCustomer(context.Background(), me.CustomerID, operator)
	if err != nil {
		t.Fatal(err)
	}
	c.revision = res.Revision
	c.must("GET", "/api/v1/me", nil, nil, 200)
}

// An app's JWT secret is sealed, kept across updates that do not replace
// it, and never shown, not even in the audit log.
func TestAppJWTSecret(t *testing.T) {
	p := startPlatform(t)
	c := ownerClient(t, p, "Acme", "ada@acme.example")
	const secret = "a-very-long-hmac-secret-of-at-least-32-chars"
	body := appBody("jwt-app", "jwt.acme.example")
	body["auth_mode"] = "jwt"
	body["jwt"] = map[string]any{"algorithms": []string{"HS256"}, "hs256_secret": secret, "issuer": "https://idp.acme.example"}
	var app struct {
		AppID    string `json:"app_id"`
		Revision uint64 `json:"revision"`
	}
	c.must("POST", "/api/v1/apps", body, &app, 201)
	body["jwt"] = map[string]any{"algorithms": []string{"HS256"}, "issuer": "https://login.acme.example"}
	c.must("PUT", "/api/v1/apps/"+app.AppID, body, nil, 200)
	var got struct {
		HasHS256Secret bool `json:"has_hs256_secret"`
		Config         struct {
			JWT struct {
				Issuer string `json:"issuer"`
			} `json:"jwt"`
		} `json:"config"`
	}
	raw := c.must("GET", "/api/v1/apps/"+app.AppID, nil, &got, 200)
	if !got.HasHS256Secret || got.Config.JWT.Issuer != "https://login.acme.example" || strings.Contains(raw, "sealed") || strings.Contains(raw, secret) {
		t.Fatalf("app = %s", raw)
	}
	audit := c.must("GET", "/api/v1/audit?aggregate=app", nil, nil, 200)
	if strings.Contains(audit, "sealed") || strings.Contains(audit, secret) || !strings.Contains(audit, "app.updated") {
		t.Fatalf("audit = %s", audit)
	}
}
