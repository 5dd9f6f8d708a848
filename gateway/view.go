package gateway

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/aegis-oss/aegis/schema"
)

// view is a gateway node's in-memory copy of the KV buckets. Request
// handling reads it without locks: every part is an immutable value behind
// an atomic pointer, replaced whole when it changes (copy on write). API
// keys, the one part that grows large, are split over keyShards maps so
// that a change copies one small shard, not all of them.
type view struct {
	mu        sync.Mutex // serializes writers
	routes    atomic.Pointer[routeTable]
	apps      atomic.Pointer[map[string]*appEntry]
	customers atomic.Pointer[map[string]bool] // customer id → suspended
	keys      [keyShards]atomic.Pointer[map[[32]byte]*keyEntry]
	// loading holds the key shards being loaded by a watch round, nil
	// otherwise: a round fills them in place and publishes them at once,
	// instead of copying a shard for every one of a million keys.
	loading *[keyShards]map[[32]byte]*keyEntry
	// names holds one copy of each app id and environment that keys
	// name, for the keys to share: keys are many, apps few. A round that loads the keys starts it afresh, so the
	// names of apps gone do not stay. Guarded by mu.
	names map[string]string
	// keyRec is where a key's value is decoded, guarded by mu.
	keyRec   schema.KeyRecord
	revision atomic.Uint64 // the lowest of the buckets' watermarks
	// watermarks are the last batch revision seen in each bucket, guarded
	// by mu.
	watermarks map[string]uint64
	// masterKey opens apps' sealed JWT secrets; jwks fetches JWKS keys;
	// tokens keeps the tokens the apps' verifiers accepted.
	masterKey []byte
	jwks      *JWKSCache
	tokens    *TokenCache
	// advanced is signalled (without blocking) when revision moves, so the
	// node can tell the platform at once.
	advanced chan struct{}
}

const keyShards = 256

// routeTable maps a host to its routes, longest prefix first.
type routeTable map[string][]routeEntry

type routeEntry struct {
	prefix string
	appID  string
}

// appEntry is an app as the gateway serves it.
type appEntry struct {
	id, customerID string
	config         schema.AppConfig
	upstreams      *Upstreams
	jwt            *JWTVerifier // nil for an app that takes API keys only
}

// keyEntry is an API key as the gateway checks it; times are Unix
// nanoseconds, 0 when unset. It holds only what a request needs: a node
// holds a million of them (the key's customer is its app's, and its id is
// not needed to serve it).
type keyEntry struct {
	appID, environment, tenantID string
	expiresAt, validUntil        int64
}

func newView(masterKey []byte, jwks *JWKSCache) *view {
	v := &view{advanced: make(chan struct{}, 1), watermarks: map[string]uint64{}, names: map[string]string{},
		masterKey: masterKey, jwks: jwks, tokens: NewTokenCache(DefaultTokenCacheSize)}
	v.routes.Store(&routeTable{})
	v.apps.Store(&map[string]*appEntry{})
	v.customers.Store(&map[string]bool{})
	for i := range v.keys {
		v.keys[i].Store(&map[[32]byte]*keyEntry{})
	}
	return v
}

// watermark records that bucket has applied every value up to rev, and
// advances the view's revision to the lowest watermark of the watched
// buckets: what the node has applied in all of them.
func (v *view) watermark(bucket string, rev uint64) {
	if rev <= v.watermarks[bucket] {
		return
	}
	v.watermarks[bucket] = rev
	low := rev
	for _, b := range watchedBuckets {
		if v.watermarks[b] < low {
			low = v.watermarks[b]
		}
	}
	if low > v.revision.Load() {
		v.revision.Store(low)
		select {
		case v.advanced <- struct{}{}:
		default:
		}
	}
}

// apply takes one KV entry of bucket into the view. A nil value (a KV
// delete or purge, which projectors do not make) removes the key, like a
// tombstone. It returns an error for a value it cannot decode.
func (v *view) apply(bucket, key string, value []byte) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	if bucket == schema.BucketKeys && key != schema.WatermarkKey {
		// Keys are most of the values: decoded once, whole.
		return v.applyKey(key, value)
	}
	var st schema.Stamp
	if len(value) > 0 {
		if err := json.Unmarshal(value, &st); err != nil {
			return fmt.Errorf("%s/%s: %w", bucket, key, err)
		}
	}
	gone := len(value) == 0 || st.Deleted
	if key == schema.WatermarkKey {
		v.watermark(bucket, st.Revision)
		return nil
	}
	switch bucket {
	case schema.BucketRoutes:
		return v.applyRoute(key, value, gone)
	case schema.BucketApps:
		switch {
		case strings.HasPrefix(key, "app."):
			return v.applyApp(strings.TrimPrefix(key, "app."), value, gone)
		case strings.HasPrefix(key, "customer."):
			return v.applyCustomer(strings.TrimPrefix(key, "customer."), value, gone)
		}
	}
	return nil
}

