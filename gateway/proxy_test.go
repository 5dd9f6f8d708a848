package gateway

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/aegis-oss/aegis/schema"
)

// testApp puts one app into v, routed at api.test/v1, with cfg's
// upstreams, timeouts, limits and auth mode (api_key unless set), and an
// API key for it, which it returns.
func testApp(t testing.TB, v *view, cfg schema.AppConfig) string {
	t.Helper()
	put := func(bucket, key string, rec any) {
		t.Helper()
		b, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		if err := v.apply(bucket, key, b); err != nil {
			t.Fatal(err)
		}
	}
	cfg.Name, cfg.Slug, cfg.Status = "a", "a", schema.AppActive
	cfg.Hostnames, cfg.PathPrefixes = []string{"api.test"}, []string{"/v1"}
	if cfg.AuthMode == "" {
		cfg.AuthMode = schema.AuthAPIKey
	}
	put(schema.BucketApps, schema.AppKey("app-1"), schema.AppRecord{Stamp: schema.Stamp{Revision: 1}, AppID: "app-1", CustomerID: "c-1", Config: &cfg})
	put(schema.BucketApps, schema.CustomerKey("c-1"), schema.CustomerRecord{Stamp: schema.Stamp{Revision: 1}, CustomerID: "c-1", Status: "active"})
	put(schema.BucketRoutes, schema.RouteKey("api.test", "/v1"), schema.RouteRecord{Stamp: schema.Stamp{Revision: 1}, Host: "api.test", PathPrefix: "/v1", AppID: "app-1"})
	key, _, _, _, err := schema.NewAPIKey(schema.EnvProduction)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(key))
	put(schema.BucketKeys, hex.EncodeToString(sum[:]), schema.KeyRecord{Stamp: schema.Stamp{Revision: 1}, KeyID: "k-1", AppID: "app-1",
		CustomerID: "c-1", Environment: schema.EnvProduction, TenantID: "tenant-1"})
	return key
}

// proxyEnv is a gateway node serving one app on loopback, without NATS.
type proxyEnv struct {
	g    *Gateway
	addr string // host:port of the gateway
	key  string // an API key of the app
}

func newProxyEnv(t *testing.T, opts Options, cfg schema.AppConfig) *proxyEnv {
	t.Helper()
	opts.NodeID = "n"
	opts.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	if opts.MaxRequestBodySize == 0 {
		opts.MaxRequestBodySize = 10 << 20
	}
	g := &Gateway{opts: opts, view: newView(nil, nil)}
	key := testApp(t, g.view, cfg)
	g.metrics = newMetrics(g)
	g.server = g.newServer()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go g.server.Serve(ln)                     //nolint:errcheck // ends with Shutdown
	t.Cleanup(func() { g.server.Shutdown() }) //nolint:errcheck
	return &proxyEnv{g: g, addr: ln.Addr().String(), key: key}
}

