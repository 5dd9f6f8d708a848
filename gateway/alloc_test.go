//go:build !race

// The race detector changes what allocates (sync.Pool drops entries at
// random under it), so this test runs without it: make test runs it in a
// pass of its own.

package gateway

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"testing"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"

	"github.com/aegis-oss/aegis/schema"
)

// The authenticated request path, from the request's arrival to the
// upstream's answer, allocates nothing once warm: route, API key check,
// tenant headers, proxy, metrics.
func TestAPIKeyRequestPathDoesNotAllocate(t *testing.T) {
	ln := fasthttputil.NewInmemoryListener()
	defer ln.Close()
	go func() { _ = fasthttp.Serve(ln, func(ctx *fasthttp.RequestCtx) { ctx.SetBodyString("ok") }) }()

	v := newView(nil, nil)
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
	cfg := schema.AppConfig{Name: "a", Slug: "a", Hostnames: []string{"api.test"}, PathPrefixes: []string{"/v1"},
		Upstreams: []schema.Upstream{{URL: "http://upstream.test", Weight: 1}}, AuthMode: schema.AuthAPIKey, Status: schema.AppActive}
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
	app, _ := v.route("api.test", "/v1/x")
	for _, tg := range app.upstreams.Targets() {
		tg.Client.Dial = func(string) (net.Conn, error) { return ln.Dial() }
	}

	g := &Gateway{opts: Options{NodeID: "n", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, view: v}
	g.metrics = newMetrics(g)
	var ctx fasthttp.RequestCtx
	var req fasthttp.Request
	remote := &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5555}
	ctx.Init(&req, remote, nil)
	send := func() {
		// As the server does between requests on a connection.
		ctx.Request.Reset()
		ctx.Response.Reset()
		ctx.Request.Header.SetMethod("GET")
		ctx.Request.SetRequestURI("/v1/orders/../items?x=1")
		ctx.Request.Header.SetHost("api.test")
		ctx.Request.Header.Set("X-API-Key", key)
		g.handle(&ctx)
	}
	send()
	if ctx.Response.StatusCode() != 200 || string(ctx.Response.Body()) != "ok" {
		t.Fatalf("answer %d %q", ctx.Response.StatusCode(), ctx.Response.Body())
	}
	if n := testing.AllocsPerRun(200, send); n != 0 {
		t.Fatalf("the API key request path allocates %v times per request", n)
	}
}
