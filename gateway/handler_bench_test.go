package gateway

import (
	"io"
	"log/slog"
	"net"
	"testing"

	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"

	"github.com/aegis-oss/aegis/schema"
)

// BenchmarkRequestPath measures the CPU cost of one request through the
// gateway's handler, upstream on an in-memory listener, next to a bare
// fasthttp proxy's handler (one HostClient.Do) on the same upstream: the
// ratio is the gateway's own work, without the network or the load
// generator.
func BenchmarkRequestPath(b *testing.B) {
	g, key, dial := inMemoryGateway(b)
	bare := &fasthttp.HostClient{Addr: "upstream.test", Dial: dial}

	run := func(b *testing.B, handle func(*fasthttp.RequestCtx)) {
		var ctx fasthttp.RequestCtx
		var req fasthttp.Request
		ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 5555}, nil)
		b.ReportAllocs()
		for b.Loop() {
			ctx.Request.Reset()
			ctx.Response.Reset()
			ctx.Request.Header.SetMethod("GET")
			ctx.Request.SetRequestURI("/v1/orders/42?expand=items")
			ctx.Request.Header.SetHost("api.test")
			ctx.Request.Header.Set("X-API-Key", key)
			ctx.Request.Header.Set("User-Agent", "wrk")
			ctx.Request.Header.Set("Accept", "*/*")
			handle(&ctx)
			if ctx.Response.StatusCode() != 200 {
				b.Fatalf("status %d", ctx.Response.StatusCode())
			}
		}
	}
	b.Run("bare", func(b *testing.B) {
		run(b, func(ctx *fasthttp.RequestCtx) {
			if err := bare.Do(&ctx.Request, &ctx.Response); err != nil {
				ctx.Error("bad gateway", fasthttp.StatusBadGateway)
			}
		})
	})
	b.Run("key", func(b *testing.B) { run(b, g.handle) })
}

// inMemoryGateway returns a gateway node without NATS or a server, with
// the app of testApp whose upstream answers "ok" on an in-memory
// listener, an API key of the app, and the listener's dial function.
func inMemoryGateway(t testing.TB) (*Gateway, string, fasthttp.DialFunc) {
	ln := fasthttputil.NewInmemoryListener()
	t.Cleanup(func() { ln.Close() })
	go func() { _ = fasthttp.Serve(ln, func(ctx *fasthttp.RequestCtx) { ctx.SetBodyString("ok") }) }()
	dial := func(string) (net.Conn, error) { return ln.Dial() }

	v := newView(nil, nil)
	key := testApp(t, v, schema.AppConfig{Upstreams: []schema.Upstream{{URL: "http://upstream.test", Weight: 1}}})
	app, _ := v.route("api.test", "/v1/x")
	for _, tg := range app.upstreams.Targets() {
		tg.Client.Dial = dial
	}
	g := &Gateway{opts: Options{NodeID: "n", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxRequestBodySize: 10 << 20}, view: v}
	g.metrics = newMetrics(g)
	return g, key, dial
}