// do sends a request with the app's key through the gateway.
func (e *proxyEnv) do(t *testing.T, method string, body io.Reader, size int64) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, "http://"+e.addr+"/v1/things", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Host = "api.test"
	req.ContentLength = size
	req.Header.Set("X-API-Key", e.key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func upstreams(urls ...string) []schema.Upstream {
	var ups []schema.Upstream
	for _, u := range urls {
		ups = append(ups, schema.Upstream{URL: u, Weight: 1})
	}
	return ups
}

// deadURL returns the URL of a loopback port that refuses connections.
func deadURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

// countingServer is an upstream that answers "ok" and counts requests by
// method.
func countingServer(t *testing.T) (*httptest.Server, map[string]*atomic.Int64) {
	t.Helper()
	seen := map[string]*atomic.Int64{"GET": {}, "POST": {}, "PUT": {}, "DELETE": {}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		seen[r.Method].Add(1)
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv, seen
}

func TestIdempotentRequestIsRetriedOnTheNextTargetWhenNoConnectionWasMade(t *testing.T) {
	good, seen := countingServer(t)
	e := newProxyEnv(t, Options{}, schema.AppConfig{Upstreams: upstreams(deadURL(t), good.URL)})

	// Round robin sends the first request to the dead target: the GET
	// goes on to the good one.
	if resp := e.do(t, "GET", nil, 0); resp.StatusCode != 200 {
		t.Fatalf("GET: status %d, want 200 after a retry", resp.StatusCode)
	}
	if got := testutil.ToFloat64(e.g.metrics.retries); got != 1 {
		t.Errorf("retries = %v, want 1", got)
	}
	// The third pick is the dead target again: a POST is not sent twice.
	resp := e.do(t, "POST", strings.NewReader("order"), 5)
	if resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("POST: status %d, want 502", resp.StatusCode)
	}
	if n := seen["POST"].Load(); n != 0 {
		t.Errorf("the good upstream saw %d POSTs, want 0: a POST is never retried", n)
	}
}

func TestIdempotentRequestIsRetriedWhenTheUpstreamClosesWithoutAnswering(t *testing.T) {
	// An upstream that answers "ok", except that when drop is set it
	// reads the next request and closes the connection without a byte of
	// answer.
	var up struct{ drop, seen atomic.Int64 }
	url, _ := rawServer(t, func(string, string) string {
		up.seen.Add(1)
		if up.drop.Swap(0) == 1 {
			return ""
		}
		return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
	})
	e := newProxyEnv(t, Options{}, schema.AppConfig{Upstreams: upstreams(url)})

	up.drop.Store(1)
	if resp := e.do(t, "GET", nil, 0); resp.StatusCode != 200 {
		t.Fatalf("GET: status %d, want 200 after a retry", resp.StatusCode)
	}
	if n := up.seen.Load(); n != 2 {
		t.Errorf("upstream saw %d requests, want 2 (the dropped one and the retry)", n)
	}

	up.drop.Store(1)
	resp := e.do(t, "POST", strings.NewReader("order"), 5)
	if resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("POST: status %d, want 502", resp.StatusCode)
	}
	if n := up.seen.Load(); n != 3 {
		t.Errorf("upstream saw %d requests, want 3: the POST is sent once", n)
	}

	// A PUT is idempotent, but its body was streamed: it cannot be sent
	// again.
	up.drop.Store(1)
	if resp := e.do(t, "PUT", strings.NewReader("state"), 5); resp.StatusCode != http.StatusBadGateway {
		t.Fatalf("PUT with a body: status %d, want 502", resp.StatusCode)
	}
	if n := up.seen.Load(); n != 4 {
		t.Errorf("upstream saw %d requests, want 4: the PUT is sent once", n)
	}
}

func TestTimeoutIsNotRetried(t *testing.T) {
	var seen atomic.Int64
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.Add(1)
		time.Sleep(300 * time.Millisecond)
	}))
	t.Cleanup(slow.Close)
	e := newProxyEnv(t, Options{}, schema.AppConfig{Upstreams: upstreams(slow.URL, slow.URL), Timeouts: schema.Timeouts{ReadMS: 50}})

	resp := e.do(t, "GET", nil, 0)
	if resp.StatusCode != http.StatusGatewayTimeout {
		t.Fatalf("status %d, want 504", resp.StatusCode)
	}
	time.Sleep(400 * time.Millisecond)
	if n := seen.Load(); n != 1 {
		t.Errorf("the upstreams saw %d requests, want 1: a timeout is not retried", n)
	}
}

func randomBytes(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return b
}

