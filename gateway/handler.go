package gateway

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
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

	headerForwardedFor   = "X-Forwarded-For"
	headerForwardedProto = "X-Forwarded-Proto"
	headerForwardedHost  = "X-Forwarded-Host"
	headerAPIKey         = "X-API-Key"
	aegisPrefix          = "X-Aegis-"
)

// hopByHop are the headers of one connection, never forwarded (RFC 9110
// 7.6.1), besides those the Connection header names.
var hopByHop = []string{"Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate",
	"Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade", "Http2-Settings"}

// scratch holds a request's working buffers: its normalised path, and room
// for the small values (request id, addresses) built while it is served.
type scratch struct {
	b       []byte // the normalised path
	tmp     []byte
	closing bool // the client's Connection header says close
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
	streamed := ctx.Request.IsBodyStream() // sending it closes the stream
	// The client's Connection: close is removed before the request goes
	// upstream (and the upstream's from its answer); it still closes the
	// client's connection.
	pb.closing = ctx.Request.Header.ConnectionClose()
	app, forwarded := g.forward(ctx, pb)
	if !forwarded && streamed {
		discardBody(ctx)
	}
	if pb.closing {
		ctx.SetConnectionClose()
	}
	return app
}

// discardAtMost is how much of a request body that is not forwarded the
// gateway reads and drops, to keep the connection; past it, it closes the
// connection instead.
const discardAtMost = 256 << 10

// discardBody drops what is left of a request body that was not
// forwarded: what is left would otherwise be read as the next request. A
// body of up to discardAtMost bytes is read to its end, so that the
// client gets the answer on a connection that stays open; a longer one
// closes the connection.
func discardBody(ctx *fasthttp.RequestCtx) {
	// No stream left: a failed send consumed part of it.
	if body := ctx.RequestBodyStream(); body != nil && ctx.Request.Header.ContentLength() <= discardAtMost {
		n, err := io.CopyN(io.Discard, body, discardAtMost+1)
		if err == io.EOF && n <= discardAtMost {
			return
		}
	}
	ctx.SetConnectionClose()
}

// forward does serve's work. It reports whether the request, body
// included, was sent to an upstream.
func (g *Gateway) forward(ctx *fasthttp.RequestCtx, pb *scratch) (string, bool) {
	if ambiguousFraming(&ctx.Request.Header) {
		ctx.SetConnectionClose()
		fail(ctx, schema.CodeInvalid, "the request's length is given in two ways")
		return "", false
	}
	if int64(ctx.Request.Header.ContentLength()) > g.opts.MaxRequestBodySize {
		fail(ctx, schema.CodeTooLarge, "the request body is too large")
		return "", false
	}
	var ok bool
	pb.b, ok = NormalizePath(pb.b[:0], ctx.Request.URI().PathOriginal())
	if !ok {
		fail(ctx, schema.CodeInvalid, "the request path is malformed or escapes its root")
		return "", false
	}
	app, ok := g.view.route(b2s(hostOnly(ctx.Request.Header.Host())), b2s(pb.b))
	if !ok {
		fail(ctx, schema.CodeNotFound, "no app serves this host and path")
		return "", false
	}
	if app.config.Status != schema.AppActive || g.view.suspended(app.customerID) {
		fail(ctx, schema.CodeForbidden, "this app is suspended")
		return app.id, false
	}
	who, ok := g.authenticate(ctx, app)
	if !ok {
		return app.id, false
	}
	if ctx.Request.Header.ContentLength() == -1 && !g.readChunkedBody(ctx) {
		return app.id, false
	}
	if n := ctx.Request.Header.ContentLength(); n > 0 && ctx.Request.IsBodyStream() {
		g.allowBodyTime(ctx, int64(n))
	}
	g.prepare(ctx, app, who, pb)
	return app.id, g.proxy(ctx, app, pb)
}

// minBodyRate is the slowest a client may send a body the gateway
// streams to the upstream, in bytes a second.
const minBodyRate = 64 << 10

// allowBodyTime gives a streamed body of n bytes the time to arrive at
// minBodyRate, when that is longer than the ReadTimeout every request
// gets: the server's deadline covers the whole request, and a large upload
// on a slow link would be cut off by it.
func (g *Gateway) allowBodyTime(ctx *fasthttp.RequestCtx, n int64) {
	need := time.Duration(n) * time.Second / minBodyRate
	if need <= g.opts.ReadTimeout {
		return
	}
	_ = ctx.Conn().SetReadDeadline(time.Now().Add(need))
}

