package gateway_test

import (
	"runtime"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/aegis-oss/aegis/gateway"
	"github.com/aegis-oss/aegis/schema"
)

// cachedVerifier returns a verifier of appConfig keeping its tokens in c.
func cachedVerifier(t *testing.T, c *gateway.TokenCache) *gateway.JWTVerifier {
	t.Helper()
	v := newVerifier(t, appConfig(t), nil)
	v.UseCache(c)
	return v
}

func TestTokenCacheHitAllocatesNothing(t *testing.T) {
	c := gateway.NewTokenCache(64)
	v := cachedVerifier(t, c)
	token := []byte(sign(t, jwt.SigningMethodRS256, keys(t).rsa, goodClaims(), nil))
	first, err := v.Verify(token, testNow)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if c.Len() != 1 {
		t.Fatalf("Len = %d after one token, want 1", c.Len())
	}
	allocs := testing.AllocsPerRun(100, func() {
		got, err := v.Verify(token, testNow.Add(time.Minute))
		if err != nil || got.Tenant != first.Tenant || got.User != first.User {
			t.Fatalf("Verify from the cache = %+v, %v; want %+v", got, err, first)
		}
	})
	if allocs != 0 {
		t.Errorf("a cached token took %.0f allocations to verify, want 0 (it was verified again)", allocs)
	}
}

func TestTokenCacheKeepsTheTimeLimits(t *testing.T) {
	k := keys(t)
	leeway := gateway.JWTLeeway
	exp := testNow.Add(5 * time.Minute)
	nbf := testNow.Add(20 * time.Second) // valid at testNow thanks to the leeway
	token := []byte(sign(t, jwt.SigningMethodHS256, k.secret,
		with(jwt.MapClaims{"exp": exp.Unix(), "nbf": nbf.Unix(), "iat": testNow.Add(-time.Hour).Unix()}), nil))

	tests := []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"before exp", exp.Add(-time.Second), true},
		{"within the leeway past exp", exp.Add(leeway - time.Second), true},
		{"at exp plus the leeway", exp.Add(leeway), false},
		{"long after exp", exp.Add(time.Hour), false},
		{"at nbf less the leeway", nbf.Add(-leeway), true},
		{"before nbf less the leeway", nbf.Add(-leeway - time.Second), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := gateway.NewTokenCache(64)
			v := cachedVerifier(t, c)
			if _, err := v.Verify(token, testNow); err != nil {
				t.Fatalf("Verify at testNow: %v", err)
			}
			_, err := v.Verify(token, tt.at)
			if tt.ok && err != nil {
				t.Fatalf("Verify: %v, want it accepted", err)
			}
			if !tt.ok && schema.ErrorCode(err) != schema.CodeUnauthorized {
				t.Fatalf("Verify = %v, want it refused with %s", err, schema.CodeUnauthorized)
			}
		})
	}
}

func TestTokenCacheIsPerVerifier(t *testing.T) {
	c := gateway.NewTokenCache(64)
	a := cachedVerifier(t, c)
	cfg := appConfig(t)
	cfg.Issuer = "https://other-idp.example.com" // another app's settings
	b := newVerifier(t, cfg, nil)
	b.UseCache(c)

	token := []byte(sign(t, jwt.SigningMethodHS256, keys(t).secret, goodClaims(), nil))
	if _, err := a.Verify(token, testNow); err != nil {
		t.Fatalf("Verify by its own app: %v", err)
	}
	if _, err := b.Verify(token, testNow); err == nil {
		t.Fatal("another app's verifier accepted a token of the wrong issuer that the cache holds for the first app")
	}
	// A token changed by one byte is not the cached one.
	tampered := append([]byte(nil), token...)
	tampered[len(tampered)-2] ^= 1
	if _, err := a.Verify(tampered, testNow); err == nil {
		t.Fatal("a token with a changed signature was accepted")
	}
}

func TestTokenCacheForget(t *testing.T) {
	c := gateway.NewTokenCache(64)
	v := cachedVerifier(t, c)
	for i := range 3 {
		token := []byte(sign(t, jwt.SigningMethodHS256, keys(t).secret, with(jwt.MapClaims{"jti": i}), nil))
		if _, err := v.Verify(token, testNow); err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
	}
	if n := c.Len(); n != 3 {
		t.Fatalf("Len = %d after three tokens, want 3", n)
	}
	c.Forget()
	if n := c.Len(); n != 0 {
		t.Fatalf("Len = %d after Forget, want 0", n)
	}
}