func TestLargeAnswersAreStreamedAndTheConnectionReused(t *testing.T) {
	body := randomBytes(t, 3<<20)
	var conns atomic.Int64
	firstSent, clientGotFirst := make(chan struct{}), make(chan struct{})
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("kind") {
		case "length":
			w.Header().Set("Content-Length", fmt.Sprint(len(body)))
			_, _ = w.Write(body)
		case "chunked":
			_, _ = w.Write(body)
		case "trickle": // the rest waits until the client has the start
			_, _ = w.Write(body[:1000])
			w.(http.Flusher).Flush()
			close(firstSent)
			select {
			case <-clientGotFirst:
			case <-time.After(10 * time.Second):
			}
			_, _ = w.Write(body[1000:])
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	e := newProxyEnv(t, Options{}, schema.AppConfig{Upstreams: upstreams(srv.URL)})

	get := func(kind string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", "http://"+e.addr+"/v1/file?kind="+kind, nil)
		req.Host = "api.test"
		req.Header.Set("X-API-Key", e.key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	for _, kind := range []string{"length", "chunked", "length"} {
		resp := get(kind)
		got, err := io.ReadAll(resp.Body)
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("%s: read %d bytes (%v), want the upstream's %d", kind, len(got), err, len(body))
		}
		if kind == "chunked" && resp.ContentLength != -1 {
			t.Errorf("chunked: the client was told Content-Length %d, want none", resp.ContentLength)
		}
	}
	if n := conns.Load(); n != 1 {
		t.Errorf("the upstream saw %d connections, want 1: a streamed answer read to its end frees its connection", n)
	}

	// The client gets the start of an answer before the upstream has
	// sent the rest: nothing is buffered whole.
	resp := get("trickle")
	start := make([]byte, 1000)
	if _, err := io.ReadFull(resp.Body, start); err != nil {
		t.Fatal(err)
	}
	close(clientGotFirst)
	rest, err := io.ReadAll(resp.Body)
	if err != nil || !bytes.Equal(append(start, rest...), body) {
		t.Fatalf("trickle: got %d bytes (%v), want the upstream's %d", 1000+len(rest), err, len(body))
	}
}

func TestAnswersLargerThanTheLimitAreRefusedOrCut(t *testing.T) {
	const limit = 1 << 20
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := 2 * limit
		if r.URL.Query().Get("small") != "" {
			n = limit
		}
		if r.URL.Query().Get("length") != "" {
			w.Header().Set("Content-Length", fmt.Sprint(n))
		}
		_, _ = w.Write(make([]byte, n))
	}))
	t.Cleanup(srv.Close)
	e := newProxyEnv(t, Options{MaxResponseBodySize: limit}, schema.AppConfig{Upstreams: upstreams(srv.URL)})
	get := func(query string) (*http.Response, []byte, error) {
		req, _ := http.NewRequest("GET", "http://"+e.addr+"/v1/file?"+query, nil)
		req.Host = "api.test"
		req.Header.Set("X-API-Key", e.key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp, b, err
	}

	resp, b, _ := get("length=1")
	if resp.StatusCode != http.StatusBadGateway || !bytes.Contains(b, []byte(`"code":"bad_gateway"`)) {
		t.Errorf("announced as too large: %d %.100s, want 502 bad_gateway", resp.StatusCode, b)
	}
	if _, b, err := get(""); err == nil || len(b) > limit {
		t.Errorf("growing past the limit: read %d bytes, err %v; want at most %d and an error", len(b), err, limit)
	}
	if _, b, err := get("small=1"); err != nil || len(b) != limit {
		t.Errorf("at the limit: read %d bytes, err %v; want %d", len(b), err, limit)
	}
}

func TestRequestBodiesAreStreamedAndLimited(t *testing.T) {
	const limit = 100 << 10
	type seenBody struct {
		sum    [32]byte
		length int64
		te     []string
	}
	got := make(chan seenBody, 10)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- seenBody{sha256.Sum256(b), r.ContentLength, r.TransferEncoding}
	}))
	t.Cleanup(srv.Close)
	e := newProxyEnv(t, Options{MaxRequestBodySize: limit}, schema.AppConfig{Upstreams: upstreams(srv.URL)})

	within := randomBytes(t, limit-1000)
	if resp := e.do(t, "POST", bytes.NewReader(within), int64(len(within))); resp.StatusCode != 200 {
		t.Fatalf("body of known length within the limit: status %d", resp.StatusCode)
	}
	if s := <-got; s.sum != sha256.Sum256(within) || s.length != int64(len(within)) {
		t.Errorf("the upstream got a body of %d bytes that differs from the client's", s.length)
	}
	// A chunked body is read whole, checked, and sent with its length.
	if resp := e.do(t, "POST", io.MultiReader(bytes.NewReader(within)), -1); resp.StatusCode != 200 {
		t.Fatalf("chunked body within the limit: status %d", resp.StatusCode)
	}
	if s := <-got; s.sum != sha256.Sum256(within) || s.length != int64(len(within)) || len(s.te) != 0 {
		t.Errorf("chunked: the upstream got %d bytes (transfer encoding %v), want %d with a length", s.length, s.te, len(within))
	}

	// Just over the limit: the body is read and dropped, and the client
	// gets a clean 413.
	over := randomBytes(t, limit+1000)
	for _, size := range []int64{int64(len(over)), -1} {
		resp := e.do(t, "POST", io.MultiReader(bytes.NewReader(over)), size)
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !bytes.Contains(b, []byte(`"code":"too_large"`)) {
			t.Errorf("body of %d bytes (size %d): %d %.100s, want 413 too_large", len(over), size, resp.StatusCode, b)
		}
	}
	// Far over it, the gateway does not read it: the answer is 413 and
	// the connection closes, which the client may see as a reset while it
	// is still sending.
	huge := make([]byte, 8<<20)
	req, _ := http.NewRequest("POST", "http://"+e.addr+"/v1/things", bytes.NewReader(huge))
	req.Host = "api.test"
	req.Header.Set("X-API-Key", e.key)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge || !resp.Close {
			t.Errorf("huge body: %d (close %v), want 413 and the connection closed", resp.StatusCode, resp.Close)
		}
	}
	select {
	case s := <-got:
		t.Errorf("a body over the limit reached the upstream (%d bytes)", s.length)
	default:
	}
}