func (v *view) applyRoute(key string, value []byte, gone bool) error {
	// Routes are few: rebuild the table from a copy, dropping the key first.
	old := *v.routes.Load()
	next := make(routeTable, len(old)+1)
	for h, rs := range old {
		next[h] = rs
	}
	var rec schema.RouteRecord
	if !gone {
		if err := json.Unmarshal(value, &rec); err != nil {
			return fmt.Errorf("route %s: %w", key, err)
		}
	}
	// The key names host and prefix; remove what it named before.
	host, prefix, ok := decodeRouteKey(key)
	if !ok {
		return fmt.Errorf("route key %q does not decode", key)
	}
	rs := make([]routeEntry, 0, len(next[host])+1)
	for _, r := range next[host] {
		if r.prefix != prefix {
			rs = append(rs, r)
		}
	}
	if !gone {
		rs = append(rs, routeEntry{prefix: prefix, appID: rec.AppID})
		sort.SliceStable(rs, func(i, j int) bool { return len(rs[i].prefix) > len(rs[j].prefix) })
	}
	if len(rs) == 0 {
		delete(next, host)
	} else {
		next[host] = rs
	}
	v.routes.Store(&next)
	return nil
}

func (v *view) applyApp(id string, value []byte, gone bool) (jwtErr error) {
	old := *v.apps.Load()
	next := make(map[string]*appEntry, len(old)+1)
	for k, a := range old {
		next[k] = a
	}
	prev := next[id]
	if gone {
		delete(next, id)
	} else {
		var rec schema.AppRecord
		if err := json.Unmarshal(value, &rec); err != nil || rec.Config == nil {
			return fmt.Errorf("app %s: no configuration (%v)", id, err)
		}
		ups, err := NewUpstreams(rec.Config.Upstreams, rec.Config.Timeouts)
		if err != nil {
			return fmt.Errorf("app %s: %w", id, err)
		}
		a := &appEntry{id: id, customerID: rec.CustomerID, config: *rec.Config, upstreams: ups}
		if rec.Config.AuthMode != schema.AuthAPIKey && rec.Config.JWT != nil {
			// An app whose JWT settings do not work still serves API keys
			// (auth_mode both); its JWTs are refused, and the error logged.
			if a.jwt, err = NewJWTVerifier(*rec.Config.JWT, v.masterKey, v.jwks); err != nil {
				jwtErr = fmt.Errorf("app %s: JWT settings: %w", id, err)
			} else {
				a.jwt.UseCache(v.tokens)
			}
		}
		next[id] = a
	}
	v.apps.Store(&next)
	if prev != nil {
		// Requests in flight keep their pointer; idle connections go.
		prev.upstreams.Close()
	}
	return jwtErr
}

func (v *view) applyCustomer(id string, value []byte, gone bool) error {
	old := *v.customers.Load()
	next := make(map[string]bool, len(old)+1)
	for k, s := range old {
		next[k] = s
	}
	if gone {
		delete(next, id)
	} else {
		var rec schema.CustomerRecord
		if err := json.Unmarshal(value, &rec); err != nil {
			return fmt.Errorf("customer %s: %w", id, err)
		}
		next[id] = rec.Status == "suspended"
	}
	v.customers.Store(&next)
	return nil
}

// applyKey takes one value of the keys bucket into the view; an empty one
// or a tombstone removes the key.
func (v *view) applyKey(key string, value []byte) error {
	var hash [32]byte
	if n, err := hex.Decode(hash[:], []byte(key)); err != nil || n != 32 {
		return fmt.Errorf("key %q is not a SHA-256", key)
	}
	rec := &v.keyRec
	*rec = schema.KeyRecord{}
	if len(value) > 0 {
		if err := json.Unmarshal(value, rec); err != nil {
			return fmt.Errorf("%s/%s: %w", schema.BucketKeys, key, err)
		}
	}
	var next map[[32]byte]*keyEntry
	shard := &v.keys[hash[0]]
	old := *shard.Load()
	if v.loading != nil {
		next = v.loading[hash[0]]
	} else {
		next = make(map[[32]byte]*keyEntry, len(old)+1)
		for k, e := range old {
			next[k] = e
		}
	}
	if len(value) == 0 || rec.Deleted {
		delete(next, hash)
	} else {
		next[hash] = v.keyEntry(rec, old[hash])
	}
	if v.loading == nil {
		shard.Store(&next)
	}
	return nil
}