func TestTokenCacheIsBounded(t *testing.T) {
	const size = 32
	c := gateway.NewTokenCache(size)
	v := cachedVerifier(t, c)
	for i := range 200 {
		token := []byte(sign(t, jwt.SigningMethodHS256, keys(t).secret, with(jwt.MapClaims{"jti": i}), nil))
		if _, err := v.Verify(token, testNow); err != nil {
			t.Fatalf("token %d: %v", i, err)
		}
		if n := c.Len(); n > size {
			t.Fatalf("after %d tokens the cache holds %d, more than its %d", i+1, n, size)
		}
	}
}

func TestTokenCacheForgetsTokensWhenTheJWKSIsFetchedAgain(t *testing.T) {
	k := keys(t)
	srv := newJWKSServer(t, jwksOf(t, map[string]any{"old": &k.rsa.PublicKey}), 0)
	jwks := gateway.NewJWKSCache(loopbackClient(t), time.Millisecond)
	c := gateway.NewTokenCache(64)
	v := newVerifier(t, jwksConfig(srv.URL), jwks)
	v.UseCache(c)

	old := []byte(sign(t, jwt.SigningMethodRS256, k.rsa, goodClaims(), map[string]any{"kid": "old"}))
	if _, err := v.Verify(old, testNow); err != nil {
		t.Fatalf("Verify with the published key: %v", err)
	}
	if _, err := v.Verify(old, testNow); err != nil {
		t.Fatalf("Verify again: %v", err)
	}

	// The identity provider takes the key out and publishes another; a
	// token naming the new kid makes the gateway fetch the set again.
	srv.set(jwksOf(t, map[string]any{"new": &k.ec.PublicKey}))
	time.Sleep(5 * time.Millisecond) // past the minimum refresh interval
	fresh := []byte(sign(t, jwt.SigningMethodES256, k.ec, goodClaims(), map[string]any{"kid": "new"}))
	if _, err := v.Verify(fresh, testNow); err != nil {
		t.Fatalf("Verify with the new key: %v", err)
	}
	if _, err := v.Verify(old, testNow); err == nil {
		t.Fatal("a cached token signed with a key no longer published was still accepted")
	}
}

// allocsOfOne returns the allocations of one call of f, with one core, as
// testing.AllocsPerRun counts them but without its warm-up call.
func allocsOfOne(f func()) uint64 {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.Mallocs - before.Mallocs
}

func TestTokenCacheKeepsTokensWhenAnotherJWKSIsFetched(t *testing.T) {
	k := keys(t)
	jwks := gateway.NewJWKSCache(loopbackClient(t), time.Millisecond)
	c := gateway.NewTokenCache(64)
	verifierOf := func(kid string, pub any) *gateway.JWTVerifier {
		srv := newJWKSServer(t, jwksOf(t, map[string]any{kid: pub}), 0)
		v := newVerifier(t, jwksConfig(srv.URL), jwks)
		v.UseCache(c)
		return v
	}
	a, b := verifierOf("a", &k.rsa.PublicKey), verifierOf("b", &k.ec.PublicKey)
	tokenA := []byte(sign(t, jwt.SigningMethodRS256, k.rsa, goodClaims(), map[string]any{"kid": "a"}))
	tokenB := []byte(sign(t, jwt.SigningMethodES256, k.ec, goodClaims(), map[string]any{"kid": "b"}))
	verify := func(v *gateway.JWTVerifier, token []byte) {
		t.Helper()
		if _, err := v.Verify(token, testNow); err != nil {
			t.Fatalf("Verify: %v", err)
		}
	}
	verify(a, tokenA)
	verify(a, tokenA) // cached now: the first Verify fetched a's JWKS
	verify(b, tokenB) // fetches b's JWKS
	// A hit allocates nothing; verifying again allocates dozens of times.
	if n := allocsOfOne(func() { verify(a, tokenA) }); n > 5 {
		t.Errorf("a's token took %d allocations after b's JWKS was fetched: it was verified again", n)
	}
}
