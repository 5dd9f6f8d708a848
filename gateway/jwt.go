package gateway

import (
	"cmp"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/egress"
)

// JWT limits and defaults.
const (
	// MaxJWTSize is the largest token Verify reads; longer ones are refused
	// before any parsing.
	MaxJWTSize = 8 << 10
	// JWTLeeway is the clock skew allowed on exp, nbf and iat.
	JWTLeeway = 30 * time.Second
	// JWTSecretAAD is the additional data the HMAC secret of an app's
	// JWTConfig is sealed with.
	JWTSecretAAD = "app-jwt"

	// DefaultTenantClaim, DefaultUserClaim and DefaultRolesClaim are the
	// claims read when an app's JWTConfig names none.
	DefaultTenantClaim = "tenant_id"
	DefaultUserClaim   = "sub"
	DefaultRolesClaim  = "roles"

	// DefaultJWKSMinRefresh is how often, at most, a JWKS URL is fetched
	// again because a token named a kid it did not have.
	DefaultJWKSMinRefresh = 30 * time.Second
	// JWKSTTL is how long a fetched key set is used before it is fetched
	// again.
	JWKSTTL = 10 * time.Minute
	// MaxJWKSSize is the largest JWKS document read.
	MaxJWKSSize = 1 << 20
	// JWKSTimeout bounds one JWKS fetch.
	JWKSTimeout = 5 * time.Second

	// minRSABits is the smallest RSA modulus accepted, from PEM or JWKS.
	minRSABits = 2048
)

// jwtAlgorithms are the algorithms an app may allow. "none" is not one.
var jwtAlgorithms = []string{
	"HS256", "HS384", "HS512",
	"RS256", "RS384", "RS512",
	"PS256", "PS384", "PS512",
	"ES256", "ES384", "ES512",
	"EdDSA",
}

// Claims is what the gateway takes from a verified token.
type Claims struct {
	// Subject is the token's sub claim.
	Subject string
	// Tenant is the value of the app's tenant claim (tenant_id unless
	// configured), or "" if the token has none.
	Tenant string
	// User is the value of the app's user claim (sub unless configured),
	// or "" if the token has none.
	User string
	// Roles is the app's roles claim (roles unless configured): a string
	// gives one role, an array of strings several.
	Roles []string
}

// JWTVerifier checks the JWTs of one app against its JWTConfig. It is safe
// for concurrent use.
type JWTVerifier struct {
	methods []string
	opts    []jwt.ParserOption // every option but the time function

	secret []byte // HMAC secret; nil if none is configured
	rsa    []*rsa.PublicKey
	ec     []*ecdsa.PublicKey
	ed     []ed25519.PublicKey

	jwksURL string
	jwks    *JWKSCache

	tenantClaim, userClaim, rolesClaim string

	// cache keeps the tokens this verifier accepted; nil: none are kept.
	cache *TokenCache
	// fetches counts the successful fetches of the JWKS URL; nil without
	// one.
	fetches *atomic.Uint64
}

