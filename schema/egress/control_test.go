package egress_test

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/schema/egress"
)

// loopbackServer is a real HTTP server on 127.0.0.1 that counts the
// requests reaching it.
func loopbackServer(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var hits atomic.Int64
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = w.Write([]byte("ok"))
	}))
	t.Cleanup(s.Close)
	return s, &hits
}

// guardedClient dials only what g allows, with no proxy.
func guardedClient(t *testing.T, g *egress.Guard) *http.Client {
	t.Helper()
	d := &net.Dialer{Timeout: 2 * time.Second, Control: g.Control}
	tr := &http.Transport{DialContext: d.DialContext}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 5 * time.Second}
}

func TestControlRefusesLoopbackAtConnectTime(t *testing.T) {
	srv, hits := loopbackServer(t)
	_, port, _ := net.SplitHostPort(srv.Listener.Addr().String())
	c := guardedClient(t, egress.New())
	for _, url := range []string{
		srv.URL,                          // 127.0.0.1
		"http://localhost:" + port + "/", // a name that resolves to it
		"http://[::ffff:127.0.0.1]:" + port + "/", // its IPv4-mapped form
		"http://2130706433:" + port + "/",         // its decimal form: not an address to Go, at most a name
		"http://0x7f.1:" + port + "/",
	} {
		resp, err := c.Get(url)
		if err == nil {
			resp.Body.Close()
			t.Errorf("GET %s = %s, want refused", url, resp.Status)
			continue
		}
		if strings.Contains(url, "127.0.0.1") || strings.Contains(url, "localhost") {
			if !errors.Is(err, egress.ErrRefused) {
				t.Errorf("GET %s: %v, want an error wrapping ErrRefused", url, err)
			}
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("%d requests reached the loopback server, want 0", n)
	}
}

func TestControlAllowsAnAllowedNetwork(t *testing.T) {
	srv, hits := loopbackServer(t)
	c := guardedClient(t, egress.New(prefixes(t, "127.0.0.0/8")...))
	resp, err := c.Get(srv.URL)
	if err != nil {
		t.Fatalf("GET %s with 127.0.0.0/8 allowed: %v", srv.URL, err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || hits.Load() != 1 {
		t.Errorf("GET %s = %s with %d hits, want 200 and 1", srv.URL, resp.Status, hits.Load())
	}
}

func TestControl(t *testing.T) {
	g := egress.New(prefixes(t, "10.20.0.0/16")...)
	var raw syscall.RawConn
	for _, tc := range []struct {
		network, address string
		allowed          bool
	}{
		{"tcp4", "93.184.215.14:443", true},
		{"tcp6", "[2606:4700::1]:443", true},
		{"tcp4", "10.20.1.1:8080", true},
		{"tcp4", "10.21.1.1:8080", false},
		{"tcp4", "169.254.169.254:80", false},
		{"tcp6", "[::1]:80", false},
		{"tcp6", "[fe80::1%eth0]:80", false},
		{"tcp6", "[::ffff:169.254.169.254]:80", false},
		{"tcp6", "[::ffff:10.20.0.5]:80", true},
		{"unix", "/run/secret.sock", false},
		{"tcp", "metadata.google.internal:80", false},
	} {
		err := g.Control(tc.network, tc.address, raw)
		if got := err == nil; got != tc.allowed {
			t.Errorf("Control(%s, %s) = %v, want allowed %v", tc.network, tc.address, err, tc.allowed)
		}
		if err != nil && !errors.Is(err, egress.ErrRefused) {
			t.Errorf("Control(%s, %s) = %v, want it to wrap ErrRefused", tc.network, tc.address, err)
		}
	}
}
