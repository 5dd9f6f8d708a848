package gateway_test

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/aegis-oss/aegis/gateway"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/egress"
)

// jwkOf returns the JWK (RFC 7517) of a public key.
func jwkOf(t testing.TB, kid string, pub any) map[string]any {
	t.Helper()
	b64 := base64.RawURLEncoding.EncodeToString
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return map[string]any{"kty": "RSA", "kid": kid, "use": "sig",
			"n": b64(k.N.Bytes()), "e": b64(big.NewInt(int64(k.E)).Bytes())}
	case *ecdsa.PublicKey:
		raw, err := k.Bytes() // 0x04 || x || y
		if err != nil {
			t.Fatal(err)
		}
		size := (len(raw) - 1) / 2
		return map[string]any{"kty": "EC", "kid": kid, "crv": k.Curve.Params().Name,
			"x": b64(raw[1 : 1+size]), "y": b64(raw[1+size:])}
	case ed25519.PublicKey:
		return map[string]any{"kty": "OKP", "kid": kid, "crv": "Ed25519", "x": b64(k)}
	}
	t.Fatalf("no JWK for %T", pub)
	return nil
}

// jwksOf returns a JWK Set of the keys, by kid.
func jwksOf(t testing.TB, keys map[string]any) []byte {
	t.Helper()
	set := struct {
		Keys []map[string]any `json:"keys"`
	}{Keys: []map[string]any{}}
	for kid, pub := range keys {
		set.Keys = append(set.Keys, jwkOf(t, kid, pub))
	}
	b, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jwksServer serves a JWK Set that the test can replace, counting requests.
type jwksServer struct {
	*httptest.Server
	hits  atomic.Int64
	body  atomic.Pointer[[]byte]
	delay time.Duration
}

func newJWKSServer(t *testing.T, body []byte, delay time.Duration) *jwksServer {
	t.Helper()
	s := &jwksServer{delay: delay}
	s.set(body)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.hits.Add(1)
		time.Sleep(s.delay)
		w.Header().Set("Content-Type", "application/jwk-set+json")
		_, _ = w.Write(*s.body.Load())
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *jwksServer) set(body []byte) { s.body.Store(&body) }

// loopbackClient is the gateway's JWKS client with loopback allowed, as an
// operator allows an internal network: the test servers listen on
// 127.0.0.1, which the client refuses by default.
func loopbackClient(t testing.TB) *http.Client {
	t.Helper()
	c := gateway.NewJWKSClient(egress.New(netip.MustParsePrefix("127.0.0.0/8")))
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// jwksConfig is an app whose keys come only from url.
func jwksConfig(url string) schema.JWTConfig {
	return schema.JWTConfig{
		Issuer:      "https://idp.example.com",
		Audiences:   []string{"api-a"},
		Algorithms:  []string{"RS256", "ES256", "EdDSA"},
		JWKSURL:     url,
		TenantClaim: "org",
	}
}

func TestJWKSKidFound(t *testing.T) {
	k := keys(t)
	srv := newJWKSServer(t, jwksOf(t, map[string]any{
		"rsa-1": &k.rsa.PublicKey, "ec-1": &k.ec.PublicKey, "ed-1": k.ed.Public(),
	}), 0)
	v := newVerifier(t, jwksConfig(srv.URL), gateway.NewJWKSCache(loopbackClient(t), time.Minute))

	tests := []struct {
		name  string
		token string
	}{
		{"RS256", sign(t, jwt.SigningMethodRS256, k.rsa, goodClaims(), map[string]any{"kid": "rsa-1"})},
		{"ES256", sign(t, jwt.SigningMethodES256, k.ec, goodClaims(), map[string]any{"kid": "ec-1"})},
		{"EdDSA", sign(t, jwt.SigningMethodEdDSA, k.ed, goodClaims(), map[string]any{"kid": "ed-1"})},
	}
	for _, tt := range tests {
		got, err := v.Verify([]byte(tt.token), testNow)
		if err != nil {
			t.Errorf("%s: Verify: %v", tt.name, err)
			continue
		}
		if got.Tenant != "tenant-1" || got.User != "user-1" {
			t.Errorf("%s: Verify = %+v, want tenant-1 and user-1", tt.name, got)
		}
	}
	if n := srv.hits.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times, want 1 (then cached)", n)
	}

	refused := []struct {
		name  string
		token string
	}{
		{"key of another type under the kid", sign(t, jwt.SigningMethodES256, k.ec, goodClaims(),
			map[string]any{"kid": "rsa-1"})},
		{"no kid", sign(t, jwt.SigningMethodRS256, k.rsa, goodClaims(), nil)},
		{"stranger under a known kid", sign(t, jwt.SigningMethodRS256, k.stranger, goodClaims(),
			map[string]any{"kid": "rsa-1"})},
	}
	for _, tt := range refused {
		if got, err := v.Verify([]byte(tt.token), testNow); err == nil {
			t.Errorf("%s: Verify = %+v, want an error", tt.name, got)
		}
	}
}

func TestJWKSConcurrentColdLookupsShareOneFetch(t *testing.T) {
	k := keys(t)
	srv := newJWKSServer(t, jwksOf(t, map[string]any{"rsa-1": &k.rsa.PublicKey}), 50*time.Millisecond)
	v := newVerifier(t, jwksConfig(srv.URL), gateway.NewJWKSCache(loopbackClient(t), time.Hour))
	token := []byte(sign(t, jwt.SigningMethodRS256, k.rsa, goodClaims(), map[string]any{"kid": "rsa-1"}))

	var wg sync.WaitGroup
	var failed atomic.Int64
	for range 50 {
		wg.Go(func() {
			if _, err := v.Verify(token, testNow); err != nil {
				failed.Add(1)
			}
		})
	}
	wg.Wait()
	if n := failed.Load(); n != 0 {
		t.Errorf("%d of 50 concurrent verifications failed, want 0", n)
	}
	if n := srv.hits.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times, want 1", n)
	}
}