// NewJWTVerifier returns a verifier for cfg. It opens cfg.HS256SecretSealed
// with masterKey and parses cfg.PublicKeysPEM ("PUBLIC KEY" blocks of
// RSA keys of at least 2048 bits, ECDSA P-256/P-384/P-521 or Ed25519
// keys). fetch serves the keys of cfg.JWKSURL; it may be nil only if
// cfg.JWKSURL is empty. It returns a CodeInvalid error if cfg allows no
// algorithm or one it does not know, allows an HMAC algorithm without a
// secret or a public-key one without keys, or has a key or JWKS URL it
// cannot use, and a CodeInternal error if the secret cannot be opened.
func NewJWTVerifier(cfg schema.JWTConfig, masterKey []byte, fetch *JWKSCache) (*JWTVerifier, error) {
	v := &JWTVerifier{
		methods:     slices.Clone(cfg.Algorithms),
		jwksURL:     cfg.JWKSURL,
		jwks:        fetch,
		tenantClaim: cmp.Or(cfg.TenantClaim, DefaultTenantClaim),
		userClaim:   cmp.Or(cfg.UserClaim, DefaultUserClaim),
		rolesClaim:  cmp.Or(cfg.RolesClaim, DefaultRolesClaim),
	}
	var errs []error
	if len(v.methods) == 0 {
		errs = append(errs, errors.New("no algorithm is allowed"))
	}
	hmac, public := false, false
	for _, alg := range v.methods {
		switch {
		case !slices.Contains(jwtAlgorithms, alg):
			errs = append(errs, fmt.Errorf("algorithm %q is not supported", alg))
		case strings.HasPrefix(alg, "HS"):
			hmac = true
		default:
			public = true
		}
	}
	if cfg.HS256SecretSealed != "" {
		secret, err := schema.Open(masterKey, cfg.HS256SecretSealed, JWTSecretAAD)
		if err != nil {
			return nil, schema.Wrap(schema.CodeInternal, err, "the app's JWT secret could not be opened")
		}
		if len(secret) == 0 {
			errs = append(errs, errors.New("the HMAC secret is empty"))
		}
		v.secret = secret
	}
	if hmac && len(v.secret) == 0 {
		errs = append(errs, errors.New("an HMAC algorithm is allowed but no secret is set"))
	}
	for i, p := range cfg.PublicKeysPEM {
		if err := v.addPEM(p); err != nil {
			errs = append(errs, fmt.Errorf("public key %d: %w", i+1, err))
		}
	}
	if v.jwksURL != "" {
		if u, err := url.Parse(v.jwksURL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			errs = append(errs, errors.New("the JWKS URL must be an http or https URL"))
		}
		if v.jwks == nil {
			errs = append(errs, errors.New("a JWKS URL is set but no JWKS cache was given"))
		}
	}
	if v.jwksURL != "" && v.jwks != nil {
		v.fetches = v.jwks.fetchCounter(v.jwksURL)
	}
	if public && len(v.rsa)+len(v.ec)+len(v.ed) == 0 && v.jwksURL == "" {
		errs = append(errs, errors.New("a public-key algorithm is allowed but no public key or JWKS URL is set"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, schema.Wrap(schema.CodeInvalid, err, "the app's JWT configuration is unusable: "+strings.ReplaceAll(err.Error(), "\n", "; "))
	}

	v.opts = []jwt.ParserOption{
		jwt.WithValidMethods(v.methods),
		jwt.WithExpirationRequired(),
		jwt.WithLeeway(JWTLeeway),
		jwt.WithIssuedAt(),
		jwt.WithStrictDecoding(),
	}
	if cfg.Issuer != "" {
		v.opts = append(v.opts, jwt.WithIssuer(cfg.Issuer))
	}
	if len(cfg.Audiences) > 0 {
		// WithAudience accepts a token naming any one of them.
		v.opts = append(v.opts, jwt.WithAudience(slices.Clone(cfg.Audiences)...))
	}
	return v, nil
}

// UseCache makes v keep the tokens it accepts in c, which verifiers may
// share. It is called before v is used.
func (v *JWTVerifier) UseCache(c *TokenCache) { v.cache = c }

// addPEM adds the public keys in the PEM text p.
func (v *JWTVerifier) addPEM(p string) error {
	rest, n := []byte(p), 0
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		n++
		if block.Type != "PUBLIC KEY" {
			return fmt.Errorf("PEM block %q is not a PUBLIC KEY", block.Type)
		}
		key, err := x509.ParsePKIXPublicKey(block.Bytes)
		if err != nil {
			return err
		}
		switch k := key.(type) {
		case *rsa.PublicKey:
			if k.N.BitLen() < minRSABits {
				return fmt.Errorf("RSA key has %d bits, fewer than %d", k.N.BitLen(), minRSABits)
			}
			v.rsa = append(v.rsa, k)
		case *ecdsa.PublicKey:
			if bits := k.Curve.Params().BitSize; bits != 256 && bits != 384 && bits != 521 {
				return fmt.Errorf("ECDSA curve of %d bits is not supported", bits)
			}
			v.ec = append(v.ec, k)
		case ed25519.PublicKey:
			v.ed = append(v.ed, k)
		default:
			return fmt.Errorf("%T keys are not supported", key)
		}
	}
	if n == 0 {
		return errors.New("no PEM block found")
	}
	return nil
}

// Verify checks token at time now and returns its claims. Tokens over
// MaxJWTSize are refused before parsing. The token's alg must be one the
// app allows (compared exactly, so "none" in any case never passes); exp
// is required; exp, nbf and iat are checked with JWTLeeway; iss and aud
// are checked when the app sets them (aud: any one of the app's
// audiences). jku and x5u headers are ignored. It returns a
// CodeUnauthorized error if the token is not valid, and the JWKS cache's
// CodeUnavailable error if the key it names cannot be fetched.
//
// With a token cache, a token accepted before is checked against its time
// limits only (TokenCache). The claims returned may then be shared with
// other requests: Roles must not be changed.
func (v *JWTVerifier) Verify(token []byte, now time.Time) (Claims, error) {
	if len(token) > MaxJWTSize {
		return Claims{}, errTokenTooLarge
	}
	var sum [32]byte
	var gen uint64
	if v.cache != nil {
		sum = sha256.Sum256(token)
		gen = v.jwksGeneration()
		if c, ok := v.cache.get(v, sum, now, gen); ok {
			return c, nil
		}
	}
	c, mc, err := v.verify(token, now)
	if err != nil {
		return Claims{}, err
	}
	if v.cache != nil {
		v.cache.put(v, sum, &cachedToken{claims: c, notBefore: validFrom(mc), notAfter: validUntil(mc), jwksGen: gen})
	}
	return c, nil
}

// jwksGeneration is the number of fetches of the verifier's JWKS URL, if
// it has one: a token verified before the last fetch is verified again,
// against the keys now published.
func (v *JWTVerifier) jwksGeneration() uint64 {
	if v.fetches == nil {
		return 0
	}
	return v.fetches.Load()
}

// validFrom is the earliest time at which a verified token with claims mc
// passes the nbf and iat checks (leeway included); zero if it has neither.
func validFrom(mc jwt.MapClaims) time.Time {
	var from time.Time
	for _, get := range []func() (*jwt.NumericDate, error){mc.GetNotBefore, mc.GetIssuedAt} {
		if t, err := get(); err == nil && t != nil && t.Add(-JWTLeeway).After(from) {
			from = t.Add(-JWTLeeway)
		}
	}
	return from
}

// validUntil is when a verified token with claims mc fails the exp check
// (leeway included). exp is required, so a verified token has one.
func validUntil(mc jwt.MapClaims) time.Time {
	t, err := mc.GetExpirationTime()
	if err != nil || t == nil {
		return time.Time{} // never valid: not cached in effect
	}
	return t.Add(JWTLeeway)
}

// verify does Verify's work without the cache, and returns the token's
// claims as decoded too.
func (v *JWTVerifier) verify(token []byte, now time.Time) (Claims, jwt.MapClaims, error) {
	opts := append(v.opts[:len(v.opts):len(v.opts)], jwt.WithTimeFunc(func() time.Time { return now }))
	mc := jwt.MapClaims{}
	// Nothing Parse returns keeps the token's bytes (decoding copies), so
	// viewing them as a string is safe.
	if _, err := jwt.NewParser(opts...).ParseWithClaims(b2s(token), mc, v.key); err != nil {
		return Claims{}, nil, jwtError(err)
	}
	var c Claims
	var err error
	if c.Subject, err = stringClaim(mc, "sub"); err != nil {
		return Claims{}, nil, err
	}
	if c.Tenant, err = stringClaim(mc, v.tenantClaim); err != nil {
		return Claims{}, nil, err
	}
	if c.User, err = stringClaim(mc, v.userClaim); err != nil {
		return Claims{}, nil, err
	}
	if c.Roles, err = rolesClaim(mc, v.rolesClaim); err != nil {
		return Claims{}, nil, err
	}
	return c, mc, nil
}

// errTokenTooLarge refuses a token over MaxJWTSize without allocating.
var errTokenTooLarge = schema.Errorf(schema.CodeUnauthorized, "the token is too large")

// jwtError turns a parse error into the error Verify returns.
func jwtError(err error) error {
	var se *schema.Error
	if errors.As(err, &se) && se.Code != schema.CodeUnauthorized {
		return se
	}
	switch {
	case errors.Is(err, jwt.ErrTokenExpired):
		return schema.Wrap(schema.CodeUnauthorized, err, "the token has expired")
	case errors.Is(err, jwt.ErrTokenNotValidYet), errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return schema.Wrap(schema.CodeUnauthorized, err, "the token is not valid yet")
	default:
		return schema.Wrap(schema.CodeUnauthorized, err, "the token is not valid")
	}
}

// key is the jwt.Keyfunc: it returns the keys that may have signed t, of
// the type t's algorithm needs, so that no public key is ever used as an
// HMAC secret. The parser has already checked t's alg against the
// allow-list.
func (v *JWTVerifier) key(t *jwt.Token) (any, error) {
	if _, ok := t.Header["crit"]; ok {
		return nil, errors.New("crit header parameters are not supported")
	}
	if _, ok := t.Method.(*jwt.SigningMethodHMAC); ok {
		if len(v.secret) == 0 {
			return nil, errors.New("no HMAC secret is configured")
		}
		return v.secret, nil
	}
	fits, err := keyFits(t.Method)
	if err != nil {
		return nil, err
	}
	if kid, _ := t.Header["kid"].(string); kid != "" && v.jwksURL != "" {
		keys, err := v.jwks.keys(context.Background(), v.jwksURL, kid)
		if err == nil {
			set := jwt.VerificationKeySet{}
			for _, k := range keys {
				if (k.alg == "" || k.alg == t.Method.Alg()) && fits(k.key) {
					set.Keys = append(set.Keys, k.key)
				}
			}
			if len(set.Keys) > 0 {
				return set, nil
			}
		} else if !errors.Is(err, errNoKID) {
			return nil, err
		}
		// Not in the JWKS: the app's configured keys may still hold it.
	}
	set := jwt.VerificationKeySet{}
	for _, k := range v.rsa {
		if fits(k) {
			set.Keys = append(set.Keys, k)
		}
	}
	for _, k := range v.ec {
		if fits(k) {
			set.Keys = append(set.Keys, k)
		}
	}
	for _, k := range v.ed {
		if fits(k) {
			set.Keys = append(set.Keys, k)
		}
	}
	if len(set.Keys) == 0 {
		return nil, schema.Errorf(schema.CodeUnauthorized, "no key of the app verifies this token")
	}
	return set, nil
}

// keyFits returns a test of whether a key has the type (and, for ECDSA,
// the curve) that method verifies with.
func keyFits(method jwt.SigningMethod) (func(any) bool, error) {
	switch m := method.(type) {
	case *jwt.SigningMethodRSA, *jwt.SigningMethodRSAPSS:
		return func(k any) bool { _, ok := k.(*rsa.PublicKey); return ok }, nil
	case *jwt.SigningMethodECDSA:
		return func(k any) bool {
			ek, ok := k.(*ecdsa.PublicKey)
			return ok && ek.Curve.Params().BitSize == m.CurveBits
		}, nil
	case *jwt.SigningMethodEd25519:
		return func(k any) bool { _, ok := k.(ed25519.PublicKey); return ok }, nil
	default:
		return nil, fmt.Errorf("algorithm %q is not supported", method.Alg())
	}
}

// stringClaim returns claim name of mc, or "" if there is none. It returns
// a CodeUnauthorized error if the claim is not a string.
func stringClaim(mc jwt.MapClaims, name string) (string, error) {
	raw, ok := mc[name]
	if !ok || raw == nil {
		return "", nil
	}
	s, ok := raw.(string)
	if !ok {
		return "", schema.Errorf(schema.CodeUnauthorized, "the token's %s claim is not a string", name)
	}
	return s, nil
}

// rolesClaim returns claim name of mc as a list: a string is one role. It
// returns a CodeUnauthorized error if the claim is neither a string nor
// an array of strings.
func rolesClaim(mc jwt.MapClaims, name string) ([]string, error) {
	switch r := mc[name].(type) {
	case nil:
		return nil, nil
	case string:
		return []string{r}, nil
	case []any:
		roles := make([]string, 0, len(r))
		for _, x := range r {
			s, ok := x.(string)
			if !ok {
				return nil, schema.Errorf(schema.CodeUnauthorized, "the token's %s claim is not a list of strings", name)
			}
			roles = append(roles, s)
		}
		return roles, nil
	default:
		return nil, schema.Errorf(schema.CodeUnauthorized, "the token's %s claim is not a list of strings", name)
	}
}

// errNoKID is the cause when a key set has no key with the kid asked for.
var errNoKID = errors.New("no key with this kid")

// JWKSCache fetches JSON Web Key Sets (RFC 7517) and keeps their keys by
// URL and kid for JWKSTTL. A kid it does not have makes it fetch the set
// again, at most once per minimum refresh interval per URL, and
// concurrent lookups share that one fetch. It is safe for concurrent use.
type JWKSCache struct {
	client     *http.Client
	minRefresh time.Duration
	logger     *slog.Logger // nil: no log

	mu   sync.Mutex
	sets map[string]*jwksSet

	// fetches counts the successful fetches of each URL, guarded by mu.
	// A counter is never dropped (Forget keeps them), so a verifier may
	// read the one of its URL without the lock.
	fetches map[string]*atomic.Uint64
}

// jwksSet is the cached state of one JWKS URL.
type jwksSet struct {
	keys      map[string][]jwk // by kid
	fetchedAt time.Time        // last successful fetch; zero if none yet
	triedAt   time.Time        // last fetch started
	lastErr   error            // cause of the last failed fetch
	inflight  *jwksFetch
}

// jwksFetch is a fetch in progress; done is closed when it ends.
type jwksFetch struct{ done chan struct{} }

// jwk is one usable key of a set.
type jwk struct {
	key any    // *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey
	alg string // the key's alg member, or ""
}

// JWKSOption configures a JWKSCache.
type JWKSOption func(*JWKSCache)

// WithJWKSLogger makes the cache log to l when fetching a URL fails for
// another reason than its last failed fetch (so a key server that stays
// down is logged once, not at every retry), and when a URL that failed is
// fetched again. The log names the URL without its query.
func WithJWKSLogger(l *slog.Logger) JWKSOption {
	return func(c *JWKSCache) { c.logger = l }
}

// NewJWKSCache returns an empty cache fetching with client, or if client
// is nil with NewJWKSClient and a guard that allows no internal network. A
// minRefresh of zero or less means DefaultJWKSMinRefresh.
func NewJWKSCache(client *http.Client, minRefresh time.Duration, opts ...JWKSOption) *JWKSCache {
	if client == nil {
		client = NewJWKSClient(egress.New())
	}
	if minRefresh <= 0 {
		minRefresh = DefaultJWKSMinRefresh
	}
	c := &JWKSCache{client: client, minRefresh: minRefresh, sets: map[string]*jwksSet{},
		fetches: map[string]*atomic.Uint64{}}
	for _, o := range opts {
		o(c)
	}
	return c
}

// Key returns the public key with kid in the set at url: an
// *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey. It fetches the
// set if it has none younger than JWKSTTL, or if kid is not in it and the
// last fetch is older than the minimum refresh interval. It returns a
// CodeUnauthorized error if the set has no such key, a CodeUnavailable
// error if the set cannot be fetched, or ctx's error if ctx ends while it
// waits for a fetch.
func (c *JWKSCache) Key(ctx context.Context, url, kid string) (any, error) {
	keys, err := c.keys(ctx, url, kid)
	if err != nil {
		return nil, err
	}
	return keys[0].key, nil
}

// keys returns the usable keys with kid in the set at url (several only
// if the set repeats a kid); see Key. Its CodeUnauthorized error wraps
// errNoKID.
func (c *JWKSCache) keys(ctx context.Context, url, kid string) ([]jwk, error) {
	c.mu.Lock()
	s := c.sets[url]
	if s == nil {
		s = &jwksSet{}
		c.sets[url] = s
	}
	now := time.Now()
	if keys, ok := s.keys[kid]; ok && !s.fetchedAt.IsZero() && now.Sub(s.fetchedAt) < JWKSTTL {
		c.mu.Unlock()
		return keys, nil
	}
	if f := s.inflight; f != nil {
		// Someone is fetching already: wait for that fetch and look again,
		// without fetching a second time.
		c.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		c.mu.Lock()
		return c.lookupLocked(s, kid)
	}
	if !s.triedAt.IsZero() && now.Sub(s.triedAt) < c.minRefresh {
		// Fetched, or tried, too recently to fetch again.
		return c.lookupLocked(s, kid)
	}
	// Fetch in the background, so that a caller whose ctx ends does not
	// cut the fetch short for the others waiting on it.
	f := &jwksFetch{done: make(chan struct{})}
	s.inflight, s.triedAt = f, now
	c.mu.Unlock()
	go c.refresh(url, s, f)
	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	c.mu.Lock()
	return c.lookupLocked(s, kid)
}

// fetchCounter returns the count of successful fetches of url.
func (c *JWKSCache) fetchCounter(url string) *atomic.Uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.fetchCounterLocked(url)
}

