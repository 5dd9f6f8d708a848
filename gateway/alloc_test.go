//go:build !race

// The race detector changes what allocates (sync.Pool drops entries at
// random under it), so this test runs without it: make test runs it in a
// pass of its own.

package gateway

import (
	"net"
	"testing"

	"github.com/valyala/fasthttp"
)

// The authenticated request path, from the request's arrival to the
// upstream's answer, allocates nothing once warm: route, API key check,
// tenant headers, proxy, metrics.
func TestAPIKeyRequestPathDoesNotAllocate(t *testing.T) {
	g, key, _ := inMemoryGateway(t)
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
