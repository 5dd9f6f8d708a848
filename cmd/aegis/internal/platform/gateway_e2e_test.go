package platform_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/aegis-oss/aegis/schema/testkit"
)

// received is what the test upstream saw of a request.
type received struct {
	Path    string            `json:"path"`
	Headers map[string]string `json:"headers"`
}

// echoUpstream answers every request with the path and headers it got.
func echoUpstream(t *testing.T) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := received{Path: r.URL.EscapedPath(), Headers: map[string]string{"Host": r.Host}}
		for k := range r.Header {
			got.Headers[k] = r.Header.Get(k)
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(got)
	}))
	t.Cleanup(s.Close)
	return s
}

// call sends a request through the gateway to host and path.
func call(t *testing.T, gw, host, path string, headers ...string) (int, string) {
	t.Helper()
	req, err := http.NewRequest("GET", "http://"+gw+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = host
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

// until calls until the status is want, and returns the body then.
func until(t *testing.T, want int, f func() (int, string)) string {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		status, body := f()
		if status == want {
			return body
		}
		if time.Now().After(deadline) {
			t.Fatalf("still %d %s; want %d", status, body, want)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestGatewayEndToEnd(t *testing.T) {
	p := startPlatform(t)
	up := echoUpstream(t)
	c := ownerClient(t, p, "Acme", "ada@acme.example")
	gw := p.GatewayAddr()

	body := appBody("shop", "api.acme.test")
	body["upstreams"] = []map[string]any{{"url": up.URL}}
	var app struct {
		AppID string `json:"app_id"`
	}
	c.must("POST", "/api/v1/apps", body, &app, 201)
	var key struct {
		KeyID string `json:"key_id"`
		Key   string `json:"key"`
	}
	c.must("POST", "/api/v1/apps/"+app.AppID+"/api-keys", map[string]any{"environment": "production", "name": "web", "tenant_id": "tenant-7"}, &key, 201)

	raw := until(t, 200, func() (int, string) {
		return call(t, gw, "api.acme.test:8000", "/v1/x/../orders", "X-API-Key", key.Key,
			"X-Aegis-Tenant-Id", "spoofed", "Connection", "X-Aegis-App-Id")
	})
	var got received
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"X-Aegis-Tenant-Id": "tenant-7", "X-Aegis-App-Id": app.AppID, "X-Aegis-Key-Env": "production"}
	for k, v := range want {
		if got.Headers[k] != v {
			t.Errorf("upstream got %s = %q; want %q (all: %v)", k, got.Headers[k], v, got.Headers)
		}
	}
	if got.Path != "/v1/orders" || got.Headers["X-Request-Id"] == "" || got.Headers["X-Api-Key"] != "" || got.Headers["X-Forwarded-For"] != "127.0.0.1" {
		t.Errorf("upstream got %+v", got)
	}

	// Hosts match without regard to case; the upstream is addressed as itself.
	raw = until(t, 200, func() (int, string) { return call(t, gw, "API.Acme.Test", "/v1/orders", "X-API-Key", key.Key) })
	if err := json.Unmarshal([]byte(raw), &got); err != nil || got.Headers["Host"] != strings.TrimPrefix(up.URL, "http://") {
		t.Errorf("upstream Host = %q; want %s", got.Headers["Host"], up.URL)
	}
	if got.Headers["X-Forwarded-Host"] != "API.Acme.Test" {
		t.Errorf("X-Forwarded-Host = %q", got.Headers["X-Forwarded-Host"])
	}

	// Bearer works too; no key, a malformed key, another host: refused as JSON.
	if status, raw := call(t, gw, "api.acme.test", "/v1/orders", "Authorization", "Bearer "+key.Key); status != 200 {
		t.Fatalf("bearer = %d %s", status, raw)
	}
	bad := []byte(key.Key)
	if bad[len(bad)-1] == 'x' { // change the checksum's last character
		bad[len(bad)-1] = 'y'
	} else {
		bad[len(bad)-1] = 'x'
	}
	for _, tc := range []struct {
		host, path string
		headers    []string
		status     int
		code       string
	}{
		{"api.acme.test", "/v1/orders", nil, 401, "unauthorized"},
		{"api.acme.test", "/v1/orders", []string{"X-API-Key", string(bad)}, 401, "unauthorized"},
		{"other.acme.test", "/v1/orders", []string{"X-API-Key", key.Key}, 404, "not_found"},
		{"api.acme.test", "/v2/orders", []string{"X-API-Key", key.Key}, 404, "not_found"},
		{"api.acme.test", "/v1/%2e%2e/%2e%2e/etc", []string{"X-API-Key", key.Key}, 400, "invalid"},
	} {
		status, raw := call(t, gw, tc.host, tc.path, tc.headers...)
		var e struct{ Code, Message, RequestID string }
		_ = json.Unmarshal([]byte(raw), &e)
		if status != tc.status || e.Code != tc.code || e.Message == "" {
			t.Errorf("%s%s = %d %s; want %d %s", tc.host, tc.path, status, raw, tc.status, tc.code)
		}
	}

	// A rotated key keeps working through its grace; the new one works too.
	var rotated struct {
		Key string `json:"key"`
	}
	c.must("POST", "/api/v1/api-keys/"+key.KeyID+"/rotate", map[string]any{"grace_seconds": 3600}, &rotated, 200)
	until(t, 200, func() (int, string) { return call(t, gw, "api.acme.test", "/v1/orders", "X-API-Key", rotated.Key) })
	if status, raw := call(t, gw, "api.acme.test", "/v1/orders", "X-API-Key", key.Key); status != 200 {
		t.Fatalf("old key in its grace = %d %s", status, raw)
	}

	// Revocation, waiting until every gateway node has it: the very next
	// request with either secret is refused.
	var revoked struct {
		Propagated struct{ Nodes, Of int } `json:"propagated"`
	}
	c.must("DELETE", "/api/v1/api-keys/"+key.KeyID+"?wait=propagated", nil, &revoked, 200)
	if revoked.Propagated.Nodes != 1 || revoked.Propagated.Of != 1 {
		t.Fatalf("propagated = %+v; want 1 of 1", revoked.Propagated)
	}
	for _, k := range []string{rotated.Key, key.Key} {
		if status, raw := call(t, gw, "api.acme.test", "/v1/orders", "X-API-Key", k); status != 401 {
			t.Fatalf("a secret of the revoked key = %d %s; want 401", status, raw)
		}
	}
	c.must("DELETE", "/api/v1/api-keys/"+key.KeyID+"?wait=soon", nil, nil, 400)

	// Health, readiness and metrics of the node.
	if status, raw := call(t, gw, "x", "/_aegis/ready"); status != 200 || !strings.Contains(raw, "ready") {
		t.Fatalf("ready = %d %s", status, raw)
	}
	status, metrics := call(t, gw, "x", "/_aegis/metrics")
	for _, want := range []string{
		`aegis_gateway_requests_total{app="` + app.AppID + `",status="200"}`,
		`aegis_gateway_requests_total{app="` + app.AppID + `",status="401"}`,
		`aegis_gateway_request_duration_seconds_bucket{app="` + app.AppID + `",status="200"`,
		"aegis_gateway_snapshot_revision ", "aegis_gateway_stale 0", "aegis_gateway_ready 1",
	} {
		if status != 200 || !strings.Contains(metrics, want) {
			t.Errorf("metrics (%d) lack %s", status, want)
		}
	}
}

// An app that takes JWTs: the tenant and user come from the token's
// claims; a token the app's settings refuse never reaches the upstream.
func TestGatewayJWT(t *testing.T) {
	p := startPlatform(t)
	up := echoUpstream(t)
	c := ownerClient(t, p, "Acme", "ada@acme.example")
	gw := p.GatewayAddr()
	const secret = "a-very-long-hmac-secret-of-at-least-32-chars"
	body := appBody("jwt-shop", "jwt.acme.test")
	body["upstreams"] = []map[string]any{{"url": up.URL}}
	body["auth_mode"] = "jwt"
	body["jwt"] = map[string]any{"algorithms": []string{"HS256"}, "hs256_secret": secret,
		"issuer": "https://idp.acme.test", "audiences": []string{"shop"}, "tenant_claim": "org"}
	c.must("POST", "/api/v1/apps?wait=propagated", body, nil, 201)

	sign := func(claims jwt.MapClaims, method jwt.SigningMethod, key any) string {
		tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	good := jwt.MapClaims{"iss": "https://idp.acme.test", "aud": "shop", "sub": "user-42", "org": "tenant-9",
		"exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix()}
	raw := until(t, 200, func() (int, string) {
		return call(t, gw, "jwt.acme.test", "/v1/x", "Authorization", "Bearer "+sign(good, jwt.SigningMethodHS256, []byte(secret)))
	})
	var got received
	if err := json.Unmarshal([]byte(raw), &got); err != nil {
		t.Fatal(err)
	}
	if got.Headers["X-Aegis-Tenant-Id"] != "tenant-9" || got.Headers["X-Aegis-User-Id"] != "user-42" || got.Headers["Authorization"] != "" {
		t.Fatalf("upstream got %v", got.Headers)
	}

	expired := jwt.MapClaims{"iss": "https://idp.acme.test", "aud": "shop", "sub": "u", "exp": time.Now().Add(-time.Hour).Unix()}
	noExp := jwt.MapClaims{"iss": "https://idp.acme.test", "aud": "shop", "sub": "u"}
	wrongIss := jwt.MapClaims{"iss": "https://evil.test", "aud": "shop", "sub": "u", "exp": time.Now().Add(time.Hour).Unix()}
	none := sign(good, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType)
	for name, tok := range map[string]string{
		"expired":    sign(expired, jwt.SigningMethodHS256, []byte(secret)),
		"no exp":     sign(noExp, jwt.SigningMethodHS256, []byte(secret)),
		"wrong iss":  sign(wrongIss, jwt.SigningMethodHS256, []byte(secret)),
		"wrong key":  sign(good, jwt.SigningMethodHS256, []byte("another-secret-that-is-long-enough-32")),
		"alg none":   none,
		"alg noNE":   strings.Replace(none, "eyJhbGciOiJub25lIi", "eyJhbGciOiJub05FIi", 1),
		"an API key": "aeg_prod_" + strings.Repeat("A", 32) + "_000000",
	} {
		if status, raw := call(t, gw, "jwt.acme.test", "/v1/x", "Authorization", "Bearer "+tok); status != 401 {
			t.Errorf("%s: %d %s; want 401", name, status, raw)
		}
	}
	// A megabyte of dots is refused with the headers, or the connection is
	// closed on it; it never reaches the token parser or the upstream.
	status := sendRaw(t, gw, "GET /v1/x HTTP/1.1\r\nHost: jwt.acme.test\r\nAuthorization: Bearer "+strings.Repeat(".", 1<<20)+"\r\n\r\n")
	if status != "" && !strings.Contains(status, " 431 ") && !strings.Contains(status, " 400 ") {
		t.Errorf("a megabyte of dots = %q", status)
	}
}

// Two gateway nodes: a revocation sent with wait=propagated answers once
// both have it, and neither lets the key through afterwards.
func TestRevocationReachesEveryNode(t *testing.T) {
	p := startPlatform(t)
	up := echoUpstream(t)
	c := ownerClient(t, p, "Acme", "ada@acme.example")

	second := startGatewayNode(t, p.NATSURL(), testkit.Logger(t))

	body := appBody("two", "two.acme.test")
	body["upstreams"] = []map[string]any{{"url": up.URL}}
	var app struct {
		AppID string `json:"app_id"`
	}
	c.must("POST", "/api/v1/apps", body, &app, 201)
	var key struct {
		KeyID      string                  `json:"key_id"`
		Key        string                  `json:"key"`
		Propagated struct{ Nodes, Of int } `json:"propagated"`
	}
	c.must("POST", "/api/v1/apps/"+app.AppID+"/api-keys?wait=propagated", map[string]any{"environment": "production", "name": "k"}, &key, 201)
	if key.Propagated.Nodes != 2 || key.Propagated.Of != 2 {
		t.Fatalf("key propagated to %+v; want 2 of 2", key.Propagated)
	}
	nodes := []string{p.GatewayAddr(), second}
	for _, gw := range nodes {
		if status, raw := call(t, gw, "two.acme.test", "/v1/x", "X-API-Key", key.Key); status != 200 {
			t.Fatalf("node %s before revocation = %d %s", gw, status, raw)
		}
	}
	var revoked struct {
		Propagated struct{ Nodes, Of int } `json:"propagated"`
	}
	c.must("DELETE", "/api/v1/api-keys/"+key.KeyID+"?wait=propagated", nil, &revoked, 200)
	if revoked.Propagated.Nodes != 2 || revoked.Propagated.Of != 2 {
		t.Fatalf("revocation propagated to %+v; want 2 of 2", revoked.Propagated)
	}
	for _, gw := range nodes {
		if status, raw := call(t, gw, "two.acme.test", "/v1/x", "X-API-Key", key.Key); status != 401 {
			t.Fatalf("node %s after revocation = %d %s", gw, status, raw)
		}
	}
}