func (c *JWKSCache) fetchCounterLocked(url string) *atomic.Uint64 {
	n, ok := c.fetches[url]
	if !ok {
		n = new(atomic.Uint64)
		c.fetches[url] = n
	}
	return n
}

// refresh fetches the set at url into s, then ends f.
func (c *JWKSCache) refresh(url string, s *jwksSet, f *jwksFetch) {
	keys, err := c.fetch(url)
	c.mu.Lock()
	prev := s.lastErr
	if err == nil {
		s.keys, s.fetchedAt, s.lastErr = keys, time.Now(), nil
		c.fetchCounterLocked(url).Add(1)
	} else {
		// Keep the keys we had: an unreachable key server should not lock
		// out every token until it is back.
		s.lastErr = err
	}
	s.inflight = nil
	c.mu.Unlock()
	// Log before the waiters go on, outside the lock.
	if c.logger != nil {
		switch {
		case err != nil && (prev == nil || prev.Error() != err.Error()):
			c.logger.Warn("JWKS fetch failed", "url", logURL(url), "err", err)
		case err == nil && prev != nil:
			c.logger.Info("JWKS fetched again", "url", logURL(url))
		}
	}
	close(f.done)
}

// logURL returns the scheme, host and path of a JWKS URL, for the log:
// not its user information, query or fragment, which may hold secrets.
func logURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}