func TestJWKSUnknownKidRefetchIsBounded(t *testing.T) {
	k := keys(t)
	srv := newJWKSServer(t, jwksOf(t, map[string]any{"rsa-1": &k.rsa.PublicKey}), 20*time.Millisecond)
	v := newVerifier(t, jwksConfig(srv.URL), gateway.NewJWKSCache(loopbackClient(t), time.Hour))
	good := []byte(sign(t, jwt.SigningMethodRS256, k.rsa, goodClaims(), map[string]any{"kid": "rsa-1"}))
	if _, err := v.Verify(good, testNow); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	// The cache was filled just now, so even an unknown kid waits for the
	// minimum refresh interval: no refetch at all.
	unknown := []byte(sign(t, jwt.SigningMethodRS256, k.stranger, goodClaims(), map[string]any{"kid": "nope"}))
	verifyConcurrently(t, v, unknown, 50)
	if n := srv.hits.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times, want 1", n)
	}

	// A fresh cache whose first lookups name an unknown kid: one fetch,
	// shared by all 50, and none after it.
	srv2 := newJWKSServer(t, jwksOf(t, map[string]any{"rsa-1": &k.rsa.PublicKey}), 20*time.Millisecond)
	v2 := newVerifier(t, jwksConfig(srv2.URL), gateway.NewJWKSCache(loopbackClient(t), time.Hour))
	for range 3 {
		verifyConcurrently(t, v2, unknown, 50)
	}
	if n := srv2.hits.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times for 150 unknown kids, want 1", n)
	}
	if _, err := v2.Verify(good, testNow); err != nil {
		t.Errorf("Verify with a known kid after the misses: %v", err)
	}
}

// verifyConcurrently verifies token from n goroutines at once and fails
// the test if any verification succeeds.
func verifyConcurrently(t *testing.T, v *gateway.JWTVerifier, token []byte, n int) {
	t.Helper()
	var wg sync.WaitGroup
	var accepted atomic.Int64
	start := make(chan struct{})
	for range n {
		wg.Go(func() {
			<-start
			if _, err := v.Verify(token, testNow); err == nil {
				accepted.Add(1)
			}
		})
	}
	close(start)
	wg.Wait()
	if a := accepted.Load(); a != 0 {
		t.Errorf("%d of %d verifications accepted the token, want 0", a, n)
	}
}

func TestJWKSRotatedKeyAppearsAfterMinRefresh(t *testing.T) {
	k := keys(t)
	const minRefresh = 500 * time.Millisecond
	srv := newJWKSServer(t, jwksOf(t, map[string]any{"old": &k.rsa.PublicKey}), 0)
	v := newVerifier(t, jwksConfig(srv.URL), gateway.NewJWKSCache(loopbackClient(t), minRefresh))
	old := []byte(sign(t, jwt.SigningMethodRS256, k.rsa, goodClaims(), map[string]any{"kid": "old"}))
	rotated := []byte(sign(t, jwt.SigningMethodRS256, k.stranger, goodClaims(), map[string]any{"kid": "new"}))

	start := time.Now()
	if _, err := v.Verify(old, testNow); err != nil {
		t.Fatalf("Verify(old): %v", err)
	}
	srv.set(jwksOf(t, map[string]any{"old": &k.rsa.PublicKey, "new": &k.stranger.PublicKey}))
	_, err := v.Verify(rotated, testNow)
	if time.Since(start) < minRefresh {
		if err == nil {
			t.Error("the rotated key was used before the minimum refresh interval")
		}
		if n := srv.hits.Load(); n != 1 {
			t.Errorf("JWKS fetched %d times within the minimum refresh interval, want 1", n)
		}
	}

	time.Sleep(minRefresh + 50*time.Millisecond)
	if _, err := v.Verify(rotated, testNow); err != nil {
		t.Fatalf("Verify(rotated) after the minimum refresh interval: %v", err)
	}
	if _, err := v.Verify(old, testNow); err != nil {
		t.Errorf("Verify(old) after the rotation: %v", err)
	}
	if n := srv.hits.Load(); n != 2 {
		t.Errorf("JWKS fetched %d times, want 2", n)
	}
}

