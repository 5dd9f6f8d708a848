package gateway

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"net"
	"net/netip"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/aegis-oss/aegis/schema"
)

// Headers the gateway sets for the upstream. Whatever a client sends
// under the X-Aegis- prefix is removed first.
const (
	headerTenant    = "X-Aegis-Tenant-Id"
	headerUser      = "X-Aegis-User-Id"
	headerApp       = "X-Aegis-App-Id"
	headerKeyEnv    = "X-Aegis-Key-Env"
	headerRequestID = "X-Request-Id"
	headerAPIKey    = "X-API-Key"
	aegisPrefix     = "X-Aegis-"
)

// hopByHop are the headers of one connection, never forwarded (RFC 9110
// 7.6.1), besides those the Connection header names.
var hopByHop = []string{"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade", "Http2-Settings"}

// scratch holds a request's working buffers: its normalised path, and room
// for the small values (request id, addresses) built while it is served.
type scratch struct {
	b   []byte // the normalised path
	tmp []byte
}

var scratches = sync.Pool{New: func() any {
	return &scratch{b: make([]byte, 0, 256), tmp: make([]byte, 0, 128)}
}}

// serve answers one request through the gateway: route, authenticate, add
// the tenant context, proxy. It returns the id of the app that served it,
// "" if none did.
func (g *Gateway) serve(ctx *fasthttp.RequestCtx) string {
	pb := scratches.Get().(*scratch)
	defer scratches.Put(pb)
	g.setRequestID(ctx, pb)
	if ambiguousFraming(&ctx.Request.Header) {
		ctx.SetConnectionClose()
		fail(ctx, schema.CodeInvalid, "the request's length is given in two ways")
		return ""
	}
	var ok bool
	pb.b, ok = NormalizePath(pb.b[:0], ctx.Request.URI().PathOriginal())
	if !ok {
		fail(ctx, schema.CodeInvalid, "the request path is malformed or escapes its root")
		return ""
	}
	app, ok := g.view.route(b2s(hostOnly(ctx.Request.Header.Host())), b2s(pb.b))
	if !ok {
		fail(ctx, schema.CodeNotFound, "no app serves this host and path")
		return ""
	}
	if app.config.Status != schema.AppActive || g.view.suspended(app.customerID) {
		fail(ctx, schema.CodeForbidden, "this app is suspended")
		return app.id
	}
	who, ok := g.authenticate(ctx, app)
	if !ok {
		return app.id
	}
	g.prepare(ctx, app, who, pb)
	g.proxy(ctx, app, pb)
	return app.id
}

// principal is who a request acts as, once authenticated: the tenant
// context the upstream receives.
type principal struct {
	tenant, user, env string
}

// authenticate checks the request's credential against the app: an API key
// (auth_mode api_key or both) or a JWT (jwt or both). It answers the
// request itself and returns false when the credential is missing,
// malformed, unknown, expired, revoked or not the app's.
func (g *Gateway) authenticate(ctx *fasthttp.RequestCtx, app *appEntry) (principal, bool) {
	raw := apiKeyOf(&ctx.Request.Header)
	if len(raw) == 0 {
		fail(ctx, schema.CodeUnauthorized, "send an API key as X-API-Key, or a credential as Authorization: Bearer")
		return principal{}, false
	}
	mode := app.config.AuthMode
	// The checksum tells an API key from anything else before any lookup.
	if _, isKey := schema.ParseAPIKey(b2s(raw)); isKey && mode != schema.AuthJWT {
		e, ok := g.view.key(sha256.Sum256(raw))
		if !ok || e.appID != app.id || !e.usable(nowNanos()) {
			fail(ctx, schema.CodeUnauthorized, "the API key is invalid, expired or revoked")
			return principal{}, false
		}
		return principal{tenant: e.tenantID, env: e.environment}, true
	}
	if mode == schema.AuthAPIKey {
		fail(ctx, schema.CodeUnauthorized, "the API key is malformed")
		return principal{}, false
	}
	if app.jwt == nil {
		fail(ctx, schema.CodeUnauthorized, "this app's JWT settings cannot be used; ask its owner to fix them")
		return principal{}, false
	}
	claims, err := app.jwt.Verify(raw, time.Now())
	if err != nil {
		fail(ctx, schema.ErrorCode(err), schema.ErrorMessage(err))
		return principal{}, false
	}
	return principal{tenant: claims.Tenant, user: claims.User}, true
}

// apiKeyOf returns the credential of "X-API-Key" or "Authorization: Bearer".
func apiKeyOf(h *fasthttp.RequestHeader) []byte {
	if v := h.Peek(headerAPIKey); len(v) > 0 {
		return v
	}
	v := h.Peek(fasthttp.HeaderAuthorization)
	if len(v) > 7 && (bytes.HasPrefix(v, []byte("Bearer ")) || bytes.HasPrefix(v, []byte("bearer "))) {
		return bytes.TrimSpace(v[7:])
	}
	return nil
}