// rawExchange writes req on a new connection to the gateway and returns
// everything the gateway sends back until it closes the connection or
// goes quiet.
func rawExchange(t *testing.T, addr, req string) string {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	_ = c.SetReadDeadline(time.Now().Add(2 * time.Second))
	b, _ := io.ReadAll(c)
	return string(b)
}

func TestBodyTooLargeIsRefusedBeforeContinue(t *testing.T) {
	srv, seen := countingServer(t)
	e := newProxyEnv(t, Options{MaxRequestBodySize: 1000}, schema.AppConfig{Upstreams: upstreams(srv.URL)})
	got := rawExchange(t, e.addr, "POST /v1/x HTTP/1.1\r\nHost: api.test\r\nX-API-Key: "+e.key+
		"\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
	if !strings.HasPrefix(got, "HTTP/1.1 417 ") {
		t.Errorf("answer %.60q, want 417 before the body is sent", got)
	}
	if n := seen["POST"].Load(); n != 0 {
		t.Errorf("upstream saw %d POSTs, want 0", n)
	}
}

// A body the gateway does not forward is never read as the next request
// on the connection.
func TestUnforwardedBodyEndsTheConnection(t *testing.T) {
	srv, seen := countingServer(t)
	e := newProxyEnv(t, Options{}, schema.AppConfig{Upstreams: upstreams(srv.URL)})
	inner := "GET /v1/x HTTP/1.1\r\nHost: api.test\r\nX-API-Key: " + e.key + "\r\n\r\n"
	inner += strings.Repeat("x", 20000-len(inner))
	got := rawExchange(t, e.addr, "POST /v1/x HTTP/1.1\r\nHost: api.test\r\nX-API-Key: wrong\r\n"+
		fmt.Sprintf("Content-Length: %d\r\n\r\n", len(inner))+inner)
	if !strings.HasPrefix(got, "HTTP/1.1 401 ") || strings.Count(got, "HTTP/1.1 ") != 1 {
		t.Errorf("answers %.200q, want one 401 and the connection closed", got)
	}
	if n := seen["GET"].Load() + seen["POST"].Load(); n != 0 {
		t.Errorf("upstream saw %d requests, want 0", n)
	}
}

// rawServer is an upstream on raw TCP that answers each request with
// answer(method, path), keeping the connection unless the answer says
// close; an empty answer closes the connection without a byte.
func rawServer(t *testing.T, answer func(method, path string) string) (url string, conns *atomic.Int64) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	conns = new(atomic.Int64)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			go func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					_, _ = io.Copy(io.Discard, req.Body)
					a := answer(req.Method, req.URL.Path)
					if a == "" {
						return
					}
					if _, err := io.WriteString(c, a); err != nil || strings.Contains(a, "Connection: close") {
						return
					}
				}
			}()
		}
	}()
	return "http://" + ln.Addr().String(), conns
}

func TestAnswersOfEveryFraming(t *testing.T) {
	long := strings.Repeat("z", 100<<10)
	url, conns := rawServer(t, func(method, path string) string {
		switch path {
		case "/v1/head":
			return "HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n"
		case "/v1/empty":
			return "HTTP/1.1 204 No Content\r\n\r\n"
		case "/v1/trailers":
			return "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTrailer: X-Sum\r\n\r\n5\r\nhello\r\n0\r\nX-Sum: 1\r\n\r\n"
		case "/v1/short":
			return "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\nonly this"
		case "/v1/close":
			return "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + long
		}
		return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
	})
	e := newProxyEnv(t, Options{}, schema.AppConfig{Upstreams: upstreams(url)})
	call := func(method, path string) (*http.Response, string, error) {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+e.addr+path, nil)
		req.Host = "api.test"
		req.Header.Set("X-API-Key", e.key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return &http.Response{}, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp, string(b), err
	}

	if resp, b, err := call("HEAD", "/v1/head"); err != nil || resp.StatusCode != 200 || resp.ContentLength != 1234 || b != "" {
		t.Errorf("HEAD: %d, length %d, body %q, %v; want 200 with the upstream's length and no body", resp.StatusCode, resp.ContentLength, b, err)
	}
	if resp, b, err := call("GET", "/v1/empty"); err != nil || resp.StatusCode != 204 || b != "" {
		t.Errorf("204: %d %q %v", resp.StatusCode, b, err)
	}
	before := conns.Load()
	for range 2 { // the trailers are read, so the connection serves again
		if resp, b, err := call("GET", "/v1/trailers"); err != nil || resp.StatusCode != 200 || b != "hello" {
			t.Errorf("chunked with trailers: %d %q %v", resp.StatusCode, b, err)
		}
	}
	if resp, b, err := call("GET", "/v1/ok"); err != nil || b != "ok" {
		t.Errorf("after trailers: %d %q %v", resp.StatusCode, b, err)
	}
	if n := conns.Load() - before; n > 1 {
		t.Errorf("%d upstream connections for three requests, want at most 1", n)
	}
	if _, b, err := call("GET", "/v1/close"); err != nil || b != long {
		t.Errorf("body ended by closing: read %d bytes, %v; want %d", len(b), err, len(long))
	}
	if _, b, err := call("GET", "/v1/short"); err == nil {
		t.Errorf("an answer shorter than its Content-Length reached the client whole (%d bytes) without an error", len(b))
	}
}