// keyEntry returns the entry of rec: was, the entry the key had, if rec
// has not changed it (a round that loads the keys again then holds one
// copy of each, not two), or else a new one.
func (v *view) keyEntry(rec *schema.KeyRecord, was *keyEntry) *keyEntry {
	e := keyEntry{appID: v.name(rec.AppID), environment: v.name(rec.Environment), tenantID: rec.TenantID}
	if rec.ExpiresAt != nil {
		e.expiresAt = rec.ExpiresAt.UnixNano()
	}
	if rec.ValidUntil != nil {
		e.validUntil = rec.ValidUntil.UnixNano()
	}
	if was != nil && *was == e {
		return was
	}
	p := new(keyEntry)
	*p = e
	return p
}

// name returns the view's copy of s, making s that copy if it has none.
func (v *view) name(s string) string {
	if c, ok := v.names[s]; ok {
		return c
	}
	v.names[s] = s
	return s
}

// beginKeys starts loading the keys bucket whole: until endKeys, keys go
// to fresh shards that requests do not see yet.
func (v *view) beginKeys() {
	v.mu.Lock()
	defer v.mu.Unlock()
	var fresh [keyShards]map[[32]byte]*keyEntry
	for i := range fresh {
		fresh[i] = make(map[[32]byte]*keyEntry, len(*v.keys[i].Load()))
	}
	v.loading = &fresh
	v.names = map[string]string{}
}

// endKeys publishes the loaded shards, replacing the old ones whole: a key
// gone while the node was away is gone from them too. With publish false
// (a round that broke off half way) the loaded shards are dropped and the
// old ones stay, until a later round loads them all.
func (v *view) endKeys(publish bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.loading == nil {
		return
	}
	if publish {
		for i := range v.keys {
			m := v.loading[i]
			v.keys[i].Store(&m)
		}
	}
	v.loading = nil
}

// route returns the app serving host and the normalised path: the entry
// with the longest prefix that matches, on the host itself, or else on its
// wildcard ("*.example.com" for "api.example.com"). Hosts are compared
// without regard to case; table keys are lowercase.
func (v *view) route(host string, path string) (*appEntry, bool) {
	var lower [253]byte
	if len(host) > len(lower) {
		return nil, false
	}
	h := lower[:len(host)]
	for i := 0; i < len(host); i++ {
		c := host[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		h[i] = c
	}
	table := *v.routes.Load()
	if a, ok := v.match(table[b2s(h)], path); ok {
		return a, true
	}
	if i := bytes.IndexByte(h, '.'); i > 0 {
		h[i-1] = '*'
		return v.match(table[b2s(h[i-1:])], path)
	}
	return nil, false
}

// match returns the app of the first route of rs (longest prefix first)
// whose prefix matches path.
func (v *view) match(rs []routeEntry, path string) (*appEntry, bool) {
	for _, r := range rs {
		if PrefixMatches(path, r.prefix) {
			a, ok := (*v.apps.Load())[r.appID]
			return a, ok
		}
	}
	return nil, false
}

// key returns the API key whose secret hashes to hash.
func (v *view) key(hash [32]byte) (*keyEntry, bool) {
	e, ok := (*v.keys[hash[0]].Load())[hash]
	return e, ok
}

// suspended reports whether the customer's traffic is stopped.
func (v *view) suspended(customerID string) bool {
	return (*v.customers.Load())[customerID]
}

// usable reports whether the key may be used at now (Unix nanoseconds).
func (e *keyEntry) usable(now int64) bool {
	return (e.expiresAt == 0 || now < e.expiresAt) && (e.validUntil == 0 || now < e.validUntil)
}

// decodeRouteKey undoes schema.RouteKey.
func decodeRouteKey(key string) (host, prefix string, ok bool) {
	raw, err := routeKeyEncoding.DecodeString(key)
	if err != nil {
		return "", "", false
	}
	host, prefix, ok = strings.Cut(string(raw), "|")
	return host, prefix, ok
}

// routeKeyEncoding is the encoding of schema.RouteKey.
var routeKeyEncoding = base64.RawURLEncoding
