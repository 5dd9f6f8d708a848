package gateway

import (
	"strconv"
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
	handler  fasthttp.RequestHandler
}

func newMetrics(g *Gateway) *metrics {
	m := &metrics{
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
	}
	m.registry.MustRegister(m.requests, m.latency,
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
		prometheus.NewGoCollector(),
		prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}),
	)
	m.handler = fasthttpadaptor.NewFastHTTPHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	return m
}

// observe records one answered request.
func (m *metrics) observe(app string, status int, took time.Duration) {
	s := strconv.Itoa(status)
	m.requests.WithLabelValues(app, s).Inc()
	m.latency.WithLabelValues(app, s).Observe(took.Seconds())
}
