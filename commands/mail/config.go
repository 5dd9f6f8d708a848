package mail

import (
	"errors"
	"fmt"
	"maps"
	"net"
	netmail "net/mail"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultFrom is the From address of a Config that names none.
const DefaultFrom = "Aegis <no-reply@localhost>"

// DefaultTimeout bounds dialing the SMTP server, and then the whole
// conversation, for a Config that sets no Timeout.
const DefaultTimeout = 10 * time.Second

// TLSMode is how a Sender protects its connection to the SMTP server.
type TLSMode string

const (
	// TLSOpportunistic upgrades the connection with STARTTLS when the server
	// offers it and talks in plain text otherwise: for a local mail catcher.
	TLSOpportunistic TLSMode = "opportunistic"
	// TLSStartTLS requires STARTTLS: sending fails if the server does not
	// offer it or the handshake fails.
	TLSStartTLS TLSMode = "starttls"
	// TLSImplicit speaks TLS from the first byte (SMTPS, usually port 465).
	TLSImplicit TLSMode = "implicit"
	// TLSNone never uses TLS, even to send credentials. Use it only on a
	// network where nobody can listen.
	TLSNone TLSMode = "none"
)

// Config is where and how a Sender delivers mail.
type Config struct {
	// Host is the SMTP server's host name or IP address. Required.
	Host string
	// Port is the SMTP server's TCP port, from 1 to 65535. Required.
	Port int
	// Username and Password authenticate with AUTH PLAIN, or LOGIN where
	// the server offers no PLAIN. Both empty: no authentication.
	Username string
	Password string
	// TLS is how the connection is protected. Required.
	TLS TLSMode
	// From is the From address of every message, such as
	// "Aegis <no-reply@example.com>"; it is also the envelope sender.
	// Empty means DefaultFrom.
	From string
	// Timeout bounds dialing, and then the rest of the conversation, of
	// each Send. Zero means DefaultTimeout.
	Timeout time.Duration
}

// ParseURL reads the value of SMTP_URL into a Config. The forms are:
//
//	smtp://host:port                  plain; STARTTLS when the server offers it
//	smtp://user:pass@host:587         STARTTLS required before credentials are sent
//	smtp://user:pass@host:25?tls=none never TLS, credentials in plain text
//	smtps://user:pass@host:465        implicit TLS
//
// The port defaults to 465 for smtps, 587 for smtp with credentials, and 25
// otherwise. The query may set from= (the From address, default
// DefaultFrom) and, for smtp only, tls= (none, opportunistic or starttls);
// reserved characters in the user name and password are percent-encoded.
// ParseURL returns an error naming SMTP_URL and every problem it found; the
// error never contains the password.
func ParseURL(s string) (Config, error) {
	cfg, err := parseURL(s)
	if err != nil {
		return Config{}, redact(fmt.Errorf("invalid SMTP_URL: %w", err), s)
	}
	return cfg, nil
}

func parseURL(s string) (Config, error) {
	if strings.TrimSpace(s) == "" {
		return Config{}, errors.New("empty")
	}
	if !strings.Contains(s, "://") {
		return Config{}, errors.New("want smtp://host:port or smtps://user:pass@host:465")
	}
	u, err := url.Parse(s)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			// url.Error repeats the whole URL, password included.
			err = uerr.Err
		}
		return Config{}, err
	}

	var problems []error
	cfg := Config{Host: u.Hostname(), From: DefaultFrom}
	implicit := false
	switch strings.ToLower(u.Scheme) {
	case "smtp":
	case "smtps":
		implicit = true
	default:
		return Config{}, fmt.Errorf("scheme %q is not smtp or smtps", u.Scheme)
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	if u.Path != "" && u.Path != "/" {
		problems = append(problems, fmt.Errorf("unexpected path %q", u.Path))
	}

	switch port := u.Port(); {
	case port != "":
		// url.Parse let only digits through; Atoi clamps what overflows,
		// which Validate then refuses.
		cfg.Port, _ = strconv.Atoi(port)
	case implicit:
		cfg.Port = 465
	case cfg.Username != "" || cfg.Password != "":
		cfg.Port = 587
	default:
		cfg.Port = 25
	}

	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return Config{}, fmt.Errorf("query: %w", err)
	}
	for _, key := range slices.Sorted(maps.Keys(q)) {
		switch values := q[key]; key {
		case "from", "tls":
			if len(values) > 1 {
				problems = append(problems, fmt.Errorf("query parameter %q given %d times", key, len(values)))
			}
		default:
			problems = append(problems, fmt.Errorf("unknown query parameter %q (want from or tls)", key))
		}
	}
	if q.Has("from") {
		cfg.From = q.Get("from")
	}

	switch tls := q.Get("tls"); {
	case implicit && q.Has("tls"):
		problems = append(problems, errors.New("tls= applies to smtp:// only: smtps:// always uses implicit TLS"))
		cfg.TLS = TLSImplicit
	case implicit:
		cfg.TLS = TLSImplicit
	case tls == string(TLSNone), tls == string(TLSOpportunistic), tls == string(TLSStartTLS):
		cfg.TLS = TLSMode(tls)
	case q.Has("tls"):
		problems = append(problems, fmt.Errorf("tls=%q: want none, opportunistic or starttls", tls))
		cfg.TLS = cfg.defaultTLS()
	default:
		cfg.TLS = cfg.defaultTLS()
	}

	if err := cfg.Validate(); err != nil {
		problems = append(problems, err)
	}
	return cfg, errors.Join(problems...)
}