// lookupLocked returns the keys with kid in s, and unlocks c.mu.
func (c *JWKSCache) lookupLocked(s *jwksSet, kid string) ([]jwk, error) {
	defer c.mu.Unlock()
	if keys, ok := s.keys[kid]; ok {
		return keys, nil
	}
	if s.fetchedAt.IsZero() && s.lastErr != nil {
		return nil, schema.Wrap(schema.CodeUnavailable, s.lastErr, "the app's JWKS could not be fetched")
	}
	return nil, schema.Wrap(schema.CodeUnauthorized, errNoKID, "the token's key (kid) is unknown")
}

// fetch gets and parses the set at url, within JWKSTimeout.
func (c *JWKSCache) fetch(url string) (map[string][]jwk, error) {
	ctx, cancel := context.WithTimeout(context.Background(), JWKSTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("jwks request: %w", err)
	}
	req.Header.Set("Accept", "application/jwk-set+json, application/json")
	resp, err := c.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch jwks: %w", withoutURL(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch jwks: status %d", resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxJWKSSize+1))
	if err != nil {
		return nil, fmt.Errorf("read jwks: %w", err)
	}
	if len(body) > MaxJWKSSize {
		return nil, fmt.Errorf("jwks is larger than %d bytes", MaxJWKSSize)
	}
	return parseJWKS(body)
}

