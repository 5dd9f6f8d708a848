package gateway

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aegis-oss/aegis/schema"
	"github.com/valyala/fasthttp"
)

// Upstream pool defaults.
const (
	// MaxUpstreamFails is how many failures in a row eject a target.
	MaxUpstreamFails = 3
	// DefaultEjectFor is how long an ejected target gets no traffic.
	DefaultEjectFor = 10 * time.Second

	upstreamMaxConns    = 512
	upstreamIdleTimeout = 60 * time.Second

	// Used when an app's timeouts are zero (the values the admin API fills
	// in by default).
	defaultConnectTimeout = 5 * time.Second
	defaultReadTimeout    = 30 * time.Second
	defaultWriteTimeout   = 30 * time.Second
)

// Upstreams is the pool of upstream targets of one app. Next spreads
// requests over the targets by smooth weighted round robin (nginx's
// algorithm) and skips targets that passive health checks ejected. It is
// safe for concurrent use.
type Upstreams struct {
	// EjectFor is how long a target gets no traffic after MaxUpstreamFails
	// failures in a row. NewUpstreams sets DefaultEjectFor; change it only
	// before the pool is used.
	EjectFor time.Duration

	targets []*Target
	epoch   time.Time // monotonic origin of Target.ejectedAt

	mu sync.Mutex // guards Target.current
}

// Target is one upstream of an app, with its own keep-alive connection pool.
type Target struct {
	// Client sends requests to this target. It forwards the request path
	// as given: the gateway normalizes it first (NormalizePath).
	Client *fasthttp.HostClient
	// Host is the value of the upstream request's Host header ("host" or
	// "host:port", as written in the URL).
	Host string
	// Scheme is "http" or "https".
	Scheme string
	// URL is the target's URL as configured.
	URL string

	weight  int
	current int // smooth WRR state, guarded by Upstreams.mu

	fails     atomic.Int32
	ejectedAt atomic.Int64 // nanoseconds since pool.epoch, plus 1; 0 when not ejected
	pool      *Upstreams
}

// NewUpstreams returns a pool of targets with one HostClient each, using
// the app's timeouts (zero means the default: connect 5 s, read and write
// 30 s). A zero weight counts as 1. It returns an error, joining every
// problem, when there is no target, a URL is not http or https with a host
// (or carries user info), a weight or a timeout is negative.
func NewUpstreams(targets []schema.Upstream, t schema.Timeouts) (*Upstreams, error) {
	var errs []error
	if len(targets) == 0 {
		errs = append(errs, errors.New("no upstream targets"))
	}
	connect := msOr(t.ConnectMS, defaultConnectTimeout, "connect", &errs)
	read := msOr(t.ReadMS, defaultReadTimeout, "read", &errs)
	write := msOr(t.WriteMS, defaultWriteTimeout, "write", &errs)

	u := &Upstreams{EjectFor: DefaultEjectFor, epoch: time.Now()}
	for _, up := range targets {
		tg, err := newTarget(up, connect, read, write)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		tg.pool = u
		u.targets = append(u.targets, tg)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("upstreams: %w", err)
	}
	return u, nil
}

func msOr(ms int, def time.Duration, name string, errs *[]error) time.Duration {
	switch {
	case ms < 0:
		*errs = append(*errs, fmt.Errorf("%s timeout %d ms is negative", name, ms))
		return def
	case ms == 0:
		return def
	}
	return time.Duration(ms) * time.Millisecond
}

