package gateway

import (
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// metrics are the node's Prometheus metrics, served at /_aegis/metrics.
type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	retries  prometheus.Counter
	handler  fasthttp.RequestHandler

	// seen caches the counter and histogram of each app and status, so
	// that counting a request allocates nothing.
	mu   sync.RWMutex
	seen map[seriesKey]series
}

type seriesKey struct {
	app    string
	status int
}

type series struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

func newMetrics(g *Gateway) *metrics {
	m := &metrics{
		seen:     map[seriesKey]series{},
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "aegis_gateway_requests_total",
			Help: "Requests answered, by app (empty before routing) and HTTP status.",
		}, []string{"app", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "aegis_gateway_request_duration_seconds",
			Help:    "Time from the request's arrival to its answer, upstream included, by app and HTTP status.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"app", "status"}),
		retries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "aegis_gateway_upstream_retries_total",
			Help: "Requests sent to an upstream again after a failure that left them unanswered.",
		}),
	}
	m.registry.MustRegister(m.requests, m.latency, m.retries,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "aegis_gateway_snapshot_revision",
			Help: "The highest event revision the node has applied.",
		}, func() float64 { return float64(g.Revision()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "aegis_gateway_stale",
			Help: "1 when the node has been without NATS for longer than its bound, else 0.",
		}, func() float64 {
			if g.Stale() {
				return 1
			}
			return 0
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "aegis_gateway_ready",
			Help: "1 once the node has loaded every KV bucket, else 0.",
		}, func() float64 {
			if g.Ready() {
				return 1
			}
			return 0
		}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: "aegis_gateway_loads_total",
			Help: "Times the node has loaded every KV bucket: at start, on reconnects and on resyncs.",
		}, func() float64 { return float64(g.Loads()) }),
		prometheus.NewGoCollector(),
		prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}),
	)
	m.handler = fasthttpadaptor.NewFastHTTPHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	return m
}

// observe records one answered request.
func (m *metrics) observe(app string, status int, took time.Duration) {
	k := seriesKey{app, status}
	m.mu.RLock()
	s, ok := m.seen[k]
	m.mu.RUnlock()
	if !ok {
		code := strconv.Itoa(status)
		s = series{requests: m.requests.WithLabelValues(app, code), latency: m.latency.WithLabelValues(app, code)}
		m.mu.Lock()
		m.seen[k] = s
		m.mu.Unlock()
	}
	s.requests.Inc()
	s.latency.Observe(took.Seconds())
}