// readChunkedBody reads a chunked request body whole, so that its size is
// checked before anything reaches the upstream (a body of known length is
// checked before it is read, and then streamed). It answers the request
// itself and returns false when the body is too large or malformed.
func (g *Gateway) readChunkedBody(ctx *fasthttp.RequestCtx) bool {
	limit := g.opts.MaxRequestBodySize
	body, err := io.ReadAll(io.LimitReader(ctx.RequestBodyStream(), limit+1))
	switch {
	case err != nil:
		fail(ctx, schema.CodeInvalid, "the request body's chunked encoding is malformed")
	case int64(len(body)) > limit:
		fail(ctx, schema.CodeTooLarge, "the request body is too large")
	default:
		ctx.Request.SetBody(body)
		ctx.Request.Header.SetContentLength(len(body))
		return true
	}
	ctx.SetConnectionClose()
	return false
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
		if !ok || e.appID != app.id || !e.usable(requestTime(ctx).UnixNano()) {
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
	claims, err := app.jwt.Verify(raw, requestTime(ctx))
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
	// One pass tells which kinds of header to remove: usually only the
	// credential.
	found := 0
	for name := range h.All() {
		found |= classify(name)
	}
	// Headers the Connection header names are hop-by-hop too: drop them
	// first, so that naming X-Aegis-Tenant-Id there cannot remove ours.
	if found&foundConnection != 0 {
		pb.tmp = append(pb.tmp[:0], h.Peek(fasthttp.HeaderConnection)...) // Del changes the header's bytes
		for rest := pb.tmp; len(rest) > 0; {
			name := rest
			if i := bytes.IndexByte(rest, ','); i >= 0 {
				name, rest = rest[:i], rest[i+1:]
			} else {
				rest = nil
			}
			name = bytes.TrimSpace(name)
			if bytes.EqualFold(name, s2b("close")) {
				pb.closing = true // fasthttp sees it only alone
			} else if len(name) > 0 {
				h.DelBytes(name)
			}
		}
	}
	if found&foundHopByHop != 0 {
		for _, name := range hopByHop {
			h.Del(name)
		}
	}
	if found&foundAegis != 0 {
		deleteAegisHeaders(h)
	}
	if found&foundAPIKey != 0 {
		h.Del(headerAPIKey)
	}
	if found&foundAuthorization != 0 {
		h.Del(fasthttp.HeaderAuthorization)
	}

	// The names are canonical already: set as they are, without the
	// normalising Set does.
	h.SetCanonical(s2b(headerApp), s2b(app.id))
	if who.env != "" {
		h.SetCanonical(s2b(headerKeyEnv), s2b(who.env))
	}
	if who.tenant != "" {
		h.SetCanonical(s2b(headerTenant), s2b(who.tenant))
	}
	if who.user != "" {
		h.SetCanonical(s2b(headerUser), s2b(who.user))
	}
	g.setForwarded(ctx, pb)
	// Setting the path parses it again: only a path the normalising
	// changed is set.
	if uri := ctx.Request.URI(); !bytes.Equal(uri.PathOriginal(), pb.b) {
		uri.SetPathBytes(pb.b)
	}
}

// What classify finds in a header's name.
const (
	foundHopByHop      = 1 << iota // one of hopByHop
	foundConnection                // Connection, whose value names more hop-by-hop headers
	foundAegis                     // an X-Aegis- header
	foundAPIKey                    // X-API-Key
	foundAuthorization             // Authorization
)

// classify tells what kind of header name is, among those prepare and
// proxy remove: found* bits, or 0.
func classify(name []byte) int {
	if len(name) >= len(aegisPrefix) && bytes.EqualFold(name[:len(aegisPrefix)], s2b(aegisPrefix)) {
		return foundAegis
	}
	is := func(s string) bool { return bytes.EqualFold(name, s2b(s)) }
	switch len(name) {
	case 9:
		if is(headerAPIKey) {
			return foundAPIKey
		}
	case 13:
		if is(fasthttp.HeaderAuthorization) {
			return foundAuthorization
		}
	case 10:
		if is(fasthttp.HeaderConnection) {
			return foundConnection | foundHopByHop
		}
		if is("Keep-Alive") {
			return foundHopByHop
		}
	case 2, 7, 14, 16, 17, 18, 19:
		for _, h := range hopByHop {
			if is(h) {
				return foundHopByHop
			}
		}
	}
	return 0
}

// deleteAegisHeaders removes every header whose name starts with X-Aegis-.
func deleteAegisHeaders(h *fasthttp.RequestHeader) {
	var found []byte
	for {
		found = found[:0]
		for key := range h.All() {
			if classify(key) == foundAegis {
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
	if trusted {
		if prior := h.Peek(headerForwardedFor); len(prior) > 0 {
			pb.tmp = append(append(pb.tmp, prior...), ", "...)
		}
	}
	pb.tmp = peer.AppendTo(pb.tmp)
	h.SetCanonical(s2b(headerForwardedFor), pb.tmp)
	if !trusted || len(h.Peek(headerForwardedProto)) == 0 {
		proto := "http"
		if ctx.IsTLS() {
			proto = "https"
		}
		h.SetCanonical(s2b(headerForwardedProto), s2b(proto))
	}
	if !trusted || len(h.Peek(headerForwardedHost)) == 0 {
		h.SetCanonical(s2b(headerForwardedHost), h.Host())
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

// maxAttempts bounds how many times one request is sent upstream: a
// retry goes to the next target by weighted round robin.
const maxAttempts = 3

// proxy sends the prepared request to one of the app's upstreams and
// passes the answer back, without its hop-by-hop headers. A request that
// failed before the upstream answered one byte is sent again, to the next
// target, when that is safe: its method is idempotent, and either no
// connection was made or its body can be sent again. It reports whether
// the request reached an upstream whole.
func (g *Gateway) proxy(ctx *fasthttp.RequestCtx, app *appEntry, pb *scratch) bool {
	req := &ctx.Request
	tries := min(len(app.upstreams.Targets())+1, maxAttempts)
	streamed := req.IsBodyStream() // sending it closes the stream
	pb.tmp = append(pb.tmp[:0], ctx.Response.Header.Peek(headerRequestID)...)
	var err error
	for try := 1; ; try++ {
		target, ok := app.upstreams.Next()
		if !ok {
			fail(ctx, schema.CodeUnavailable, "the app has no upstream")
			return false
		}
		// The upstream is addressed as itself: its scheme and host (the
		// client's host travels in X-Forwarded-Host).
		uri := req.URI()
		uri.SetScheme(target.Scheme)
		uri.SetHost(target.Host)
		req.Header.SetHostBytes(s2b(target.Host))
		err = target.Client.Do(req, &ctx.Response)
		if err == nil {
			target.Succeeded()
			break
		}
		if !errors.Is(err, fasthttp.ErrNoFreeConns) { // busy is not broken
			target.Failed()
		}
		if try == tries || !resendable(req.Header.Method(), streamed, err) {
			break
		}
		g.metrics.retries.Add(1)
	}
	ctx.Response.Header.SetCanonical(s2b(headerRequestID), pb.tmp)
	switch {
	case err == nil:
	case errors.Is(err, fasthttp.ErrNoFreeConns):
		fail(ctx, schema.CodeUnavailable, "the upstream is busy")
		return false
	case errors.Is(err, fasthttp.ErrTimeout) || errors.Is(err, fasthttp.ErrDialTimeout):
		fail(ctx, schema.CodeTimeout, "the upstream did not answer in time")
		return false
	default:
		fail(ctx, schema.CodeBadGateway, "the upstream could not be reached")
		return false
	}
	limit := g.opts.MaxResponseBodySize
	if limit > 0 && int64(ctx.Response.Header.ContentLength()) > limit {
		fail(ctx, schema.CodeBadGateway, "the upstream's answer is larger than this gateway passes on")
		return true
	}
	if body, ok := ctx.Response.BodyStream().(*upstreamBody); ok {
		body.limit = limit // cut off past the limit
		body.client = ctx.Conn()
	}
	found := 0
	for name := range ctx.Response.Header.All() {
		found |= classify(name)
	}
	if found&foundHopByHop != 0 {
		for _, name := range hopByHop {
			if name != "Transfer-Encoding" {
				ctx.Response.Header.Del(name)
			}
		}
	}
	return true
}

// resendable reports whether a request that failed with err may be sent
// again: only an idempotent method (RFC 9110 9.2.2), and only when the
// upstream cannot have acted on it (no connection), or it closed the
// connection without a byte of answer and the request had no body to
// stream (a streamed body cannot be sent twice). A timeout is never
// retried: the upstream may still be at work on it.
func resendable(method []byte, streamed bool, err error) bool {
	if !idempotent(method) || errors.Is(err, fasthttp.ErrTimeout) {
		return false
	}
	return errors.Is(err, errNotSent) || (errors.Is(err, errNoAnswer) && !streamed)
}

func idempotent(method []byte) bool {
	switch string(method) {
	case "GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE":
		return true
	}
	return false
}

// setRequestID gives the request an id, "<node>-<connection>-<n>" (the
// node's count of connections, and the request's number on its
// connection, in base 36), on the request to the upstream and on the
// answer. Numbering per connection takes no counter that every core
// writes at every request.
func (g *Gateway) setRequestID(ctx *fasthttp.RequestCtx, pb *scratch) {
	id := append(pb.tmp[:0], g.opts.NodeID...)
	id = append(id, '-')
	id = strconv.AppendUint(id, ctx.ConnID(), 36)
	id = append(id, '-')
	id = strconv.AppendUint(id, ctx.ConnRequestNum(), 36)
	pb.tmp = id
	ctx.Request.Header.SetCanonical(s2b(headerRequestID), id)
	ctx.Response.Header.SetCanonical(s2b(headerRequestID), id)
}

// requestTime is when the server began to handle the request: fasthttp
// reads the clock for it, and a request needs no other reading to check
// expiry times and to time itself (each reading costs tens of
// nanoseconds, more in a virtual machine). A context made by hand, as in
// tests, has none; it gets the time now.
func requestTime(ctx *fasthttp.RequestCtx) time.Time {
	if t := ctx.Time(); !t.IsZero() {
		return t
	}
	return time.Now()
}

// hostOnly drops the port of a Host header.
func hostOnly(host []byte) []byte {
	if i := bytes.LastIndexByte(host, ':'); i > 0 && bytes.IndexByte(host[i:], ']') < 0 {
		return host[:i]
	}
	return host
}