func TestHopByHopAndSpoofedHeadersAreRemoved(t *testing.T) {
	seen := make(chan http.Header, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen <- r.Header.Clone()
		w.Header().Set("Keep-Alive", "timeout=5")
		w.Header().Set("Proxy-Authenticate", "Basic")
		w.Header().Set("Upgrade", "h2c")
		w.Header().Set("X-Kept", "yes")
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	e := newProxyEnv(t, Options{}, schema.AppConfig{Upstreams: upstreams(srv.URL)})
	got := rawExchange(t, e.addr, "GET /v1/x HTTP/1.1\r\nHost: api.test\r\nX-API-Key: "+e.key+"\r\n"+
		"X-Aegis-Tenant-Id: spoofed\r\nx-aegis-user-id: spoofed\r\nX-AEGIS-ANYTHING: spoofed\r\n"+
		"Keep-Alive: timeout=5\r\nProxy-Authorization: Basic eA==\r\nTE: trailers\r\nUpgrade: h2c\r\nHTTP2-Settings: AAA\r\n"+
		"X-Named: gone\r\nX-Other: kept\r\nConnection: X-Named, X-Aegis-App-Id, close\r\n\r\n")
	h := <-seen
	for _, name := range []string{"X-Api-Key", "X-Aegis-User-Id", "X-Aegis-Anything", "Keep-Alive", "Proxy-Authorization", "Te",
		"Upgrade", "Http2-Settings", "X-Named", "Connection"} {
		if v := h.Values(name); len(v) > 0 {
			t.Errorf("the upstream got %s: %q", name, v)
		}
	}
	for name, want := range map[string]string{"X-Aegis-Tenant-Id": "tenant-1", "X-Aegis-App-Id": "app-1", "X-Aegis-Key-Env": "production", "X-Other": "kept"} {
		if v := h.Values(name); len(v) != 1 || v[0] != want {
			t.Errorf("the upstream got %s: %q, want %q", name, v, want)
		}
	}
	head, _, _ := strings.Cut(got, "\r\n\r\n")
	for _, name := range []string{"Keep-Alive", "Proxy-Authenticate", "Upgrade"} {
		if strings.Contains(strings.ToLower(head), strings.ToLower(name)+":") {
			t.Errorf("the client got %s in %q", name, head)
		}
	}
	if !strings.Contains(head, "Connection: close") {
		t.Errorf("the client asked to close (in a list of names), but the answer does not say close: %q", head)
	}
	if !strings.Contains(head, "X-Kept: yes") {
		t.Errorf("the client lost an end-to-end header: %q", head)
	}
}

// A large body on a slow link gets the time to arrive at minBodyRate, past
// the ReadTimeout that bounds every request.
func TestSlowLargeUploadOutlastsTheReadTimeout(t *testing.T) {
	got := make(chan int, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		got <- len(b)
	}))
	t.Cleanup(srv.Close)
	e := newProxyEnv(t, Options{ReadTimeout: 300 * time.Millisecond}, schema.AppConfig{Upstreams: upstreams(srv.URL)})

	const size = 128 << 10 // two seconds' worth at minBodyRate
	c, err := net.Dial("tcp", e.addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := fmt.Fprintf(c, "POST /v1/upload HTTP/1.1\r\nHost: api.test\r\nX-API-Key: %s\r\nContent-Length: %d\r\n\r\n", e.key, size); err != nil {
		t.Fatal(err)
	}
	chunk := make([]byte, size/8)
	for range 8 { // 0.8 s in all, well past the read timeout
		if _, err := c.Write(chunk); err != nil {
			t.Fatalf("the gateway stopped reading the body: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
	_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d, want 200", resp.StatusCode)
	}
	if n := <-got; n != size {
		t.Errorf("the upstream got %d bytes, want %d", n, size)
	}
}