// withoutURL returns the cause of a *url.Error, which repeats the whole
// URL, query included; the log names the URL itself (logURL).
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// rawJWK holds the members of a JWK that the gateway reads.
type rawJWK struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Use string `json:"use"`
	Alg string `json:"alg"`
	N   string `json:"n"`
	E   string `json:"e"`
	Crv string `json:"crv"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// parseJWKS returns the signing keys of a JWK Set by kid. Keys without a
// kid, for encryption, of a type or curve it does not know or malformed
// are skipped (RFC 7517 section 5).
func parseJWKS(body []byte) (map[string][]jwk, error) {
	var doc struct {
		Keys []rawJWK `json:"keys"`
	}
	if err := json.Unmarshal(body, &doc); err != nil {
		return nil, fmt.Errorf("parse jwks: %w", err)
	}
	if doc.Keys == nil {
		return nil, errors.New("parse jwks: no keys member")
	}
	keys := map[string][]jwk{}
	for _, r := range doc.Keys {
		if r.Kid == "" || (r.Use != "" && r.Use != "sig") {
			continue
		}
		k, err := r.publicKey()
		if err != nil {
			continue
		}
		keys[r.Kid] = append(keys[r.Kid], jwk{key: k, alg: r.Alg})
	}
	return keys, nil
}

// publicKey returns the public key r describes.
func (r rawJWK) publicKey() (any, error) {
	dec := base64.RawURLEncoding.Strict()
	switch r.Kty {
	case "RSA":
		n, err := dec.DecodeString(r.N)
		if err != nil {
			return nil, err
		}
		e, err := dec.DecodeString(r.E)
		if err != nil {
			return nil, err
		}
		if len(e) == 0 || len(e) > 4 {
			return nil, errors.New("bad RSA exponent")
		}
		exp := 0
		for _, b := range e {
			exp = exp<<8 | int(b)
		}
		k := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: exp}
		if k.N.BitLen() < minRSABits || exp < 3 || exp%2 == 0 {
			return nil, errors.New("weak or malformed RSA key")
		}
		return k, nil
	case "EC":
		var curve elliptic.Curve
		switch r.Crv {
		case "P-256":
			curve = elliptic.P256()
		case "P-384":
			curve = elliptic.P384()
		case "P-521":
			curve = elliptic.P521()
		default:
			return nil, errors.New("unsupported curve")
		}
		size := (curve.Params().BitSize + 7) / 8
		x, err := dec.DecodeString(r.X)
		if err != nil {
			return nil, err
		}
		y, err := dec.DecodeString(r.Y)
		if err != nil {
			return nil, err
		}
		if len(x) != size || len(y) != size {
			return nil, errors.New("bad EC coordinate length")
		}
		point := append(append([]byte{4}, x...), y...)
		return ecdsa.ParseUncompressedPublicKey(curve, point)
	case "OKP":
		if r.Crv != "Ed25519" {
			return nil, errors.New("unsupported curve")
		}
		x, err := dec.DecodeString(r.X)
		if err != nil {
			return nil, err
		}
		if len(x) != ed25519.PublicKeySize {
			return nil, errors.New("bad Ed25519 key length")
		}
		return ed25519.PublicKey(x), nil
	default:
		return nil, errors.New("unsupported key type")
	}
}
