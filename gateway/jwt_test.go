package gateway_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/aegis-oss/aegis/gateway"
	"github.com/aegis-oss/aegis/schema"
)

// testNow is the clock every test verifies at.
var testNow = time.Unix(1_800_000_000, 0)

// testKeys are the keys of one test app, and one the app does not know.
type testKeys struct {
	master   []byte
	secret   []byte
	rsa      *rsa.PrivateKey
	ec       *ecdsa.PrivateKey
	ed       ed25519.PrivateKey
	stranger *rsa.PrivateKey
}

var sharedKeys = sync.OnceValue(func() *testKeys {
	k := &testKeys{
		master: make([]byte, schema.MasterKeySize),
		secret: []byte("a-long-random-hs256-secret-of-the-app"),
	}
	rand.Read(k.master)
	var err error
	if k.rsa, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		panic(err)
	}
	if k.stranger, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		panic(err)
	}
	if k.ec, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader); err != nil {
		panic(err)
	}
	if _, k.ed, err = ed25519.GenerateKey(rand.Reader); err != nil {
		panic(err)
	}
	return k
})

func keys(t testing.TB) *testKeys {
	t.Helper()
	return sharedKeys()
}

// publicPEM returns pub as a PEM "PUBLIC KEY" block.
func publicPEM(t testing.TB, pub any) string {
	t.Helper()
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// appConfig is an app that allows HS256, RS256, ES256 and EdDSA with keys
// from its configuration, and names its tenant claim "org".
func appConfig(t testing.TB) schema.JWTConfig {
	t.Helper()
	k := keys(t)
	sealed, err := schema.Seal(k.master, k.secret, "app-jwt")
	if err != nil {
		t.Fatal(err)
	}
	return schema.JWTConfig{
		Issuer:            "https://idp.example.com",
		Audiences:         []string{"api-a", "api-b"},
		Algorithms:        []string{"HS256", "RS256", "ES256", "EdDSA"},
		HS256SecretSealed: sealed,
		PublicKeysPEM: []string{
			publicPEM(t, &k.rsa.PublicKey), publicPEM(t, &k.ec.PublicKey), publicPEM(t, k.ed.Public()),
		},
		TenantClaim: "org",
	}
}

func newVerifier(t testing.TB, cfg schema.JWTConfig, jwks *gateway.JWKSCache) *gateway.JWTVerifier {
	t.Helper()
	v, err := gateway.NewJWTVerifier(cfg, keys(t).master, jwks)
	if err != nil {
		t.Fatalf("NewJWTVerifier: %v", err)
	}
	return v
}

// goodClaims are claims every test app accepts at testNow.
func goodClaims() jwt.MapClaims {
	return jwt.MapClaims{
		"sub":   "user-1",
		"org":   "tenant-1",
		"roles": []string{"admin", "reader"},
		"iss":   "https://idp.example.com",
		"aud":   "api-a",
		"iat":   testNow.Add(-time.Minute).Unix(),
		"nbf":   testNow.Add(-time.Minute).Unix(),
		"exp":   testNow.Add(5 * time.Minute).Unix(),
	}
}

// with returns goodClaims changed by edit; a nil value deletes the claim.
func with(edit jwt.MapClaims) jwt.MapClaims {
	c := goodClaims()
	for k, v := range edit {
		if v == nil {
			delete(c, k)
		} else {
			c[k] = v
		}
	}
	return c
}

// sign returns claims signed with method and key, with header's members
// added to the token's header.
func sign(t testing.TB, method jwt.SigningMethod, key any, claims jwt.MapClaims, header map[string]any) string {
	t.Helper()
	tok := jwt.NewWithClaims(method, claims)
	for k, v := range header {
		tok.Header[k] = v
	}
	s, err := tok.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// unsigned returns a token with header alg and an empty signature.
func unsigned(t testing.TB, alg string, claims jwt.MapClaims) string {
	t.Helper()
	h, err := json.Marshal(map[string]string{"alg": alg, "typ": "JWT"})
	if err != nil {
		t.Fatal(err)
	}
	p, err := json.Marshal(claims)
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(h) + "." + enc.EncodeToString(p) + "."
}

func TestVerifyAccepts(t *testing.T) {
	k := keys(t)
	v := newVerifier(t, appConfig(t), nil)
	want := gateway.Claims{Subject: "user-1", Tenant: "tenant-1", User: "user-1", Roles: []string{"admin", "reader"}}

	tests := []struct {
		name  string
		token string
	}{
		{"HS256", sign(t, jwt.SigningMethodHS256, k.secret, goodClaims(), nil)},
		{"RS256", sign(t, jwt.SigningMethodRS256, k.rsa, goodClaims(), nil)},
		{"ES256", sign(t, jwt.SigningMethodES256, k.ec, goodClaims(), nil)},
		{"EdDSA", sign(t, jwt.SigningMethodEdDSA, k.ed, goodClaims(), nil)},
		{"second audience", sign(t, jwt.SigningMethodRS256, k.rsa, with(jwt.MapClaims{"aud": "api-b"}), nil)},
		{"audience list with one of ours", sign(t, jwt.SigningMethodRS256, k.rsa,
			with(jwt.MapClaims{"aud": []string{"someone-else", "api-a"}}), nil)},
		{"expired within leeway", sign(t, jwt.SigningMethodRS256, k.rsa,
			with(jwt.MapClaims{"exp": testNow.Add(-20 * time.Second).Unix()}), nil)},
		{"nbf within leeway", sign(t, jwt.SigningMethodRS256, k.rsa,
			with(jwt.MapClaims{"nbf": testNow.Add(20 * time.Second).Unix()}), nil)},
		{"iat within leeway", sign(t, jwt.SigningMethodRS256, k.rsa,
			with(jwt.MapClaims{"iat": testNow.Add(20 * time.Second).Unix()}), nil)},
		{"unknown kid, no JWKS: configured keys", sign(t, jwt.SigningMethodES256, k.ec, goodClaims(),
			map[string]any{"kid": "whatever"})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := v.Verify([]byte(tt.token), testNow)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got.Subject != want.Subject || got.Tenant != want.Tenant || got.User != want.User ||
				!slices.Equal(got.Roles, want.Roles) {
				t.Errorf("Verify = %+v, want %+v", got, want)
			}
		})
	}
}

func TestVerifyRefuses(t *testing.T) {
	k := keys(t)
	v := newVerifier(t, appConfig(t), nil)

	// An app that allows RS256 only: an HS256 token "signed" with its
	// public key as the HMAC secret is the classic confusion attack.
	rsaOnly := appConfig(t)
	rsaOnly.Algorithms = []string{"RS256"}
	rsaOnly.HS256SecretSealed = ""
	rsaOnly.PublicKeysPEM = []string{publicPEM(t, &k.rsa.PublicKey)}
	vRSA := newVerifier(t, rsaOnly, nil)
	rsaPEM := []byte(publicPEM(t, &k.rsa.PublicKey))

	// A server that must never be asked for anything.
	var hits atomic.Int64
	attacker := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write(jwksOf(t, map[string]any{"evil": &k.stranger.PublicKey}))
	}))
	t.Cleanup(attacker.Close)

	valid := sign(t, jwt.SigningMethodRS256, k.rsa, goodClaims(), nil)
	parts := strings.Split(valid, ".")
	forged, err := json.Marshal(with(jwt.MapClaims{"org": "tenant-2"}))
	if err != nil {
		t.Fatal(err)
	}
	tampered := parts[0] + "." + base64.RawURLEncoding.EncodeToString(forged) + "." + parts[2]

	tests := []struct {
		name  string
		v     *gateway.JWTVerifier
		token string
	}{
		{"alg none", v, unsigned(t, "none", goodClaims())},
		{"alg NONE", v, unsigned(t, "NONE", goodClaims())},
		{"alg noNE", v, unsigned(t, "noNE", goodClaims())},
		{"alg hs256 in lower case", v, unsigned(t, "hs256", goodClaims())},
		{"HS384 not allowed", v, sign(t, jwt.SigningMethodHS384, k.secret, goodClaims(), nil)},
		{"RS512 not allowed", v, sign(t, jwt.SigningMethodRS512, k.rsa, goodClaims(), nil)},
		{"PS256 not allowed", v, sign(t, jwt.SigningMethodPS256, k.rsa, goodClaims(), nil)},
		{"HS256 keyed with the RSA public key, RS256 only", vRSA,
			sign(t, jwt.SigningMethodHS256, rsaPEM, goodClaims(), nil)},
		{"HS256 keyed with the RSA public key, both allowed", v,
			sign(t, jwt.SigningMethodHS256, rsaPEM, goodClaims(), nil)},
		{"signed by a stranger", v, sign(t, jwt.SigningMethodRS256, k.stranger, goodClaims(), nil)},
		{"wrong HMAC secret", v, sign(t, jwt.SigningMethodHS256, []byte("guess"), goodClaims(), nil)},
		{"missing exp", v, sign(t, jwt.SigningMethodRS256, k.rsa, with(jwt.MapClaims{"exp": nil}), nil)},
		{"expired beyond leeway", v, sign(t, jwt.SigningMethodRS256, k.rsa,
			with(jwt.MapClaims{"exp": testNow.Add(-time.Minute).Unix()}), nil)},
		{"nbf beyond leeway", v, sign(t, jwt.SigningMethodRS256, k.rsa,
			with(jwt.MapClaims{"nbf": testNow.Add(time.Minute).Unix()}), nil)},
		{"iat in the future", v, sign(t, jwt.SigningMethodRS256, k.rsa,
			with(jwt.MapClaims{"iat": testNow.Add(time.Minute).Unix()}), nil)},
		{"wrong iss", v, sign(t, jwt.SigningMethodRS256, k.rsa,
			with(jwt.MapClaims{"iss": "https://evil.example.com"}), nil)},
		{"missing iss", v, sign(t, jwt.SigningMethodRS256, k.rsa, with(jwt.MapClaims{"iss": nil}), nil)},
		{"wrong aud", v, sign(t, jwt.SigningMethodRS256, k.rsa, with(jwt.MapClaims{"aud": "api-c"}), nil)},
		{"missing aud", v, sign(t, jwt.SigningMethodRS256, k.rsa, with(jwt.MapClaims{"aud": nil}), nil)},
		{"tenant claim not a string", v, sign(t, jwt.SigningMethodRS256, k.rsa,
			with(jwt.MapClaims{"org": 42}), nil)},
		{"roles not strings", v, sign(t, jwt.SigningMethodRS256, k.rsa,
			with(jwt.MapClaims{"roles": []any{"admin", 1}}), nil)},
		{"tampered payload", v, tampered},
		{"signature cut off", v, parts[0] + "." + parts[1] + "."},
		{"two segments", v, parts[0] + "." + parts[1]},
		{"crit header", v, sign(t, jwt.SigningMethodRS256, k.rsa, goodClaims(),
			map[string]any{"crit": []string{"exp"}})},
		{"jku header", v, sign(t, jwt.SigningMethodRS256, k.stranger, goodClaims(),
			map[string]any{"jku": attacker.URL, "kid": "evil"})},
		{"x5u header", v, sign(t, jwt.SigningMethodRS256, k.stranger, goodClaims(),
			map[string]any{"x5u": attacker.URL, "kid": "evil"})},
		{"1 MiB of dots", v, strings.Repeat(".", 1<<20)},
		{"empty", v, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tt.v.Verify([]byte(tt.token), testNow)
			if err == nil {
				t.Fatalf("Verify = %+v, want an error", got)
			}
			if code := schema.ErrorCode(err); code != schema.CodeUnauthorized {
				t.Errorf("error code = %q, want %q (%v)", code, schema.CodeUnauthorized, err)
			}
			if got.Subject != "" || got.Tenant != "" || got.User != "" || got.Roles != nil {
				t.Errorf("Verify returned claims %+v with its error, want none", got)
			}
		})
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("the jku/x5u server was asked %d times, want 0", n)
	}
}

