package gateway

import (
	"sync"
	"time"
)

// TokenCache remembers tokens that JWT verifiers accepted, so that a token
// sent again (clients send the same one until it expires) skips decoding
// and the signature check. An entry is the SHA-256 of the token, for the
// verifier that accepted it: another app's verifier, or the same app's
// after its settings change, does not find it. A hit checks the token's
// time limits again (exp, nbf and iat, with JWTLeeway), exactly as
// verification does, and misses once the verifier's JWKS has been fetched
// again since, so a key taken out of a JWKS stops its cached tokens too.
//
// It holds at most its capacity of entries: past it, adding one drops
// another of its shard, whichever the map yields first. It is safe for
// concurrent use.
type TokenCache struct {
	shards [tokenCacheShards]tokenShard
	limit  int // entries a shard holds
}

const tokenCacheShards = 16

// DefaultTokenCacheSize is the gateway's token cache capacity: entries
// take a few hundred bytes each, so a few MiB at most.
const DefaultTokenCacheSize = 16384

type tokenShard struct {
	mu sync.RWMutex
	m  map[tokenKey]*cachedToken
}

type tokenKey struct {
	v   *JWTVerifier
	sum [32]byte
}

// cachedToken is what a hit needs: the claims, the window in which the
// token is valid (leeway included), and the JWKS fetch generation it was
// verified at.
type cachedToken struct {
	claims    Claims
	notBefore time.Time // zero: no nbf or iat
	notAfter  time.Time // exp + leeway
	jwksGen   uint64
}

// NewTokenCache returns a cache of at most size tokens (at least one a
// shard).
func NewTokenCache(size int) *TokenCache {
	c := &TokenCache{limit: max(size/tokenCacheShards, 1)}
	for i := range c.shards {
		c.shards[i].m = make(map[tokenKey]*cachedToken)
	}
	return c
}

func (c *TokenCache) shard(sum *[32]byte) *tokenShard {
	return &c.shards[sum[0]%tokenCacheShards]
}

// get returns the claims of a token verifier v accepted, if it is cached,
// still valid at now, and verified at JWKS generation gen.
func (c *TokenCache) get(v *JWTVerifier, sum [32]byte, now time.Time, gen uint64) (Claims, bool) {
	s := c.shard(&sum)
	k := tokenKey{v, sum}
	s.mu.RLock()
	e := s.m[k]
	s.mu.RUnlock()
	switch {
	case e == nil:
		return Claims{}, false
	case !now.Before(e.notAfter) || e.jwksGen != gen:
		// Expired, or verified against keys since fetched again: it
		// will not be valid again as it is.
		s.mu.Lock()
		if s.m[k] == e {
			delete(s.m, k)
		}
		s.mu.Unlock()
		return Claims{}, false
	case now.Before(e.notBefore):
		return Claims{}, false
	}
	return e.claims, true
}

// put caches a token v accepted.
func (c *TokenCache) put(v *JWTVerifier, sum [32]byte, e *cachedToken) {
	s := c.shard(&sum)
	k := tokenKey{v, sum}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.m[k]; !ok && len(s.m) >= c.limit {
		for old := range s.m {
			delete(s.m, old)
			break
		}
	}
	s.m[k] = e
}

// Forget drops every cached token.
func (c *TokenCache) Forget() {
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.Lock()
		clear(s.m)
		s.mu.Unlock()
	}
}

// Len returns the number of cached tokens.
func (c *TokenCache) Len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.RLock()
		n += len(s.m)
		s.mu.RUnlock()
	}
	return n
}
