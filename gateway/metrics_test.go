package gateway

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/valyala/fasthttp"
)

// The shards of a series add up when scraped: the count, the sum and the
// cumulative buckets.
func TestRequestMetricsAddUpTheirShards(t *testing.T) {
	m := newMetrics(&Gateway{})
	reg := prometheus.NewRegistry() // without the gauges, which need a NATS connection
	reg.MustRegister(m.requests)
	for conn := range uint64(20) { // every shard, some twice
		m.requests.observe(conn, "app-1", 200, 300*time.Microsecond)
	}
	m.requests.observe(3, "app-1", 200, 3*time.Millisecond)
	m.requests.observe(5, "app-1", 200, 20*time.Second) // past the last bucket
	m.requests.observe(7, "", 404, time.Millisecond)
	want := `
# HELP aegis_gateway_request_duration_seconds Time from the request's arrival to its answer, upstream included, by app and HTTP status.
# TYPE aegis_gateway_request_duration_seconds histogram
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="0.0005"} 0
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="0.001"} 1
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="0.0025"} 1
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="0.005"} 1
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="0.01"} 1
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="0.025"} 1
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="0.05"} 1
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="0.1"} 1
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="0.25"} 1
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="0.5"} 1
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="1"} 1
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="2.5"} 1
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="5"} 1
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="10"} 1
aegis_gateway_request_duration_seconds_bucket{app="",status="404",le="+Inf"} 1
aegis_gateway_request_duration_seconds_sum{app="",status="404"} 0.001
aegis_gateway_request_duration_seconds_count{app="",status="404"} 1
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="0.0005"} 20
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="0.001"} 20
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="0.0025"} 20
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="0.005"} 21
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="0.01"} 21
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="0.025"} 21
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="0.05"} 21
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="0.1"} 21
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="0.25"} 21
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="0.5"} 21
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="1"} 21
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="2.5"} 21
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="5"} 21
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="10"} 21
aegis_gateway_request_duration_seconds_bucket{app="app-1",status="200",le="+Inf"} 22
aegis_gateway_request_duration_seconds_sum{app="app-1",status="200"} 20.009
aegis_gateway_request_duration_seconds_count{app="app-1",status="200"} 22
# HELP aegis_gateway_requests_total Requests answered, by app (empty before routing) and HTTP status.
# TYPE aegis_gateway_requests_total counter
aegis_gateway_requests_total{app="",status="404"} 1
aegis_gateway_requests_total{app="app-1",status="200"} 22
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want),
		"aegis_gateway_requests_total", "aegis_gateway_request_duration_seconds"); err != nil {
		t.Error(err)
	}
}

// The token cache's gauge counts the JWTs a node keeps.
func TestJWTCacheGauge(t *testing.T) {
	g, token := inMemoryJWTGateway(t)
	var ctx fasthttp.RequestCtx
	ctx.Init(&fasthttp.Request{}, nil, nil)
	for range 3 { // the same token: one entry
		ctx.Request.Reset() // the gateway changed it on its way upstream
		ctx.Response.Reset()
		ctx.Request.SetRequestURI("/v1/orders")
		ctx.Request.Header.SetHost("api.test")
		ctx.Request.Header.Set("Authorization", "Bearer "+token)
		g.handle(&ctx)
		if ctx.Response.StatusCode() != 200 {
			t.Fatalf("answer %d %s", ctx.Response.StatusCode(), ctx.Response.Body())
		}
	}
	reg := prometheus.NewRegistry()
	reg.MustRegister(tokenCacheGauge(g))
	want := `
# HELP aegis_gateway_jwt_cache_tokens JWTs the node has verified and keeps, so that they are not verified again.
# TYPE aegis_gateway_jwt_cache_tokens gauge
aegis_gateway_jwt_cache_tokens 1
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
}

// BenchmarkObserve counts requests on two cores at once, as a node does:
// the series' shards keep the cores off each other's cache lines.
func BenchmarkObserve(b *testing.B) {
	m := newMetrics(&Gateway{})
	var conns atomic.Uint64
	b.RunParallel(func(pb *testing.PB) {
		conn := conns.Add(1)
		for pb.Next() {
			m.requests.observe(conn, "app-1", 200, 500*time.Microsecond)
		}
	})
}
