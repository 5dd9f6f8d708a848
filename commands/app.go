package commands

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/egress"
)

// app is the state of one app, rebuilt from its events.
type app struct {
	id, customerID string
	exists         bool
	deleted        bool
	config         schema.AppConfig
	revision       uint64
}

func (a *app) apply(e schema.Event) error {
	a.revision = e.Revision
	switch e.Type {
	case schema.EventAppCreated, schema.EventAppUpdated:
		var p schema.AppCreated
		if err := e.Decode(&p); err != nil {
			return err
		}
		a.exists, a.config = true, p.AppConfig
	case schema.EventAppDeleted:
		a.deleted = true
	}
	return nil
}

// loadApp returns an app's state at its latest revision. It returns a
// not-found *Error if the app does not exist or was deleted.
func (s *Service) loadApp(ctx context.Context, customerID, appID string) (*app, error) {
	if _, err := schema.ParseID(appID); err != nil {
		return nil, schema.Errorf(schema.CodeNotFound, "app not found")
	}
	events, _, err := s.log.Load(ctx, customerID, schema.AggregateApp, appID)
	if err != nil {
		return nil, err
	}
	a := &app{id: appID, customerID: customerID}
	for _, e := range events {
		if err := a.apply(e); err != nil {
			return nil, err
		}
	}
	if !a.exists || a.deleted {
		return nil, schema.Errorf(schema.CodeNotFound, "app not found")
	}
	return a, nil
}

// routes returns the route claims of a config: each hostname with each
// path prefix, as "<host>|<prefix>".
func routes(c schema.AppConfig) []string {
	prefixes := c.PathPrefixes
	if len(prefixes) == 0 {
		prefixes = []string{"/"}
	}
	var out []string
	for _, h := range c.Hostnames {
		for _, p := range prefixes {
			out = append(out, h+"|"+p)
		}
	}
	return out
}

// AppInput is an app's configuration as a client sends it. HS256Secret is
// the plaintext secret, sealed before it is stored; empty keeps the secret
// the app has.
type AppInput struct {
	schema.AppConfig
	HS256Secret string
}

var (
	slugPattern  = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
	labelPattern = regexp.MustCompile(`^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$`)
	claimPattern = regexp.MustCompile(`^[A-Za-z0-9_.:/-]{1,64}$`)
)

// allowedAlgorithms are the JWT algorithms an app may accept.
var allowedAlgorithms = []string{"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}

// normalize validates an app's configuration and returns it in canonical
// form (lowercase hostnames, clean prefixes, defaults filled in); guard
// checks the URLs the gateway is to fetch. It returns an invalid *Error
// naming every problem.
func (in AppInput) normalize(guard *egress.Guard) (schema.AppConfig, error) {
	c := in.AppConfig
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }

	c.Name = strings.TrimSpace(c.Name)
	if c.Name == "" || len(c.Name) > 120 {
		bad("name must be 1 to 120 characters")
	}
	if !slugPattern.MatchString(c.Slug) {
		bad("slug %q must be 1 to 63 lowercase letters, digits and dashes, not starting or ending with a dash", c.Slug)
	}
	if len(c.Hostnames) == 0 || len(c.Hostnames) > 20 {
		bad("give 1 to 20 hostnames")
	}
	for i, h := range c.Hostnames {
		h = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(h), "."))
		c.Hostnames[i] = h
		if !validHostname(h) {
			bad("hostname %q is not a valid DNS name", h)
		}
	}
	if len(c.PathPrefixes) == 0 {
		c.PathPrefixes = []string{"/"}
	}
	if len(c.PathPrefixes) > 20 {
		bad("give at most 20 path prefixes")
	}
	for i, p := range c.PathPrefixes {
		clean := path.Clean(p)
		if p == "" || p[0] != '/' || strings.ContainsAny(p, "?#%\\ \t") || (clean != p && clean+"/" != p) {
			bad("path prefix %q must start with / and be a clean path (no //, ., .., %%, ?, #)", p)
		}
		c.PathPrefixes[i] = clean
	}
	if hasDup(c.Hostnames) || hasDup(c.PathPrefixes) {
		bad("hostnames and path prefixes must not repeat")
	}
	if len(c.Upstreams) == 0 || len(c.Upstreams) > 16 {
		bad("give 1 to 16 upstreams")
	}
	for i, u := range c.Upstreams {
		if !httpURL(u.URL) {
			bad("upstream %q must be an http or https URL with a host", u.URL)
		}
		if u.Weight == 0 {
			c.Upstreams[i].Weight = 1
		} else if u.Weight < 0 || u.Weight > 1000 {
			bad("upstream weight must be 1 to 1000")
		}
	}
	t := &c.Timeouts
	for _, f := range []struct {
		v       *int
		name    string
		def, mx int
	}{{&t.ConnectMS, "connect_ms", 5_000, 60_000}, {&t.ReadMS, "read_ms", 30_000, 600_000}, {&t.WriteMS, "write_ms", 30_000, 600_000}} {
		if *f.v == 0 {
			*f.v = f.def
		} else if *f.v < 1 || *f.v > f.mx {
			bad("timeouts.%s must be 1 to %d", f.name, f.mx)
		}
	}
	if c.Status == "" {
		c.Status = schema.AppActive
	} else if c.Status != schema.AppActive && c.Status != schema.AppSuspended {
		bad("status must be active or suspended")
	}
	if c.AuthMode == "" {
		c.AuthMode = schema.AuthAPIKey
	}
	switch c.AuthMode {
	case schema.AuthAPIKey:
		if c.JWT != nil || in.HS256Secret != "" {
			bad("jwt settings need auth_mode jwt or both")
		}
	case schema.AuthJWT, schema.AuthBoth:
		if c.JWT == nil {
			bad("auth_mode %s needs jwt settings", c.AuthMode)
		} else {
			problems = append(problems, checkJWT(c.JWT, in.HS256Secret, guard)...)
		}
	default:
		bad("auth_mode must be api_key, jwt or both")
	}
	if c.AuthorizeURL != "" && !httpURL(c.AuthorizeURL) {
		bad("authorize_url must be an http or https URL")
	}
	if problems != nil {
		return c, schema.Errorf(schema.CodeInvalid, "%s", strings.Join(problems, "; "))
	}
	return c, nil
}

