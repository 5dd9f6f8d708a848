package platform_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// countingUpstream counts the requests that reach it.
func countingUpstream(t *testing.T) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var n atomic.Int64
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.WriteHeader(200)
	}))
	t.Cleanup(s.Close)
	return s, &n
}

// sendRaw sends bytes to the gateway as they are and returns the status line
// of the first answer ("" if the connection closed without one).
func sendRaw(t *testing.T, gw, request string) string {
	t.Helper()
	conn, err := net.DialTimeout("tcp", gw, 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(3 * time.Second))
	if _, err := conn.Write([]byte(request)); err != nil {
		return ""
	}
	line, _ := bufio.NewReader(conn).ReadString('\n')
	return strings.TrimSpace(line)
}

// Requests built to smuggle a second request past the gateway, or to slip
// a path past a route, are refused and reach the upstream at most once.
func TestGatewayRefusesSmugglingAndPathTricks(t *testing.T) {
	p := startPlatform(t)
	up, hits := countingUpstream(t)
	c := ownerClient(t, p, "Acme", "ada@acme.example")
	body := appBody("sec", "sec.acme.test")
	body["upstreams"] = []map[string]any{{"url": up.URL}}
	var app struct {
		AppID string `json:"app_id"`
	}
	c.must("POST", "/api/v1/apps", body, &app, 201)
	var key struct {
		Key string `json:"key"`
	}
	c.must("POST", "/api/v1/apps/"+app.AppID+"/api-keys?wait=propagated", map[string]any{"environment": "production", "name": "sec"}, &key, 201)
	gw := p.GatewayAddr()
	until(t, 200, func() (int, string) { return call(t, gw, "sec.acme.test", "/v1/ok", "X-API-Key", key.Key) })

	head := "Host: sec.acme.test\r\nX-API-Key: " + key.Key + "\r\n"
	smuggled := "GET /v1/smuggled HTTP/1.1\r\nHost: sec.acme.test\r\nX-API-Key: " + key.Key + "\r\n\r\n"
	for _, tc := range []struct{ name, request string }{
		{"content-length and chunked", "POST /v1/a HTTP/1.1\r\n" + head + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled},
		{"two transfer-encodings", "POST /v1/a HTTP/1.1\r\n" + head + "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n" + smuggled},
		{"transfer-encoding on HTTP/1.0", "POST /v1/a HTTP/1.0\r\n" + head + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled},
		{"bare LF in a chunk extension", "POST /v1/a HTTP/1.1\r\n" + head + "Transfer-Encoding: chunked\r\n\r\n1;a\nb\r\nx\r\n0\r\n\r\n" + smuggled},
		{"CR in a header value", "GET /v1/a HTTP/1.1\r\n" + head + "X-Note: a\rb\r\n\r\n"},
		{"NUL in a header value", "GET /v1/a HTTP/1.1\r\n" + head + "X-Note: a\x00b\r\n\r\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := hits.Load()
			status := sendRaw(t, gw, tc.request)
			time.Sleep(50 * time.Millisecond) // let a smuggled request arrive, if one got through
			if got := hits.Load() - before; got > 1 {
				t.Errorf("%d requests reached the upstream; want at most 1", got)
			}
			if !strings.Contains(status, " 400 ") && status != "" {
				t.Errorf("status line %q; want 400", status)
			}
		})
	}

	before := hits.Load()
	for _, path := range []string{"/v1/../admin", "/v1/%2e%2e/admin", "//admin", "/v1%2fadmin", "/v1/%252e%252e/admin", "/admin"} {
		status := sendRaw(t, gw, "GET "+path+" HTTP/1.1\r\n"+head+"Connection: close\r\n\r\n")
		if !strings.Contains(status, " 400 ") && !strings.Contains(status, " 404 ") {
			t.Errorf("GET %s = %q; want 400 or 404", path, status)
		}
	}
	if hits.Load() != before {
		t.Errorf("%d path tricks reached the upstream", hits.Load()-before)
	}

	// X-Forwarded-For from an untrusted peer is replaced, not extended.
	echo := echoUpstream(t)
	body["upstreams"] = []map[string]any{{"url": echo.URL}}
	body["slug"], body["hostnames"] = "sec-echo", []string{"echo.acme.test"}
	c.must("POST", "/api/v1/apps?wait=propagated", body, &app, 201)
	var k2 struct {
		Key string `json:"key"`
	}
	c.must("POST", "/api/v1/apps/"+app.AppID+"/api-keys?wait=propagated", map[string]any{"environment": "staging", "name": "e"}, &k2, 201)
	out := until(t, 200, func() (int, string) {
		return call(t, gw, "echo.acme.test", "/v1/x", "X-API-Key", k2.Key, "X-Forwarded-For", "6.6.6.6", "X-Forwarded-Host", "evil.example")
	})
	if strings.Contains(out, "6.6.6.6") || strings.Contains(out, "evil.example") || !strings.Contains(out, fmt.Sprintf("%q", "127.0.0.1")) {
		t.Errorf("upstream saw %s", out)
	}
}
