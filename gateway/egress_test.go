package gateway_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
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

// logBuffer collects a logger's lines; it is safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) lines() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Split(strings.TrimSpace(b.buf.String()), "\n")
}

func TestJWKSOnLoopbackIsRefusedByDefault(t *testing.T) {
	k := keys(t)
	srv := newJWKSServer(t, jwksOf(t, map[string]any{"rsa-1": &k.rsa.PublicKey}), 0)
	var logs logBuffer
	const minRefresh = 20 * time.Millisecond
	cache := gateway.NewJWKSCache(gateway.NewJWKSClient(egress.New()), minRefresh,
		gateway.WithJWKSLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	v := newVerifier(t, jwksConfig(srv.URL+"/jwks?api_key=s3cr3t"), cache)
	token := []byte(sign(t, jwt.SigningMethodRS256, k.rsa, goodClaims(), map[string]any{"kid": "rsa-1"}))

	for i := range 3 {
		if i > 0 {
			time.Sleep(2 * minRefresh) // let the cache try again
		}
		_, err := v.Verify(token, testNow)
		if code := schema.ErrorCode(err); code != schema.CodeUnavailable {
			t.Fatalf("Verify with a JWKS on 127.0.0.1: code %q (%v), want %q as for any JWKS that cannot be fetched",
				code, err, schema.CodeUnavailable)
		}
		if !errors.Is(err, egress.ErrRefused) {
			t.Errorf("Verify: %v, want its cause to wrap egress.ErrRefused", err)
		}
	}
	if n := srv.hits.Load(); n != 0 {
		t.Errorf("%d requests reached the JWKS server on 127.0.0.1, want 0", n)
	}

	// Three refused fetches of one URL, for one reason: one line.
	lines := logs.lines()
	if len(lines) != 1 {
		t.Fatalf("log = %q, want one line", lines)
	}
	for _, want := range []string{"JWKS fetch failed", "127.0.0.1 is a loopback address", srv.URL + "/jwks"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("log line %q lacks %q", lines[0], want)
		}
	}
	if strings.Contains(lines[0], "s3cr3t") {
		t.Errorf("log line %q shows the URL's query", lines[0])
	}
}

func TestJWKSRefusedFetchLogsRecovery(t *testing.T) {
	k := keys(t)
	var fail atomic.Bool
	fail.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fail.Load() {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		_, _ = w.Write(jwksOf(t, map[string]any{"rsa-1": &k.rsa.PublicKey}))
	}))
	t.Cleanup(srv.Close)
	var logs logBuffer
	const minRefresh = 20 * time.Millisecond
	c := gateway.NewJWKSCache(loopbackClient(t), minRefresh, gateway.WithJWKSLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	for range 3 {
		if _, err := c.Key(context.Background(), srv.URL, "rsa-1"); err == nil {
			t.Fatal("Key from a failing server succeeded")
		}
		time.Sleep(2 * minRefresh)
	}
	fail.Store(false)
	if _, err := c.Key(context.Background(), srv.URL, "rsa-1"); err != nil {
		t.Fatalf("Key once the server works: %v", err)
	}
	lines := logs.lines()
	if len(lines) != 2 || !strings.Contains(lines[0], "status 502") || !strings.Contains(lines[1], "JWKS fetched again") {
		t.Errorf("log = %q, want the failure once, then the recovery", lines)
	}
}

func TestJWKSCacheWithoutClientIsGuarded(t *testing.T) {
	srv := newJWKSServer(t, []byte(`{"keys":[]}`), 0)
	_, err := gateway.NewJWKSCache(nil, time.Hour).Key(context.Background(), srv.URL, "k")
	if !errors.Is(err, egress.ErrRefused) || srv.hits.Load() != 0 {
		t.Errorf("Key from 127.0.0.1 with the default client: %v with %d hits, want refused with none", err, srv.hits.Load())
	}
}

