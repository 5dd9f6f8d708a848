// Package config is the configuration of the aegis binary: its fields,
// their defaults, how they are read from the environment, and their
// validation.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Roles a server can run. RoleAll stands for every one of them.
const (
	RoleAll       = "all"
	RoleAdmin     = "admin"
	RoleProjector = "projector"
	RoleGateway   = "gateway"
)

// Roles lists the roles this build can run, in start order.
var Roles = []string{RoleProjector, RoleGateway, RoleAdmin}

// DefaultDatabaseURL is the local PostgreSQL that deploy/local/postgres.sh runs.
const DefaultDatabaseURL = "postgresql://aegis_user:aegis_password@localhost:5434/aegis"

// Config is everything the aegis binary is told. The zero value is not
// useful: start from Default or FromEnv.
type Config struct {
	// DataDir holds local state: the embedded NATS store. AEGIS_DATA_DIR,
	// default ".data".
	DataDir string
	// DatabaseURL is the PostgreSQL of the read models. DATABASE_URL.
	DatabaseURL string
	// NATSURL is the NATS server or cluster to use (comma-separated URLs).
	// Empty starts an embedded server. NATS_URL.
	NATSURL string
	// NATSAddr is where the embedded NATS server listens, and where CLI
	// commands look for it when NATSURL is empty. AEGIS_NATS_ADDR, default
	// "127.0.0.1:4222"; port 0 picks a free one.
	NATSAddr string
	// AdminAddr is where the admin API and dashboard listen.
	// AEGIS_ADMIN_ADDR, default "127.0.0.1:3001".
	AdminAddr string
	// GatewayAddr is where the gateway answers API traffic.
	// AEGIS_GATEWAY_ADDR, default ":8000".
	GatewayAddr string
	// TrustedProxies are the networks (CIDRs) whose X-Forwarded-* headers
	// the gateway keeps. AEGIS_TRUSTED_PROXIES, comma-separated; default
	// none.
	TrustedProxies []string
	// EgressAllow are the internal networks (CIDRs or addresses) that apps'
	// JWKS URLs may point into; every other loopback, private, link-local
	// or special-purpose address is refused, by the admin API when an app
	// is saved and by the gateway when it connects. AEGIS_EGRESS_ALLOW,
	// comma-separated; default none.
	EgressAllow []string
	// NodeID names this gateway node in heartbeats and request ids.
	// AEGIS_NODE_ID, default the host name.
	NodeID string
	// AccessLogSample is the share of gateway requests written to the
	// access log, from 0 (none) to 1 (all). AEGIS_ACCESS_LOG_SAMPLE,
	// default 0: the metrics count every request anyway.
	AccessLogSample float64
	// WebDir holds the dashboard's built files, which the admin API
	// serves at /. AEGIS_WEB_DIR, default web/dist (make web builds it).
	WebDir string
	// MaxRequestBody bounds the request bodies the gateway forwards, in
	// bytes. AEGIS_GATEWAY_MAX_REQUEST_BODY, a number of bytes or with a
	// KiB, MiB or GiB suffix; default 10 MiB.
	MaxRequestBody int64
	// MaxResponseBody bounds the upstream answers the gateway passes on,
	// in bytes; 0 means no bound. AEGIS_GATEWAY_MAX_RESPONSE_BODY, as
	// above; default 0.
	MaxResponseBody int64
	// Replicas is the number of replicas of the stream and buckets: 1 on
	// one node, 3 on a NATS cluster. AEGIS_REPLICAS, default 1.
	Replicas int
	// Roles are the parts `aegis server` runs. AEGIS_ROLES, default "all".
	Roles []string
	// ReadyMaxLag is how many events a projection may be behind before
	// /ready fails. AEGIS_READY_MAX_LAG, default 10000.
	ReadyMaxLag uint64
	// ShutdownTimeout bounds a graceful shutdown. AEGIS_SHUTDOWN_TIMEOUT,
	// default 15s.
	ShutdownTimeout time.Duration
	// LogLevel is debug, info, warn or error. AEGIS_LOG_LEVEL, default info.
	LogLevel string
	// LogFormat is text or json. AEGIS_LOG_FORMAT, default text.
	LogFormat string
	// JWTSecret signs dashboard sessions (at least 32 bytes). JWT_SECRET;
	// when empty, the server generates one into the data dir.
	JWTSecret string
	// MasterKey derives email verification tokens and seals stored secrets:
	// 32 bytes in base64. AEGIS_MASTER_KEY; when empty, the server generates
	// one into the data dir.
	MasterKey string
	// SMTPURL is where emails go, e.g. smtp://127.0.0.1:1025. SMTP_URL;
	// when empty, no email is sent.
	SMTPURL string
	// PublicURL is the dashboard's address as people reach it, for links in
	// emails; https makes session cookies Secure. AEGIS_PUBLIC_URL, default
	// "http://localhost:3001".
	PublicURL string
}