func newTarget(up schema.Upstream, connect, read, write time.Duration) (*Target, error) {
	u, err := url.Parse(up.URL)
	if err != nil {
		return nil, fmt.Errorf("upstream %q: %w", up.URL, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
		return nil, fmt.Errorf("upstream %q: want an http or https URL with a host and no user info", up.URL)
	}
	if up.Weight < 0 {
		return nil, fmt.Errorf("upstream %q: weight %d is negative", up.URL, up.Weight)
	}
	weight := up.Weight
	if weight == 0 {
		weight = 1
	}
	port := u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	// fasthttp.DialTimeout dials IPv4 only; an IPv6 literal needs the dual
	// stack dialer.
	dial := fasthttp.DialTimeout
	if ip := net.ParseIP(u.Hostname()); ip != nil && ip.To4() == nil {
		dial = fasthttp.DialDualStackTimeout
	}
	return &Target{
		Client: &fasthttp.HostClient{
			Addr:                net.JoinHostPort(u.Hostname(), port),
			IsTLS:               u.Scheme == "https",
			MaxConns:            upstreamMaxConns,
			ReadTimeout:         read,
			WriteTimeout:        write,
			MaxIdleConnDuration: upstreamIdleTimeout,
			Dial: func(addr string) (net.Conn, error) {
				c, err := dial(addr, connect)
				if err != nil {
					return nil, err
				}
				return &coarseConn{Conn: c}, nil
			},
			NoDefaultUserAgentHeader:      true,
			DisableHeaderNamesNormalizing: true,
			DisablePathNormalizing:        true,
			// The gateway decides what to send again (Gateway.proxy):
			// fasthttp would resend an idempotent request after a timeout,
			// when the upstream may have acted on it already.
			MaxIdemponentCallAttempts: 1,
			Transport:                 transport{},
		},
		Host:   u.Host,
		Scheme: u.Scheme,
		URL:    up.URL,
		weight: weight,
	}, nil
}

// Next returns the target for the next request: the healthy target with
// the highest current weight, by smooth weighted round robin (weights
// {5,1,1} give a a b a c a a). Ejected targets are skipped. When every
// target is ejected, Next fails open: it returns the least recently ejected
// target anyway, because trying a maybe-recovered upstream beats refusing
// every request. It returns false only when the pool has no targets.
func (u *Upstreams) Next() (*Target, bool) {
	if u == nil || len(u.targets) == 0 {
		return nil, false
	}
	if len(u.targets) == 1 {
		// Nothing to choose, and so no lock that every core takes.
		return u.targets[0], true
	}
	var now, oldestAt int64 // now is read lazily: usually no target is ejected
	var best, oldest *Target
	total := 0
	u.mu.Lock()
	for _, t := range u.targets {
		if at := t.ejectedAt.Load(); at != 0 {
			if now == 0 {
				now = u.now()
			}
			if now-at < int64(u.EjectFor) {
				if oldest == nil || at < oldestAt {
					oldest, oldestAt = t, at
				}
				continue
			}
			t.ejectedAt.CompareAndSwap(at, 0) // the ejection is over
		}
		t.current += t.weight
		total += t.weight
		if best == nil || t.current > best.current {
			best = t
		}
	}
	if best == nil {
		u.mu.Unlock()
		return oldest, true
	}
	best.current -= total
	u.mu.Unlock()
	return best, true
}

// Targets returns the pool's targets in configuration order. The slice is
// shared: do not modify it.
func (u *Upstreams) Targets() []*Target { return u.targets }

// Close closes the idle keep-alive connections of every target. Requests
// in flight finish; a later request opens a new connection.
func (u *Upstreams) Close() {
	for _, t := range u.targets {
		t.Client.CloseIdleConnections()
	}
}

// now returns nanoseconds since the pool's epoch plus 1, so that it is
// never 0 (0 marks a target that is not ejected).
func (u *Upstreams) now() int64 { return int64(time.Since(u.epoch)) + 1 }

// Failed records a failed request to t (a connection error, a timeout or a
// 5xx the caller counts as one). After MaxUpstreamFails failures in a row,
// t is ejected for the pool's EjectFor; then it gets traffic again.
func (t *Target) Failed() {
	if t.fails.Add(1) < MaxUpstreamFails {
		return
	}
	t.fails.Store(0)
	t.ejectedAt.Store(t.pool.now())
}

// Succeeded records a successful request to t: it resets t's count of
// failures in a row and ends an ejection.
func (t *Target) Succeeded() {
	if t.fails.Load() != 0 {
		t.fails.Store(0)
	}
	if t.ejectedAt.Load() != 0 {
		t.ejectedAt.Store(0)
	}
}

// Ejected reports whether t is ejected now.
func (t *Target) Ejected() bool {
	at := t.ejectedAt.Load()
	return at != 0 && t.pool.now()-at < int64(t.pool.EjectFor)
}
