package gateway

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/valyala/fasthttp"

	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/egress"
)

// Options configures a gateway node.
type Options struct {
	// NodeID names the node in heartbeats and request ids (default
	// "gateway"): a KV key, of letters, digits, '-' and '_'.
	NodeID string
	// Version is reported in the node's heartbeat.
	Version string
	// Logger receives the node's log (default slog.Default()).
	Logger *slog.Logger
	// TrustedProxies are the networks whose X-Forwarded-* headers are kept
	// and extended; from anywhere else they are replaced.
	TrustedProxies []netip.Prefix
	// MaxRequestBodySize bounds request bodies (default 10 MiB); a larger
	// one is refused with 413. Bodies are streamed to the upstream as
	// they arrive, so the bound is a policy, not a buffer.
	MaxRequestBodySize int64
	// MaxResponseBodySize bounds what the gateway passes on of an
	// upstream's answer: one announced as larger gets a 502, one that grows
	// past it while streamed is cut off. 0 means no bound.
	MaxResponseBodySize int64
	// ReadTimeout bounds the arrival of a request, body included (default
	// 30s). A body streamed to the upstream may take longer: it gets at
	// least the time to arrive at minBodyRate.
	ReadTimeout time.Duration
	// StaleAfter is how long without NATS before the node calls itself
	// stale; it keeps serving what it has (default 30s).
	StaleAfter time.Duration
	// HeartbeatEvery paces the node's heartbeat (default 2s).
	HeartbeatEvery time.Duration
	// MasterKey opens the apps' sealed JWT secrets (AEGIS_MASTER_KEY).
	MasterKey []byte
	// AccessLogSample is the share of requests written to the access log:
	// 1 logs every request, 0 none (default 0; a negative value is 0).
	AccessLogSample float64
	// EgressAllow lists the networks that apps' JWKS URLs may reach though
	// they are internal (AEGIS_EGRESS_ALLOW); by default loopback, private,
	// link-local and other special-purpose addresses are refused when
	// dialled (see egress.Guard).
	EgressAllow []netip.Prefix
}

// Gateway is one gateway node: it answers every request from its view of
// the KV buckets, which it keeps up to date by watching them.
type Gateway struct {
	nc      *nats.Conn
	opts    Options
	view    *view
	watcher *watcher
	server  *fasthttp.Server
	// lost is when the node lost NATS (Unix nanoseconds), 0 while connected.
	lost    atomic.Int64
	metrics *metrics
	jwks    *JWKSCache
	resync  chan struct{}
	stop    context.CancelFunc
	wg      sync.WaitGroup
}