// prepare turns the client's request into the upstream's: the evaluated
// path, no hop-by-hop or X-Aegis- headers from the client, no credential,
// the tenant context and the forwarding headers.
func (g *Gateway) prepare(ctx *fasthttp.RequestCtx, app *appEntry, who principal, pb *scratch) {
	h := &ctx.Request.Header
	// Headers the Connection header names are hop-by-hop too: drop them
	// first, so that naming X-Aegis-Tenant-Id there cannot remove ours.
	if conn := h.Peek(fasthttp.HeaderConnection); len(conn) > 0 {
		pb.tmp = append(pb.tmp[:0], conn...) // Del changes the header's bytes
		for rest := pb.tmp; len(rest) > 0; {
			name := rest
			if i := bytes.IndexByte(rest, ','); i >= 0 {
				name, rest = rest[:i], rest[i+1:]
			} else {
				rest = nil
			}
			if name = bytes.TrimSpace(name); len(name) > 0 {
				h.DelBytes(name)
			}
		}
	}
	for _, name := range hopByHop {
		h.Del(name)
	}
	deleteAegisHeaders(h)
	h.Del(headerAPIKey)
	h.Del(fasthttp.HeaderAuthorization)

	h.Set(headerApp, app.id)
	if who.env != "" {
		h.Set(headerKeyEnv, who.env)
	}
	if who.tenant != "" {
		h.Set(headerTenant, who.tenant)
	}
	if who.user != "" {
		h.Set(headerUser, who.user)
	}
	g.setForwarded(ctx, pb)
	ctx.Request.URI().SetPathBytes(pb.b)
}

// deleteAegisHeaders removes every header whose name starts with X-Aegis-.
// The common case, a request with none, is found in the raw headers
// without allocating.
func deleteAegisHeaders(h *fasthttp.RequestHeader) {
	if !containsFold(h.RawHeaders(), aegisPrefix) {
		return
	}
	var found []byte
	for {
		found = found[:0]
		for key := range h.All() {
			if len(key) >= len(aegisPrefix) && bytes.EqualFold(key[:len(aegisPrefix)], s2b(aegisPrefix)) {
				found = append(found, key...)
				break
			}
		}
		if len(found) == 0 {
			return
		}
		h.DelBytes(found)
	}
}

// setForwarded sets X-Forwarded-For, -Proto and -Host. Those a client sent
// are kept (and extended) only when the client is a trusted proxy.
func (g *Gateway) setForwarded(ctx *fasthttp.RequestCtx, pb *scratch) {
	h := &ctx.Request.Header
	peer := peerAddr(ctx.RemoteAddr())
	trusted := g.trusted(peer)
	pb.tmp = pb.tmp[:0]
	if prior := h.Peek("X-Forwarded-For"); trusted && len(prior) > 0 {
		pb.tmp = append(append(pb.tmp, prior...), ", "...)
	}
	pb.tmp = peer.AppendTo(pb.tmp)
	h.SetBytesV("X-Forwarded-For", pb.tmp)
	if !trusted || len(h.Peek("X-Forwarded-Proto")) == 0 {
		proto := "http"
		if ctx.IsTLS() {
			proto = "https"
		}
		h.Set("X-Forwarded-Proto", proto)
	}
	if !trusted || len(h.Peek("X-Forwarded-Host")) == 0 {
		h.SetBytesV("X-Forwarded-Host", h.Host())
	}
}

func (g *Gateway) trusted(peer netip.Addr) bool {
	for _, p := range g.opts.TrustedProxies {
		if p.Contains(peer) {
			return true
		}
	}
	return false
}

func peerAddr(a net.Addr) netip.Addr {
	if t, ok := a.(*net.TCPAddr); ok {
		if ip, ok := netip.AddrFromSlice(t.IP); ok {
			return ip.Unmap()
		}
	}
	return netip.IPv4Unspecified()
}

// proxy sends the prepared request to one of the app's upstreams and
// passes the answer back, without its hop-by-hop headers.
func (g *Gateway) proxy(ctx *fasthttp.RequestCtx, app *appEntry, pb *scratch) {
	target, ok := app.upstreams.Next()
	if !ok {
		fail(ctx, schema.CodeUnavailable, "the app has no upstream")
		return
	}
	// The upstream is addressed as itself: its scheme and host (the
	// client's host travels in X-Forwarded-Host).
	uri := ctx.Request.URI()
	uri.SetScheme(target.Scheme)
	uri.SetHost(target.Host)
	ctx.Request.Header.SetHostBytes(s2b(target.Host))
	pb.tmp = append(pb.tmp[:0], ctx.Response.Header.Peek(headerRequestID)...)
	err := target.Client.Do(&ctx.Request, &ctx.Response)
	ctx.Response.Header.SetBytesV(headerRequestID, pb.tmp)
	if err != nil {
		target.Failed()
		if errors.Is(err, fasthttp.ErrTimeout) || errors.Is(err, fasthttp.ErrDialTimeout) {
			fail(ctx, schema.CodeTimeout, "the upstream did not answer in time")
			return
		}
		fail(ctx, schema.CodeBadGateway, "the upstream could not be reached")
		return
	}
	target.Succeeded()
	for _, name := range hopByHop {
		if name != "Transfer-Encoding" {
			ctx.Response.Header.Del(name)
		}
	}
}

// setRequestID gives the request an id, "<node>-<sequence>", on the
// request to the upstream and on the answer.
func (g *Gateway) setRequestID(ctx *fasthttp.RequestCtx, pb *scratch) {
	id := append(pb.tmp[:0], g.opts.NodeID...)
	id = append(id, '-')
	id = strconv.AppendUint(id, g.seq.Add(1), 36)
	pb.tmp = id
	ctx.Request.Header.SetBytesV(headerRequestID, id)
	ctx.Response.Header.SetBytesV(headerRequestID, id)
}

// containsFold reports whether b contains s, ASCII case folded.
func containsFold(b []byte, s string) bool {
	for i := 0; i+len(s) <= len(b); i++ {
		if bytes.EqualFold(b[i:i+len(s)], s2b(s)) {
			return true
		}
	}
	return false
}

// hostOnly drops the port of a Host header.
func hostOnly(host []byte) []byte {
	if i := bytes.LastIndexByte(host, ':'); i > 0 && bytes.IndexByte(host[i:], ']') < 0 {
		return host[:i]
	}
	return host
}
