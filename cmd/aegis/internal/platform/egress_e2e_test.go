package platform_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/platform"
	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

// jwksHost is a key server on 127.0.0.1 serving one RSA key as kid "k1",
// counting the requests that reach it.
type jwksHost struct {
	*httptest.Server
	key  *rsa.PrivateKey
	hits atomic.Int64
}

func newJWKSHost(t *testing.T) *jwksHost {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	h := &jwksHost{key: key}
	b64 := base64.RawURLEncoding.EncodeToString
	set, err := json.Marshal(map[string]any{"keys": []map[string]any{{
		"kty": "RSA", "kid": "k1", "use": "sig", "alg": "RS256",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes()),
	}}})
	if err != nil {
		t.Fatal(err)
	}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.hits.Add(1)
		w.Header().Set("Content-Type", "application/jwk-set+json")
		_, _ = w.Write(set)
	}))
	t.Cleanup(h.Close)
	return h
}

// token returns an RS256 token signed with the host's key.
func (h *jwksHost) token(t *testing.T) string {
	t.Helper()
	tok := jwt.NewWithClaims(jwt.SigningMethodRS256, jwt.MapClaims{
		"sub": "user-1", "tenant_id": "tenant-1", "exp": time.Now().Add(time.Hour).Unix(), "iat": time.Now().Unix(),
	})
	tok.Header["kid"] = "k1"
	s, err := tok.SignedString(h.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// jwksAppBody is an app taking RS256 tokens whose keys are at jwksURL.
func jwksAppBody(slug, host, upstream, jwksURL string) map[string]any {
	body := appBody(slug, host)
	body["upstreams"] = []map[string]any{{"url": upstream}}
	body["auth_mode"] = "jwt"
	body["jwt"] = map[string]any{"algorithms": []string{"RS256"}, "jwks_url": jwksURL}
	return body
}

// By default a JWKS URL on the loopback interface is refused: by the admin
// API when the app is saved, and by the gateway when an app saved with it
// anyway (under another allow list, or before there was one) is used. Not
// one request reaches the key server.
func TestJWKSOnLoopbackIsRefused(t *testing.T) {
	p := startPlatform(t)
	up := echoUpstream(t)
	keys := newJWKSHost(t)
	c := ownerClient(t, p, "Acme", "ada@acme.example")

	jwksURL := keys.URL + "/.well-known/jwks.json"
	raw := c.must("POST", "/api/v1/apps", jwksAppBody("idp", "idp.acme.test", up.URL, jwksURL), nil, 400)
	if !strings.Contains(raw, `"code":"invalid"`) || !strings.Contains(raw, "jwt.jwks_url must not point at an internal address") ||
		!strings.Contains(raw, "127.0.0.1 is a loopback address") {
		t.Errorf("POST /apps with a loopback jwks_url = %s; want invalid, naming jwt.jwks_url and why", raw)
	}
	raw = c.must("POST", "/api/v1/apps", jwksAppBody("idp", "idp.acme.test", up.URL, "http://169.254.169.254/latest/meta-data/"), nil, 400)
	if !strings.Contains(raw, "jwt.jwks_url") || !strings.Contains(raw, "link-local") {
		t.Errorf("POST /apps with the metadata service as jwks_url = %s", raw)
	}

	// Save it past the admin API's check, through a service that allows
	// loopback.
	var me struct {
		CustomerID string `json:"customer_id"`
	}
	c.must("GET", "/api/v1/me", nil, &me, 200)
	l := attachLog(t, p)
	lax := commands.New(l, nil, commands.Keys{}, commands.Options{EgressAllow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	in := commands.AppInput{AppConfig: schema.AppConfig{
		Name: "IdP", Slug: "idp", Hostnames: []string{"idp.acme.test"}, Upstreams: []schema.Upstream{{URL: up.URL}},
		AuthMode: schema.AuthJWT, JWT: &schema.JWTConfig{Algorithms: []string{"RS256"}, JWKSURL: jwksURL},
	}}
	if _, err := lax.CreateApp(context.Background(), me.CustomerID, in, commands.Meta{Actor: schema.Actor{Kind: schema.ActorCLI, ID: "operator"}}); err != nil {
		t.Fatal(err)
	}

	gw := p.GatewayAddr()
	token := keys.token(t)
	raw = until(t, 503, func() (int, string) { return call(t, gw, "idp.acme.test", "/v1/x", "Authorization", "Bearer "+token) })
	var body struct{ Code, Message, RequestID string }
	if err := json.Unmarshal([]byte(raw), &body); err != nil || body.Code != "unavailable" || body.Message != "the app's JWKS could not be fetched" {
		t.Errorf("a token of the app = %s; want the JSON error of a JWKS that cannot be fetched", raw)
	}
	if status, raw := call(t, gw, "idp.acme.test", "/v1/x", "Authorization", "Bearer "+token); status != 503 {
		t.Errorf("a second token = %d %s; want 503", status, raw)
	}
	if n := keys.hits.Load(); n != 0 {
		t.Errorf("%d requests reached the key server on 127.0.0.1; want 0", n)
	}
}

// With AEGIS_EGRESS_ALLOW=127.0.0.0/8, as for a key server on the
// operator's own network, the same app is saved and its tokens pass.
func TestJWKSOnAllowedNetwork(t *testing.T) {
	smtp := testkit.NewSMTP(t)
	cfg := testConfig(t)
	cfg.SMTPURL = smtp.URL()
	cfg.PublicURL = "http://dashboard.test"
	cfg.EgressAllow = []string{"127.0.0.0/8"}
	p := &platformT{Platform: start(t, cfg), smtp: smtp}
	up := echoUpstream(t)
	keys := newJWKSHost(t)
	c := ownerClient(t, p, "Acme", "ada@acme.example")

	c.must("POST", "/api/v1/apps", jwksAppBody("idp", "idp.acme.test", up.URL, keys.URL+"/.well-known/jwks.json"), nil, 201)
	c.must("POST", "/api/v1/apps", jwksAppBody("meta", "meta.acme.test", up.URL, "http://169.254.169.254/"), nil, 400)
	token := keys.token(t)
	raw := until(t, 200, func() (int, string) {
		return call(t, p.GatewayAddr(), "idp.acme.test", "/v1/x", "Authorization", "Bearer "+token)
	})
	var got received
	if err := json.Unmarshal([]byte(raw), &got); err != nil || got.Headers["X-Aegis-Tenant-Id"] != "tenant-1" {
		t.Errorf("upstream got %s; want the token's tenant", raw)
	}
	if keys.hits.Load() == 0 {
		t.Error("the key server was never asked")
	}
}

// attachLog returns the platform's event log, for commands sent past the
// admin API.
func attachLog(t *testing.T, p *platformT) *eventlog.Log {
	t.Helper()
	nc, err := platform.ConnectNATS(p.NATSURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	l, err := eventlog.Attach(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	return l
}
