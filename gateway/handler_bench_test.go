package gateway

import (
	"crypto/rand"
	"io"
	"log/slog"
	"net"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
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
	jg, token := inMemoryJWTGateway(b)
	bearer := "Bearer " + token
	b.Run("jwt", func(b *testing.B) {
		run(b, func(ctx *fasthttp.RequestCtx) {
			ctx.Request.Header.Del("X-API-Key")
			ctx.Request.Header.Set("Authorization", bearer)
			jg.handle(ctx)
		})
	})
}

// inMemoryGateway returns a gateway node without NATS or a server, with
// the app of testApp whose upstream answers "ok" on an in-memory
// listener, an API key of the app, and the listener's dial function.
func inMemoryGateway(t testing.TB) (*Gateway, string, fasthttp.DialFunc) {
	return newInMemoryGateway(t, nil, schema.AppConfig{})
}

// inMemoryJWTGateway is inMemoryGateway with an app that takes HS256 JWTs
// only, and a token of it, valid for an hour.
func inMemoryJWTGateway(t testing.TB) (*Gateway, string) {
	master := make([]byte, schema.MasterKeySize)
	if _, err := rand.Read(master); err != nil {
		t.Fatal(err)
	}
	secret := []byte("a-long-random-hs256-secret-of-the-app")
	sealed, err := schema.Seal(master, secret, JWTSecretAAD)
	if err != nil {
		t.Fatal(err)
	}
	g, _, _ := newInMemoryGateway(t, master, schema.AppConfig{AuthMode: schema.AuthJWT,
		JWT: &schema.JWTConfig{Algorithms: []string{"HS256"}, HS256SecretSealed: sealed}})
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": "user-1", "tenant_id": "tenant-1", "exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString(secret)
	if err != nil {
		t.Fatal(err)
	}
	return g, token
}

// newInMemoryGateway does inMemoryGateway's work for an app of cfg, its
// JWT secret sealed with masterKey.
func newInMemoryGateway(t testing.TB, masterKey []byte, cfg schema.AppConfig) (*Gateway, string, fasthttp.DialFunc) {
	ln := fasthttputil.NewInmemoryListener()
	t.Cleanup(func() { ln.Close() })
	go func() { _ = fasthttp.Serve(ln, func(ctx *fasthttp.RequestCtx) { ctx.SetBodyString("ok") }) }()
	dial := func(string) (net.Conn, error) { return ln.Dial() }

	v := newView(masterKey, nil)
	cfg.Upstreams = []schema.Upstream{{URL: "http://upstream.test", Weight: 1}}
	key := testApp(t, v, cfg)
	app, _ := v.route("api.test", "/v1/x")
	for _, tg := range app.upstreams.Targets() {
		tg.Client.Dial = dial
	}
	g := &Gateway{opts: Options{NodeID: "n", Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), MaxRequestBodySize: 10 << 20}, view: v}
	g.metrics = newMetrics(g)
	return g, key, dial
}