func TestJWKSClientAllowsAnAllowedNetwork(t *testing.T) {
	srv := newJWKSServer(t, []byte(`{"keys":[]}`), 0)
	resp, err := loopbackClient(t).Get(srv.URL)
	if err != nil {
		t.Fatalf("GET %s with 127.0.0.0/8 allowed: %v", srv.URL, err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || srv.hits.Load() != 1 {
		t.Errorf("GET = %s with %d hits, want 200 and 1", resp.Status, srv.hits.Load())
	}
}

func TestJWKSClientUsesNoProxy(t *testing.T) {
	c := gateway.NewJWKSClient(egress.New())
	tr, ok := c.Transport.(*http.Transport)
	if !ok || tr.Proxy != nil {
		t.Errorf("the JWKS client's transport is %T with a proxy function; want none, so the guard sees the address dialled", c.Transport)
	}
	if c.Timeout != gateway.JWKSTimeout {
		t.Errorf("Timeout = %v, want %v", c.Timeout, gateway.JWKSTimeout)
	}
}

// redirector answers /hop/<n> with a redirect to /hop/<n-1>, /hop/0 with an
// empty key set, and /to?url=<u> with a redirect to u.
func redirector(t *testing.T, tls bool) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		var n int
		switch {
		case r.URL.Path == "/to":
			http.Redirect(w, r, r.URL.Query().Get("url"), http.StatusFound)
		case r.URL.Path == "/hop/0":
			_, _ = w.Write([]byte(`{"keys":[]}`))
		default:
			if _, err := fmt.Sscanf(r.URL.Path, "/hop/%d", &n); err != nil {
				http.NotFound(w, r)
				return
			}
			http.Redirect(w, r, fmt.Sprintf("/hop/%d", n-1), http.StatusFound)
		}
	})
	var s *httptest.Server
	if tls {
		s = httptest.NewTLSServer(h)
	} else {
		s = httptest.NewServer(h)
	}
	t.Cleanup(s.Close)
	return s, &hits
}

func TestJWKSClientRedirects(t *testing.T) {
	srv, _ := redirector(t, false)
	other, otherHits := redirector(t, false)
	secure, _ := redirector(t, true)
	loopback := loopbackClient(t)
	trusting := gateway.NewJWKSClient(egress.New(netip.MustParsePrefix("127.0.0.0/8")))
	trusting.Transport.(*http.Transport).TLSClientConfig = secure.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	t.Cleanup(trusting.CloseIdleConnections)
	otherPort := other.URL[strings.LastIndexByte(other.URL, ':')+1:]

	for _, tc := range []struct {
		name    string
		client  *http.Client
		url     string
		refused bool   // the error wraps egress.ErrRefused
		err     string // part of the error; "" means the fetch succeeds
	}{
		{"three redirects", loopback, srv.URL + "/hop/3", false, ""},
		{"four redirects", loopback, srv.URL + "/hop/4", false, "stopped after 3 redirects"},
		{"to the metadata service", loopback, srv.URL + "/to?url=http://169.254.169.254/latest/meta-data/", true, "link-local"},
		{"to a private address", loopback, srv.URL + "/to?url=http://10.0.0.1/jwks", true, "private"},
		{"to IPv6 loopback, with IPv4 loopback allowed", loopback, srv.URL + "/to?url=http://[::1]:" + otherPort + "/hop/0", true, "loopback"},
		{"to a decimal address", loopback, srv.URL + "/to?url=http://2130706433:" + otherPort + "/hop/0", true, "non-standard form"},
		{"to another allowed server", loopback, srv.URL + "/to?url=" + other.URL + "/hop/0", false, ""},
		{"to user info", loopback, srv.URL + "/to?url=http://u:p@127.0.0.1:" + otherPort + "/hop/0", false, "user name or password"},
		{"from https to http", trusting, secure.URL + "/to?url=" + other.URL + "/hop/0", false, "from https to http"},
		{"within https", trusting, secure.URL + "/hop/2", false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := otherHits.Load()
			resp, err := tc.client.Get(tc.url)
			if err == nil {
				resp.Body.Close()
			}
			switch {
			case tc.err == "" && err != nil:
				t.Fatalf("GET: %v, want success", err)
			case tc.err == "" && resp.StatusCode != 200:
				t.Fatalf("GET = %s, want 200", resp.Status)
			case tc.err == "":
				return
			case err == nil:
				t.Fatalf("GET = %s, want an error containing %q", resp.Status, tc.err)
			case !strings.Contains(err.Error(), tc.err):
				t.Errorf("GET: %v, want it to contain %q", err, tc.err)
			}
			if got := errors.Is(err, egress.ErrRefused); got != tc.refused {
				t.Errorf("GET: %v wraps egress.ErrRefused: %v, want %v", err, got, tc.refused)
			}
			if n := otherHits.Load() - before; n != 0 {
				t.Errorf("%d requests reached the redirect's target, want 0", n)
			}
		})
	}
}