// Validate returns every problem with c joined into one error, or nil.
func (c Config) Validate() error {
	var problems []error
	if c.Host == "" {
		problems = append(problems, errors.New("missing host"))
	}
	if c.Port < 1 || c.Port > 65535 {
		problems = append(problems, fmt.Errorf("port %d is not from 1 to 65535", c.Port))
	}
	switch c.TLS {
	case TLSOpportunistic, TLSStartTLS, TLSImplicit, TLSNone:
	default:
		problems = append(problems, fmt.Errorf("unknown TLS mode %q", c.TLS))
	}
	if (c.Username == "") != (c.Password == "") {
		problems = append(problems, errors.New("credentials need both a user name and a password"))
	}
	if c.From != "" {
		if _, err := netmail.ParseAddress(c.From); err != nil {
			problems = append(problems, fmt.Errorf("from address %q: %w", c.From, err))
		}
	}
	if c.Timeout < 0 {
		problems = append(problems, fmt.Errorf("negative timeout %s", c.Timeout))
	}
	return errors.Join(problems...)
}

// String returns c as an SMTP_URL with the password masked, for logs.
func (c Config) String() string {
	u := url.URL{Scheme: "smtp", Host: net.JoinHostPort(c.Host, strconv.Itoa(c.Port))}
	if c.TLS == TLSImplicit {
		u.Scheme = "smtps"
	}
	if c.Username != "" {
		u.User = url.UserPassword(c.Username, c.Password)
	}
	q := url.Values{}
	if c.From != "" && c.From != DefaultFrom {
		q.Set("from", c.From)
	}
	if c.TLS != TLSImplicit && c.TLS != c.defaultTLS() {
		q.Set("tls", string(c.TLS))
	}
	u.RawQuery = q.Encode()
	return u.Redacted()
}

// defaultTLS is the TLS mode of an smtp:// URL without tls=.
func (c Config) defaultTLS() TLSMode {
	if c.Username != "" || c.Password != "" {
		return TLSStartTLS
	}
	return TLSOpportunistic
}

// redact replaces the password of the URL s, wherever it appears in err's
// text, so that no parse error can leak it.
func redact(err error, s string) error {
	pass := rawPassword(s)
	if pass == "" {
		return err
	}
	msg := err.Error()
	for _, p := range []string{pass, unescape(pass)} {
		if p != "" {
			msg = strings.ReplaceAll(msg, p, "xxxxx")
		}
	}
	if msg == err.Error() {
		return err
	}
	return errors.New(msg)
}

// rawPassword finds the password of an smtp URL by hand, since a URL that
// does not parse still may carry one.
func rawPassword(s string) string {
	_, rest, ok := strings.Cut(s, "://")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return ""
	}
	_, pass, _ := strings.Cut(rest[:at], ":")
	return pass
}

func unescape(s string) string {
	u, err := url.PathUnescape(s)
	if err != nil {
		return ""
	}
	return u
}
