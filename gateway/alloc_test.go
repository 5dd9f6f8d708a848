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
	requestPathAllocatesNothing(t, g, "X-API-Key", key)
}

// So does a request with a JWT the gateway verified before (a client sends
// the same token until it expires): the token cache answers.
func TestJWTRequestPathDoesNotAllocate(t *testing.T) {
	g, token := inMemoryJWTGateway(t)
	requestPathAllocatesNothing(t, g, "Authorization", "Bearer "+token)
}

// requestPathAllocatesNothing sends g requests with the credential header
// name: value, and fails unless the second and later allocate nothing.
func requestPathAllocatesNothing(t *testing.T, g *Gateway, name, value string) {
	t.Helper()
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
		ctx.Request.Header.Set(name, value)
		g.handle(&ctx)
	}
	send()
	if ctx.Response.StatusCode() != 200 || string(ctx.Response.Body()) != "ok" {
		t.Fatalf("answer %d %q", ctx.Response.StatusCode(), ctx.Response.Body())
	}
	if n := testing.AllocsPerRun(200, send); n != 0 {
		t.Fatalf("the request path with %s allocates %v times per request", name, n)
	}
}