// New returns a gateway node on nc. Call Run to start following the KV
// buckets and Serve to answer requests.
func New(nc *nats.Conn, opts Options) (*Gateway, error) {
	if opts.NodeID == "" {
		opts.NodeID = "gateway"
	}
	if !schema.ValidToken(opts.NodeID) {
		return nil, fmt.Errorf("node id %q must be letters, digits, '-' and '_'", opts.NodeID)
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxRequestBodySize == 0 {
		opts.MaxRequestBodySize = 10 << 20
	}
	if opts.ReadTimeout == 0 {
		opts.ReadTimeout = 30 * time.Second
	}
	if opts.StaleAfter == 0 {
		opts.StaleAfter = 30 * time.Second
	}
	if opts.HeartbeatEvery == 0 {
		opts.HeartbeatEvery = 2 * time.Second
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, err
	}
	jwks := NewJWKSCache(NewJWKSClient(egress.New(opts.EgressAllow...)), DefaultJWKSMinRefresh, WithJWKSLogger(opts.Logger))
	g := &Gateway{nc: nc, opts: opts, view: newView(opts.MasterKey, jwks), jwks: jwks, resync: make(chan struct{}, 1)}
	g.watcher = &watcher{js: js, view: g.view, logger: opts.Logger}
	g.metrics = newMetrics(g)
	g.server = g.newServer()
	// A reconnect may have missed updates: load everything again.
	nc.SetReconnectHandler(func(*nats.Conn) {
		g.lost.Store(0)
		select {
		case g.resync <- struct{}{}:
		default:
		}
	})
	nc.SetDisconnectErrHandler(func(*nats.Conn, error) { g.lost.CompareAndSwap(0, time.Now().UnixNano()) })
	return g, nil
}

// clientWriteTimeout bounds each write of an answer to the client: a
// streamed answer extends it as it goes, so it bounds a stall, not a
// download.
const clientWriteTimeout = 30 * time.Second

// newServer returns the node's HTTP server.
func (g *Gateway) newServer() *fasthttp.Server {
	return &fasthttp.Server{
		Name:    "aegis",
		Handler: g.handle,
		// Bodies stream to the upstream; serve enforces MaxRequestBodySize.
		StreamRequestBody:            true,
		MaxRequestBodySize:           streamAbove,
		ReadTimeout:                  g.opts.ReadTimeout,
		WriteTimeout:                 clientWriteTimeout,
		IdleTimeout:                  2 * time.Minute,
		NoDefaultServerHeader:        true,
		DisablePreParseMultipartForm: true,
		// A body announced as too large is refused before the client
		// sends it (417 to "Expect: 100-continue").
		ContinueHandler: func(h *fasthttp.RequestHeader) bool {
			return int64(h.ContentLength()) <= g.opts.MaxRequestBodySize
		},
		ErrorHandler: func(ctx *fasthttp.RequestCtx, err error) {
			pb := scratches.Get().(*scratch)
			defer scratches.Put(pb)
			g.setRequestID(ctx, pb)
			if errors.Is(err, fasthttp.ErrBodyTooLarge) {
				fail(ctx, schema.CodeTooLarge, "the request body is too large")
				return
			}
			fail(ctx, schema.CodeInvalid, "the request is malformed")
		},
	}
}

// Run follows the KV buckets, writes the node's heartbeat and listens for
// the platform's commands (resync, invalidate) until ctx is done or
// Shutdown.
func (g *Gateway) Run(ctx context.Context) {
	ctx, g.stop = context.WithCancel(ctx)
	if err := g.listenControl(ctx); err != nil {
		g.opts.Logger.Error("cannot follow the platform's commands to gateways", "err", err)
	}
	g.wg.Add(2)
	go func() {
		defer g.wg.Done()
		_ = g.watcher.run(ctx, g.resync)
	}()
	go func() {
		defer g.wg.Done()
		heartbeat(ctx, g.watcher.js, g.opts.NodeID, g.opts.Version, g.opts.HeartbeatEvery, g.view.advanced,
			func() (uint64, bool) { return g.view.revision.Load(), g.Stale() }, g.opts.Logger)
	}()
}

// Serve answers requests on ln until Shutdown.
func (g *Gateway) Serve(ln net.Listener) error { return g.server.Serve(coarseListener{ln}) }

// Shutdown stops taking connections, finishes the requests in flight
// (until ctx is done), and stops following KV.
func (g *Gateway) Shutdown(ctx context.Context) error {
	err := g.server.ShutdownWithContext(ctx)
	if g.stop != nil {
		g.stop()
	}
	g.wg.Wait()
	return err
}

// Ready reports whether the node has loaded every bucket once.
func (g *Gateway) Ready() bool { return g.watcher.ready.Load() }

// Stale reports whether the node has been without NATS for longer than
// StaleAfter; it keeps serving what it has.
func (g *Gateway) Stale() bool {
	if g.nc.IsConnected() {
		return false
	}
	lost := g.lost.Load()
	return lost == 0 || time.Since(time.Unix(0, lost)) > g.opts.StaleAfter
}

// Loads returns how many times the node has loaded every KV bucket: once
// at start, and again at each reconnect and each resync the platform asks
// for.
func (g *Gateway) Loads() int64 { return g.watcher.loads.Load() }

// Revision returns the highest event revision the node has applied.
func (g *Gateway) Revision() uint64 { return g.view.revision.Load() }

// handle routes the node's own endpoints, under /_aegis/, and serves the
// rest, counting and (sampled) logging every request it serves.
func (g *Gateway) handle(ctx *fasthttp.RequestCtx) {
	// The node's own paths are told apart on the raw request target, so
	// that the URI is parsed once, by the request path.
	if uri := ctx.Request.Header.RequestURI(); !bytes.HasPrefix(uri, s2b("/_aegis/")) && bytes.HasPrefix(uri, s2b("/")) {
		g.handleAPI(ctx)
		return
	}
	switch string(ctx.Path()) {
	case "/_aegis/metrics":
		g.metrics.handler(ctx)
		return
	case "/_aegis/health":
		ctx.SetContentType("application/json")
		ctx.SetBodyString(`{"status":"ok"}`)
		return
	case "/_aegis/ready":
		ctx.SetContentType("application/json")
		switch {
		case !g.Ready():
			ctx.SetStatusCode(fasthttp.StatusServiceUnavailable)
			ctx.SetBodyString(`{"status":"loading"}`)
		case g.Stale():
			ctx.SetStatusCode(fasthttp.StatusServiceUnavailable)
			ctx.SetBodyString(`{"status":"stale"}`)
		default:
			ctx.SetBodyString(`{"status":"ready"}`)
		}
		return
	}
	g.handleAPI(ctx)
}

// handleAPI serves a request for an app, counting and (sampled) logging it.
func (g *Gateway) handleAPI(ctx *fasthttp.RequestCtx) {
	start := requestTime(ctx)
	app := g.serve(ctx)
	took := time.Since(start)
	status := ctx.Response.StatusCode()
	g.metrics.requests.observe(ctx.ConnID(), app, status, took)
	if g.opts.AccessLogSample > 0 && (g.opts.AccessLogSample >= 1 || rand.Float64() < g.opts.AccessLogSample) {
		g.opts.Logger.Info("request",
			"request_id", string(ctx.Response.Header.Peek(headerRequestID)),
			"app", app, "method", string(ctx.Method()), "host", string(ctx.Request.Header.Host()),
			"path", string(ctx.Request.URI().PathOriginal()), "status", status,
			"duration_ms", float64(took.Microseconds())/1000, "client", ctx.RemoteIP().String())
	}
}

// serverLogger takes fasthttp's own log lines (a connection that failed,
// an answer cut off) into the node's log, at debug level: clients that go
// away are routine.
type serverLogger struct{ logger *slog.Logger }

func (l serverLogger) Printf(format string, args ...any) {
	if l.logger.Enabled(context.Background(), slog.LevelDebug) {
		l.logger.Debug(fmt.Sprintf(format, args...))
	}
}
