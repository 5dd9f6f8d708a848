package gateway

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttpadaptor"
)

// metrics are the node's Prometheus metrics, served at /_aegis/metrics.
//
// The request counter and the latency histogram, counted on every request,
// are the gateway's own (requestMetrics): each series is split into shards
// that requests on different connections update, so that two cores do not
// fight over one cache line at every request, and summed when scraped.
type metrics struct {
	registry *prometheus.Registry
	requests *requestMetrics
	retries  prometheus.Counter
	handler  fasthttp.RequestHandler
}

// metricShards is how many shards a series has: enough that requests on
// the two or more cores of a node rarely share one.
const metricShards = 8

type seriesKey struct {
	app    string
	status int
}

// series is the count and latencies of one app and status.
type series struct {
	shards [metricShards]seriesShard
}

// seriesShard is one shard of a series, alone on its cache lines.
type seriesShard struct {
	count   atomic.Uint64
	sumNs   atomic.Uint64
	buckets [len(latencyBucketsNs)]atomic.Uint64 // per bucket, not cumulative
	_       [64]byte
}

// latencyBucketsNs are the upper bounds of the latency histogram's
// buckets, in nanoseconds: 0.5 ms to 10 s.
var latencyBucketsNs = [...]int64{5e5, 1e6, 2.5e6, 5e6, 1e7, 2.5e7, 5e7, 1e8, 2.5e8, 5e8, 1e9, 2.5e9, 5e9, 1e10}

// requestMetrics is a prometheus.Collector of the requests counted.
type requestMetrics struct {
	requests, latency *prometheus.Desc

	seen atomic.Pointer[map[seriesKey]*series] // replaced whole when a series is added
	mu   sync.Mutex                            // serialises additions
}

func newRequestMetrics() *requestMetrics {
	m := &requestMetrics{
		requests: prometheus.NewDesc("aegis_gateway_requests_total",
			"Requests answered, by app (empty before routing) and HTTP status.", []string{"app", "status"}, nil),
		latency: prometheus.NewDesc("aegis_gateway_request_duration_seconds",
			"Time from the request's arrival to its answer, upstream included, by app and HTTP status.", []string{"app", "status"}, nil),
	}
	m.seen.Store(&map[seriesKey]*series{})
	return m
}

// observe records one answered request, in the shard of its connection.
func (m *requestMetrics) observe(conn uint64, app string, status int, took time.Duration) {
	k := seriesKey{app, status}
	s, ok := (*m.seen.Load())[k]
	if !ok {
		s = m.add(k)
	}
	sh := &s.shards[conn%metricShards]
	sh.count.Add(1)
	ns := int64(took)
	if ns < 0 {
		ns = 0
	}
	sh.sumNs.Add(uint64(ns))
	for i, le := range latencyBucketsNs {
		if ns <= le {
			sh.buckets[i].Add(1)
			break
		}
	}
}

// add returns the series of k, adding it if it is new.
func (m *requestMetrics) add(k seriesKey) *series {
	m.mu.Lock()
	defer m.mu.Unlock()
	old := *m.seen.Load()
	if s, ok := old[k]; ok {
		return s
	}
	next := make(map[seriesKey]*series, len(old)+1)
	for key, s := range old {
		next[key] = s
	}
	s := new(series)
	next[k] = s
	m.seen.Store(&next)
	return s
}

func (m *requestMetrics) Describe(ch chan<- *prometheus.Desc) {
	ch <- m.requests
	ch <- m.latency
}

func (m *requestMetrics) Collect(ch chan<- prometheus.Metric) {
	for k, s := range *m.seen.Load() {
		var count, sumNs uint64
		var perBucket [len(latencyBucketsNs)]uint64
		for i := range s.shards {
			sh := &s.shards[i]
			count += sh.count.Load()
			sumNs += sh.sumNs.Load()
			for j := range perBucket {
				perBucket[j] += sh.buckets[j].Load()
			}
		}
		status := strconv.Itoa(k.status)
		cumulative := make(map[float64]uint64, len(latencyBucketsNs))
		var below uint64
		for j, le := range latencyBucketsNs {
			below += perBucket[j]
			cumulative[float64(le)/1e9] = below
		}
		ch <- prometheus.MustNewConstMetric(m.requests, prometheus.CounterValue, float64(count), k.app, status)
		ch <- prometheus.MustNewConstHistogram(m.latency, count, float64(sumNs)/1e9, cumulative, k.app, status)
	}
}

// tokenCacheGauge reports how many verified JWTs the node keeps.
func tokenCacheGauge(g *Gateway) prometheus.GaugeFunc {
	return prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "aegis_gateway_jwt_cache_tokens",
		Help: "JWTs the node has verified and keeps, so that they are not verified again.",
	}, func() float64 { return float64(g.view.tokens.Len()) })
}

func newMetrics(g *Gateway) *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: newRequestMetrics(),
		retries: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "aegis_gateway_upstream_retries_total",
			Help: "Requests sent to an upstream again after a failure that left them unanswered.",
		}),
	}
	m.registry.MustRegister(m.requests, m.retries,
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
		tokenCacheGauge(g),
		prometheus.NewGoCollector(),
		prometheus.NewProcessCollector(prometheus.ProcessCollectorOpts{}),
	)
	m.handler = fasthttpadaptor.NewFastHTTPHandler(promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{}))
	return m
}