func TestJWKSCacheKey(t *testing.T) {
	k := keys(t)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p521, err := ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	skipped := []map[string]any{
		{"kty": "oct", "kid": "oct", "k": "c2VjcmV0"},
		{"kty": "RSA", "kid": "enc", "use": "enc", "n": jwkOf(t, "", &k.rsa.PublicKey)["n"], "e": "AQAB"},
		{"kty": "EC", "kid": "short-x", "crv": "P-256", "x": "AAAA", "y": "AAAA"},
		{"kty": "EC", "kid": "secp256k1", "crv": "secp256k1", "x": "AAAA", "y": "AAAA"},
		{"kty": "OKP", "kid": "x25519", "crv": "X25519", "x": jwkOf(t, "", k.ed.Public())["x"]},
		{"kty": "RSA", "kid": "small", "n": "AQAB", "e": "AQAB"},
	}
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	set.Keys = append(set.Keys,
		jwkOf(t, "rsa", &k.rsa.PublicKey), jwkOf(t, "p256", &k.ec.PublicKey),
		jwkOf(t, "p384", &p384.PublicKey), jwkOf(t, "p521", &p521.PublicKey),
		jwkOf(t, "ed", k.ed.Public()))
	set.Keys = append(set.Keys, skipped...)
	body, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	srv := newJWKSServer(t, body, 0)
	c := gateway.NewJWKSCache(loopbackClient(t), time.Hour)
	ctx := context.Background()

	found := []struct {
		kid  string
		want any
	}{
		{"rsa", &k.rsa.PublicKey}, {"p256", &k.ec.PublicKey}, {"p384", &p384.PublicKey},
		{"p521", &p521.PublicKey}, {"ed", k.ed.Public()},
	}
	for _, tt := range found {
		got, err := c.Key(ctx, srv.URL, tt.kid)
		if err != nil {
			t.Errorf("Key(%q): %v", tt.kid, err)
			continue
		}
		if e, ok := got.(interface{ Equal(x crypto.PublicKey) bool }); !ok || !e.Equal(tt.want) {
			t.Errorf("Key(%q) = %T, not the key served", tt.kid, got)
		}
	}
	for _, s := range skipped {
		kid := s["kid"].(string)
		if got, err := c.Key(ctx, srv.URL, kid); err == nil {
			t.Errorf("Key(%q) = %T, want the key skipped", kid, got)
		} else if code := schema.ErrorCode(err); code != schema.CodeUnauthorized {
			t.Errorf("Key(%q): code %q, want %q", kid, code, schema.CodeUnauthorized)
		}
	}
	if n := srv.hits.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times, want 1", n)
	}
}

func TestJWKSCacheRefusesBadSets(t *testing.T) {
	k := keys(t)
	big := append([]byte(`{"keys":[],"pad":"`), []byte(strings.Repeat("x", 1<<20))...)
	big = append(big, `"}`...)
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"over 1 MiB", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write(big) }},
		{"not JSON", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("<html>")) }},
		{"no keys member", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{}`)) }},
		{"status 500", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = w.Write(jwksOf(t, map[string]any{"rsa": &k.rsa.PublicKey}))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int64
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				hits.Add(1)
				tt.handler(w, r)
			}))
			t.Cleanup(srv.Close)
			c := gateway.NewJWKSCache(loopbackClient(t), time.Hour)
			for range 3 {
				_, err := c.Key(context.Background(), srv.URL, "rsa")
				if code := schema.ErrorCode(err); code != schema.CodeUnavailable {
					t.Errorf("Key: code %q, want %q (%v)", code, schema.CodeUnavailable, err)
				}
			}
			if n := hits.Load(); n != 1 {
				t.Errorf("failing JWKS fetched %d times, want 1 within the refresh interval", n)
			}
		})
	}
}

func TestJWKSFetchTimesOut(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	c := gateway.NewJWKSCache(loopbackClient(t), time.Hour)

	// A caller that gives up returns at once; the fetch goes on for the
	// others.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := c.Key(ctx, srv.URL, "rsa"); err == nil {
		t.Error("Key from a server that never answers succeeded")
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Key with a 100ms context took %v", d)
	}

	// A caller that waits sees the fetch end at JWKSTimeout.
	_, err := c.Key(context.Background(), srv.URL, "rsa")
	if code := schema.ErrorCode(err); code != schema.CodeUnavailable {
		t.Errorf("Key: code %q, want %q (%v)", code, schema.CodeUnavailable, err)
	}
	if d := time.Since(start); d < gateway.JWKSTimeout-time.Second || d > gateway.JWKSTimeout+2*time.Second {
		t.Errorf("the fetch ended after %v, want about %v", d, gateway.JWKSTimeout)
	}
	if n := hits.Load(); n != 1 {
		t.Errorf("JWKS fetched %d times, want 1", n)
	}
}