func TestVerifyRefusesHugeTokensBeforeParsing(t *testing.T) {
	v := newVerifier(t, appConfig(t), nil)
	dots := []byte(strings.Repeat(".", 1<<20))
	allocs := testing.AllocsPerRun(100, func() {
		if _, err := v.Verify(dots, testNow); err == nil {
			t.Fatal("Verify accepted 1 MiB of dots")
		}
	})
	if allocs != 0 {
		t.Errorf("refusing a 1 MiB token allocates %v times, want 0", allocs)
	}
	start := time.Now()
	for range 1000 {
		_, _ = v.Verify(dots, testNow)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("1000 refusals of a 1 MiB token took %v", d)
	}
	just := []byte(strings.Repeat("a", gateway.MaxJWTSize+1))
	if _, err := v.Verify(just, testNow); err == nil || !strings.Contains(schema.ErrorMessage(err), "too large") {
		t.Errorf("Verify(MaxJWTSize+1 bytes) = %v, want a too large error", err)
	}
}

func TestVerifyErrorMessages(t *testing.T) {
	k := keys(t)
	v := newVerifier(t, appConfig(t), nil)
	tests := []struct {
		name   string
		claims jwt.MapClaims
		want   string
	}{
		{"expired", with(jwt.MapClaims{"exp": testNow.Add(-time.Hour).Unix()}), "the token has expired"},
		{"not yet valid", with(jwt.MapClaims{"nbf": testNow.Add(time.Hour).Unix()}), "the token is not valid yet"},
		{"wrong issuer", with(jwt.MapClaims{"iss": "x"}), "the token is not valid"},
	}
	for _, tt := range tests {
		_, err := v.Verify([]byte(sign(t, jwt.SigningMethodEdDSA, k.ed, tt.claims, nil)), testNow)
		if got := schema.ErrorMessage(err); got != tt.want {
			t.Errorf("%s: message = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestVerifyClaimNames(t *testing.T) {
	k := keys(t)
	defaults := appConfig(t)
	defaults.TenantClaim, defaults.UserClaim, defaults.RolesClaim = "", "", ""
	custom := appConfig(t)
	custom.TenantClaim, custom.UserClaim, custom.RolesClaim = "https://example.com/org", "email", "groups"

	tests := []struct {
		name   string
		cfg    schema.JWTConfig
		claims jwt.MapClaims
		want   gateway.Claims
	}{
		{"defaults", defaults, jwt.MapClaims{"tenant_id": "t-9", "roles": "admin"},
			gateway.Claims{Subject: "user-1", Tenant: "t-9", User: "user-1", Roles: []string{"admin"}}},
		{"custom names", custom, jwt.MapClaims{
			"https://example.com/org": "t-7", "email": "a@example.com", "groups": []string{"ops"}},
			gateway.Claims{Subject: "user-1", Tenant: "t-7", User: "a@example.com", Roles: []string{"ops"}}},
		{"no tenant, no roles", defaults, jwt.MapClaims{"roles": nil},
			gateway.Claims{Subject: "user-1", User: "user-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := newVerifier(t, tt.cfg, nil)
			got, err := v.Verify([]byte(sign(t, jwt.SigningMethodRS256, k.rsa, with(tt.claims), nil)), testNow)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got.Subject != tt.want.Subject || got.Tenant != tt.want.Tenant || got.User != tt.want.User ||
				!slices.Equal(got.Roles, tt.want.Roles) {
				t.Errorf("Verify = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestNewJWTVerifierRefuses(t *testing.T) {
	k := keys(t)
	edit := func(f func(*schema.JWTConfig)) schema.JWTConfig {
		cfg := appConfig(t)
		f(&cfg)
		return cfg
	}
	der, err := x509.MarshalPKCS8PrivateKey(k.ec)
	if err != nil {
		t.Fatal(err)
	}
	privatePEM := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}))
	small, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		cfg  schema.JWTConfig
		key  []byte
		want schema.Code
	}{
		{"no algorithms", edit(func(c *schema.JWTConfig) { c.Algorithms = nil }), k.master, schema.CodeInvalid},
		{"alg none", edit(func(c *schema.JWTConfig) { c.Algorithms = []string{"none"} }), k.master, schema.CodeInvalid},
		{"alg in lower case", edit(func(c *schema.JWTConfig) { c.Algorithms = []string{"rs256"} }), k.master, schema.CodeInvalid},
		{"HS256 without a secret", edit(func(c *schema.JWTConfig) { c.HS256SecretSealed = "" }), k.master, schema.CodeInvalid},
		{"RS256 without keys", edit(func(c *schema.JWTConfig) {
			c.Algorithms, c.PublicKeysPEM = []string{"RS256"}, nil
		}), k.master, schema.CodeInvalid},
		{"not PEM", edit(func(c *schema.JWTConfig) { c.PublicKeysPEM = []string{"hello"} }), k.master, schema.CodeInvalid},
		{"a private key", edit(func(c *schema.JWTConfig) { c.PublicKeysPEM = []string{privatePEM} }), k.master, schema.CodeInvalid},
		{"RSA 1024", edit(func(c *schema.JWTConfig) {
			c.PublicKeysPEM = []string{publicPEM(t, &small.PublicKey)}
		}), k.master, schema.CodeInvalid},
		{"JWKS URL without a cache", edit(func(c *schema.JWTConfig) { c.JWKSURL = "https://idp.example.com/jwks" }),
			k.master, schema.CodeInvalid},
		{"secret sealed under another key", appConfig(t), make([]byte, schema.MasterKeySize), schema.CodeInternal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := gateway.NewJWTVerifier(tt.cfg, tt.key, nil)
			if err == nil {
				t.Fatalf("NewJWTVerifier = %v, want an error", v)
			}
			if got := schema.ErrorCode(err); got != tt.want {
				t.Errorf("error code = %q, want %q (%v)", got, tt.want, err)
			}
		})
	}
}

// FuzzJWTFrontChecks feeds Verify arbitrary bytes: it must never panic,
// and whatever it accepts must carry a valid signature by one of the
// app's keys under an algorithm the app allows.
func FuzzJWTFrontChecks(f *testing.F) {
	k := keys(f)
	cfg := appConfig(f)
	v := newVerifier(f, cfg, nil)
	f.Add([]byte(sign(f, jwt.SigningMethodRS256, k.rsa, goodClaims(), nil)))
	f.Add([]byte(sign(f, jwt.SigningMethodHS256, k.secret, goodClaims(), nil)))
	f.Add([]byte(sign(f, jwt.SigningMethodES256, k.ec, goodClaims(), map[string]any{"kid": "k1"})))
	f.Add([]byte(sign(f, jwt.SigningMethodEdDSA, k.ed, goodClaims(), nil)))
	f.Add([]byte(unsigned(f, "none", goodClaims())))
	f.Add([]byte(unsigned(f, "NONE", goodClaims())))
	f.Add([]byte(strings.Repeat(".", 4096)))
	f.Add([]byte(".."))
	f.Add([]byte{})

	independent := func(tok *jwt.Token) (any, error) {
		switch tok.Method.Alg() {
		case "HS256":
			return k.secret, nil
		case "RS256":
			return &k.rsa.PublicKey, nil
		case "ES256":
			return &k.ec.PublicKey, nil
		case "EdDSA":
			return k.ed.Public(), nil
		}
		return nil, errors.New("algorithm not allowed")
	}
	f.Fuzz(func(t *testing.T, token []byte) {
		in := string(token)
		if _, err := v.Verify(token, testNow); err != nil {
			return
		}
		if string(token) != in {
			t.Fatal("Verify changed its input")
		}
		if len(token) > gateway.MaxJWTSize {
			t.Fatalf("Verify accepted a token of %d bytes", len(token))
		}
		_, err := jwt.Parse(in, independent,
			jwt.WithValidMethods(cfg.Algorithms), jwt.WithoutClaimsValidation())
		if err != nil {
			t.Fatalf("Verify accepted %q, which no key of the app signed: %v", in, err)
		}
	})
}