// Default returns the configuration of a local, single-node Aegis.
func Default() Config {
	return Config{
		DataDir:         ".data",
		DatabaseURL:     DefaultDatabaseURL,
		NATSAddr:        "127.0.0.1:4222",
		AdminAddr:       "127.0.0.1:3001",
		GatewayAddr:     ":8000",
		Replicas:        1,
		Roles:           []string{RoleAll},
		ReadyMaxLag:     10000,
		ShutdownTimeout: 15 * time.Second,
		LogLevel:        "info",
		LogFormat:       "text",
		PublicURL:       "http://localhost:3001",
		MaxRequestBody:  10 << 20,
		WebDir:          "web/dist",
	}
}

// FromEnv returns Default overridden by the environment as read by getenv.
// It returns an error naming every variable that does not parse.
func FromEnv(getenv func(string) string) (Config, error) {
	c := Default()
	var errs []error
	str := func(name string, dst *string) {
		if v := getenv(name); v != "" {
			*dst = v
		}
	}
	str("AEGIS_DATA_DIR", &c.DataDir)
	str("DATABASE_URL", &c.DatabaseURL)
	str("NATS_URL", &c.NATSURL)
	str("AEGIS_NATS_ADDR", &c.NATSAddr)
	str("AEGIS_ADMIN_ADDR", &c.AdminAddr)
	str("AEGIS_GATEWAY_ADDR", &c.GatewayAddr)
	str("AEGIS_NODE_ID", &c.NodeID)
	str("AEGIS_WEB_DIR", &c.WebDir)
	if v := getenv("AEGIS_ACCESS_LOG_SAMPLE"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || f > 1 {
			errs = append(errs, fmt.Errorf("AEGIS_ACCESS_LOG_SAMPLE=%q is not a number from 0 to 1", v))
		}
		c.AccessLogSample = f
	}
	size := func(name string, dst *int64, least int64) {
		if v := getenv(name); v != "" {
			n, err := ParseSize(v)
			if err != nil || n < least {
				errs = append(errs, fmt.Errorf("%s=%q is not a size of at least %d bytes, such as 10MiB", name, v, least))
			}
			*dst = n
		}
	}
	size("AEGIS_GATEWAY_MAX_REQUEST_BODY", &c.MaxRequestBody, 1)
	size("AEGIS_GATEWAY_MAX_RESPONSE_BODY", &c.MaxResponseBody, 0)
	if v := getenv("AEGIS_TRUSTED_PROXIES"); v != "" {
		c.TrustedProxies = SplitList(v)
	}
	if v := getenv("AEGIS_EGRESS_ALLOW"); v != "" {
		c.EgressAllow = SplitList(v)
	}
	str("AEGIS_LOG_LEVEL", &c.LogLevel)
	str("AEGIS_LOG_FORMAT", &c.LogFormat)
	str("JWT_SECRET", &c.JWTSecret)
	str("AEGIS_MASTER_KEY", &c.MasterKey)
	str("SMTP_URL", &c.SMTPURL)
	str("AEGIS_PUBLIC_URL", &c.PublicURL)
	if v := getenv("AEGIS_ROLES"); v != "" {
		c.Roles = SplitList(v)
	}
	if v := getenv("AEGIS_REPLICAS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("AEGIS_REPLICAS=%q is not a number", v))
		}
		c.Replicas = n
	}
	if v := getenv("AEGIS_READY_MAX_LAG"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			errs = append(errs, fmt.Errorf("AEGIS_READY_MAX_LAG=%q is not a number", v))
		}
		c.ReadyMaxLag = n
	}
	if v := getenv("AEGIS_SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("AEGIS_SHUTDOWN_TIMEOUT=%q is not a duration such as 15s", v))
		}
		c.ShutdownTimeout = d
	}
	return c, errors.Join(errs...)
}

// SplitList splits a comma-separated list, dropping blanks.
func SplitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// Validate returns every problem with c, joined, or nil.
func (c Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("data dir is empty"))
	}
	if err := checkDatabaseURL(c.DatabaseURL); err != nil {
		errs = append(errs, err)
	}
	if err := checkNATSURL(c.NATSURL); err != nil {
		errs = append(errs, err)
	}
	if c.NATSURL == "" {
		if err := checkAddr("AEGIS_NATS_ADDR", c.NATSAddr); err != nil {
			errs = append(errs, err)
		}
	}
	if err := checkAddr("AEGIS_ADMIN_ADDR", c.AdminAddr); err != nil {
		errs = append(errs, err)
	}
	if err := checkAddr("AEGIS_GATEWAY_ADDR", c.GatewayAddr); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.ProxyPrefixes(); err != nil {
		errs = append(errs, err)
	}
	if _, err := c.EgressPrefixes(); err != nil {
		errs = append(errs, err)
	}
	if c.Replicas != 1 && c.Replicas != 3 && c.Replicas != 5 {
		errs = append(errs, fmt.Errorf("AEGIS_REPLICAS must be 1, 3 or 5, not %d", c.Replicas))
	}
	if _, err := c.RunRoles(); err != nil {
		errs = append(errs, err)
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, fmt.Errorf("AEGIS_SHUTDOWN_TIMEOUT must be positive, not %s", c.ShutdownTimeout))
	}
	if _, err := c.SlogLevel(); err != nil {
		errs = append(errs, err)
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("AEGIS_PUBLIC_URL %q is not an http(s) URL such as https://aegis.example.com", c.PublicURL))
	}
	if c.JWTSecret != "" && len(c.JWTSecret) < 32 {
		errs = append(errs, errors.New("JWT_SECRET must be at least 32 characters"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("AEGIS_LOG_FORMAT must be text or json, not %q", c.LogFormat))
	}
	return errors.Join(errs...)
}

