package egress_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/schema/egress"
)

func TestCheckURL(t *testing.T) {
	none := egress.New()
	loopback := egress.New(prefixes(t, "127.0.0.0/8")...)
	internal := egress.New(prefixes(t, "10.0.0.0/8")...)
	for _, tc := range []struct {
		name  string
		g     *egress.Guard
		url   string
		want  error  // nil, ErrBadURL or ErrRefused
		about string // part of the error
	}{
		{"public https", none, "https://idp.example.com/.well-known/jwks.json", nil, ""},
		{"public http with port", none, "http://idp.example.com:8080/jwks", nil, ""},
		{"public IPv4", none, "https://8.8.8.8/jwks", nil, ""},
		{"public IPv6", none, "https://[2606:4700:4700::1111]/jwks", nil, ""},
		{"upper-case scheme", none, "HTTPS://idp.example.com/jwks", nil, ""},

		{"ftp", none, "ftp://idp.example.com/jwks", egress.ErrBadURL, "http or https"},
		{"no scheme", none, "idp.example.com/jwks", egress.ErrBadURL, "http or https"},
		{"no host", none, "https:///jwks", egress.ErrBadURL, "no host"},
		{"opaque", none, "https:idp.example.com", egress.ErrBadURL, "no host"},
		{"user info", none, "https://user:pass@idp.example.com/jwks", egress.ErrBadURL, "user name or password"},
		{"unparsable", none, "https://idp.example.com:port/jwks", egress.ErrBadURL, "does not parse"},
		{"bad IPv6", none, "https://[::1%zz/jwks", egress.ErrBadURL, ""},

		{"loopback", none, "http://127.0.0.1:8080/jwks", egress.ErrRefused, "127.0.0.1 is a loopback address"},
		{"loopback, trailing dot", none, "http://127.0.0.1./jwks", egress.ErrRefused, "loopback"},
		{"IPv6 loopback", none, "http://[::1]/jwks", egress.ErrRefused, "loopback"},
		{"mapped loopback", none, "http://[::ffff:127.0.0.1]/jwks", egress.ErrRefused, "loopback"},
		{"mapped loopback in hex", none, "http://[::ffff:7f00:1]/jwks", egress.ErrRefused, "loopback"},
		{"metadata", none, "http://169.254.169.254/latest/meta-data/", egress.ErrRefused, "link-local"},
		{"zoned link-local", none, "http://[fe80::1%25eth0]/jwks", egress.ErrRefused, "link-local"},
		{"private", none, "http://10.0.0.5/jwks", egress.ErrRefused, "private"},
		{"CGNAT", none, "http://100.64.1.1/jwks", egress.ErrRefused, "carrier-grade NAT"},
		{"unspecified", none, "http://0.0.0.0:8080/jwks", egress.ErrRefused, "unspecified"},
		{"unique local", none, "http://[fd12::1]/jwks", egress.ErrRefused, "unique local"},

		// Numbers that resolvers (inet_aton) read as 127.0.0.1.
		{"decimal", none, "http://2130706433/jwks", egress.ErrRefused, "non-standard form"},
		{"hexadecimal", none, "http://0x7f000001/jwks", egress.ErrRefused, "non-standard form"},
		{"hex and short", none, "http://0x7f.1/jwks", egress.ErrRefused, "non-standard form"},
		{"octal", none, "http://0177.0.0.1/jwks", egress.ErrRefused, "non-standard form"},
		{"short", none, "http://127.1/jwks", egress.ErrRefused, "non-standard form"},
		{"leading zeros", none, "http://127.000.000.001/jwks", egress.ErrRefused, "non-standard form"},
		{"upper-case hex", none, "http://0X7F000001/jwks", egress.ErrRefused, "non-standard form"},
		{"percent-encoded", none, "http://%31%32%37.0.0.1/jwks", egress.ErrBadURL, ""}, // Go allows escapes for non-ASCII bytes only
		{"non-standard even when allowed", loopback, "http://2130706433/jwks", egress.ErrRefused, "non-standard form"},

		{"localhost", none, "http://localhost:8080/jwks", egress.ErrRefused, "loopback name"},
		{"LOCALHOST.", none, "http://LOCALHOST./jwks", egress.ErrRefused, "loopback name"},
		{"percent-encoded localhost", none, "http://%6cocalhost/jwks", egress.ErrBadURL, ""},
		{"under .localhost", none, "http://idp.localhost/jwks", egress.ErrRefused, "loopback name"},
		{"single label", none, "http://metadata/computeMetadata/v1/", egress.ErrRefused, "single-label"},
		{".internal", none, "http://metadata.google.internal/", egress.ErrRefused, ".internal"},
		{".local", none, "http://printer.local/jwks", egress.ErrRefused, ".local"},
		{".home.arpa", none, "http://nas.home.arpa/jwks", egress.ErrRefused, ".home.arpa"},
		{".localdomain", none, "http://localhost.localdomain/jwks", egress.ErrRefused, ".localdomain"},
		{"a name that only looks local", none, "https://local.example.com/jwks", nil, ""},
		{"a domain ending in internal", none, "https://idp.notinternal/jwks", nil, ""},

		{"loopback allowed", loopback, "http://127.0.0.1:8080/jwks", nil, ""},
		{"localhost with loopback allowed", loopback, "http://localhost:8080/jwks", nil, ""},
		{"metadata with loopback allowed", loopback, "http://169.254.169.254/", egress.ErrRefused, "link-local"},
		{"private allowed", internal, "http://10.1.2.3/jwks", nil, ""},
		{"localhost with only 10/8 allowed", internal, "http://localhost/jwks", egress.ErrRefused, "loopback name"},
		{".internal left to the dialer when networks are allowed", internal, "http://jwks.corp.internal/", nil, ""},
		{"single label left to the dialer when networks are allowed", internal, "http://jwks/", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.g.CheckURL(tc.url)
			switch {
			case tc.want == nil && err != nil:
				t.Fatalf("CheckURL(%q) = %v, want nil", tc.url, err)
			case tc.want == nil:
				return
			case !errors.Is(err, tc.want):
				t.Fatalf("CheckURL(%q) = %v, want an error wrapping %v", tc.url, err, tc.want)
			}
			var e *egress.Error
			if !errors.As(err, &e) {
				t.Errorf("CheckURL(%q) = %T, want *egress.Error", tc.url, err)
			}
			if !strings.Contains(err.Error(), tc.about) {
				t.Errorf("CheckURL(%q) = %q, want it to say %q", tc.url, err, tc.about)
			}
		})
	}
}

func TestCheckURLShowsNoSecret(t *testing.T) {
	g := egress.New()
	for _, url := range []string{
		"https://jwks-user:hunter2secret@idp.example.com/jwks",
		"http://127.0.0.1/jwks?token=hunter2secret",
		"http://169.254.169.254/hunter2secret",
		"https://idp.example.com:hunter2secret/jwks",
		"gopher://idp.example.com/hunter2secret",
		"http://localhost/jwks#hunter2secret",
	} {
		err := g.CheckURL(url)
		if err == nil {
			t.Errorf("CheckURL(%q) = nil, want an error", url)
			continue
		}
		if strings.Contains(err.Error(), "hunter2secret") {
			t.Errorf("CheckURL(%q) = %q, which shows the secret", url, err)
		}
	}
}