func checkJWT(j *schema.JWTConfig, secret string, guard *egress.Guard) []string {
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if len(j.Algorithms) == 0 {
		bad("jwt.algorithms must name at least one algorithm")
	}
	hmac, public := false, false
	for _, a := range j.Algorithms {
		if !slices.Contains(allowedAlgorithms, a) {
			bad("jwt algorithm %q is not allowed (allowed: %s)", a, strings.Join(allowedAlgorithms, ", "))
		}
		if strings.HasPrefix(a, "HS") {
			hmac = true
		} else {
			public = true
		}
	}
	if hmac && secret == "" && j.HS256SecretSealed == "" {
		bad("an HS algorithm needs jwt hs256_secret")
	}
	if secret != "" && len(secret) < 32 {
		bad("jwt hs256_secret must be at least 32 characters")
	}
	if public && len(j.PublicKeysPEM) == 0 && j.JWKSURL == "" {
		bad("RS, PS, ES and EdDSA algorithms need jwt public_keys_pem or jwks_url")
	}
	for _, k := range j.PublicKeysPEM {
		if !strings.Contains(k, "-----BEGIN PUBLIC KEY-----") {
			bad("jwt public keys must be PEM (-----BEGIN PUBLIC KEY-----)")
			break
		}
	}
	if j.JWKSURL != "" {
		// The gateway fetches it from inside the operator's network: an
		// internal address here would let a customer probe that network.
		// The gateway's dialer checks the address it resolves to as well.
		if err := guard.CheckURL(j.JWKSURL); errors.Is(err, egress.ErrRefused) {
			bad("jwt.jwks_url must not point at an internal address: %v", err)
		} else if err != nil {
			bad("jwt.jwks_url: %v", err)
		}
	}
	if j.TenantClaim == "" {
		j.TenantClaim = "tenant_id"
	}
	if j.UserClaim == "" {
		j.UserClaim = "sub"
	}
	if j.RolesClaim == "" {
		j.RolesClaim = "roles"
	}
	for _, c := range []string{j.TenantClaim, j.UserClaim, j.RolesClaim} {
		if !claimPattern.MatchString(c) {
			bad("jwt claim name %q is not valid", c)
		}
	}
	return problems
}

func validHostname(h string) bool {
	if len(h) == 0 || len(h) > 253 || net.ParseIP(h) != nil {
		return false
	}
	labels := strings.Split(h, ".")
	if len(labels) < 2 {
		return h == "localhost"
	}
	for i, l := range labels {
		if i == 0 && l == "*" {
			continue // a wildcard for every subdomain
		}
		if !labelPattern.MatchString(l) {
			return false
		}
	}
	return true
}

func httpURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && u.User == nil
}

func hasDup(s []string) bool {
	seen := make(map[string]bool, len(s))
	for _, v := range s {
		if seen[v] {
			return true
		}
		seen[v] = true
	}
	return false
}