// RunRoles returns the roles to run, "all" expanded, in start order. It
// returns an error naming a role this build does not have.
func (c Config) RunRoles() ([]string, error) {
	if len(c.Roles) == 0 {
		return nil, errors.New("no role to run")
	}
	for _, r := range c.Roles {
		if r != RoleAll && !slices.Contains(Roles, r) {
			return nil, fmt.Errorf("unknown role %q (roles: all, %s)", r, strings.Join(Roles, ", "))
		}
	}
	var out []string
	for _, r := range Roles {
		if slices.Contains(c.Roles, r) || slices.Contains(c.Roles, RoleAll) {
			out = append(out, r)
		}
	}
	return out, nil
}

// Has reports whether the server runs role.
func (c Config) Has(role string) bool {
	roles, _ := c.RunRoles()
	return slices.Contains(roles, role)
}

// SlogLevel returns the log level.
func (c Config) SlogLevel() (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(c.LogLevel)); err != nil {
		return 0, fmt.Errorf("AEGIS_LOG_LEVEL must be debug, info, warn or error, not %q", c.LogLevel)
	}
	return l, nil
}

// ClientNATSURL returns where a client finds NATS: NATSURL, or the
// embedded server's address.
func (c Config) ClientNATSURL() string {
	if c.NATSURL != "" {
		return c.NATSURL
	}
	return "nats://" + c.NATSAddr
}

func checkDatabaseURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return fmt.Errorf("DATABASE_URL must be a postgresql:// URL such as %s", DefaultDatabaseURL)
	}
	return nil
}

func checkNATSURL(s string) error {
	for _, one := range SplitList(s) {
		u, err := url.Parse(one)
		if err != nil || u.Host == "" || (u.Scheme != "nats" && u.Scheme != "tls" && u.Scheme != "ws" && u.Scheme != "wss") {
			return fmt.Errorf("NATS_URL %q is not a nats:// URL such as nats://127.0.0.1:4222", one)
		}
	}
	return nil
}

func checkAddr(name, addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("%s=%q is not host:port", name, addr)
	}
	if n, err := strconv.Atoi(port); err != nil || n < 0 || n > 65535 {
		return fmt.Errorf("%s=%q has no valid port", name, addr)
	}
	return nil
}

// RedactURL returns u with its password replaced, for messages and logs.
func RedactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// ParseSize parses a size in bytes: a number, or a number followed by KiB,
// MiB or GiB ("10MiB", "512 KiB").
func ParseSize(s string) (int64, error) {
	num, unit := strings.TrimSpace(s), int64(1)
	for suffix, u := range map[string]int64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30} {
		if n, ok := strings.CutSuffix(num, suffix); ok {
			num, unit = strings.TrimSpace(n), u
			break
		}
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/unit {
		return 0, fmt.Errorf("%q is not a size such as 1048576 or 10MiB", s)
	}
	return n * unit, nil
}

// ProxyPrefixes returns TrustedProxies parsed. It returns an error naming
// AEGIS_TRUSTED_PROXIES for one that is not a CIDR or an address.
func (c Config) ProxyPrefixes() ([]netip.Prefix, error) {
	return parsePrefixes("AEGIS_TRUSTED_PROXIES", c.TrustedProxies)
}

// EgressPrefixes returns EgressAllow parsed. It returns an error naming
// AEGIS_EGRESS_ALLOW for one that is not a CIDR or an address.
func (c Config) EgressPrefixes() ([]netip.Prefix, error) {
	return parsePrefixes("AEGIS_EGRESS_ALLOW", c.EgressAllow)
}

// parsePrefixes parses a list of CIDRs and addresses (an address stands
// for itself alone). It returns an error naming the variable for one that
// is neither.
func parsePrefixes(name string, list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil {
				return nil, fmt.Errorf("%s: %q is not a CIDR such as 10.0.0.0/8", name, s)
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out, nil
}
