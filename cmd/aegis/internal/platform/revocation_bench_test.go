package platform_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/platform"
	"github.com/aegis-oss/aegis/gateway"
)

// The revocation benchmark measures how soon a revoked API key stops
// working at the gateway, seen by a caller that keeps using it: one
// request right after the other on one keep-alive connection, while the
// key is revoked over the admin API. Its baseline, in the same run, is
// the revocation command itself, answered without waiting for the
// gateway.

// benchRevocations is how many revocations each case of the revocation
// benchmark measures: AEGIS_BENCH_REVOCATIONS, default 300, after a tenth
// as many unmeasured. One iteration is a whole run: use -benchtime 1x.
func benchRevocations(b *testing.B) int {
	if v := os.Getenv("AEGIS_BENCH_REVOCATIONS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("AEGIS_BENCH_REVOCATIONS=%q: want a positive number", v)
		}
		return n
	}
	return 300
}

// revocationHost is the hostname of the app the revocation benchmark
// calls through the gateway.
const revocationHost = "revoke.bench.example"

// revocationTimeout bounds how long one revoked key may keep working, and
// how long a new key may take to start working, before the benchmark
// fails.
const revocationTimeout = 10 * time.Second

// BenchmarkGatewayRevocation revokes keys one at a time while a caller
// keeps using the key being revoked, and measures, from the moment the
// DELETE's answer is received, until the end of the first request that
// started after it and was refused with 401. Without waiting (no-wait),
// and with ?wait=propagated, whose answer comes once every live gateway
// node has applied the revocation: there the first request started after
// the answer must be refused, and any that is not fails the benchmark.
// Both cases report the command's own latency (cmd-*) and that of the
// caller's requests before the revocation (req-*), on one platform with
// every role.
func BenchmarkGatewayRevocation(b *testing.B) {
	n := benchRevocations(b)
	p := startBenchPlatform(b)
	gw := p.gateway
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, "ok")
	}))
	b.Cleanup(up.Close)
	body := appBody("revoke", revocationHost)
	body["upstreams"] = []map[string]any{{"url": up.URL}}
	var app struct {
		AppID string `json:"app_id"`
	}
	if err := p.owner.do(http.MethodPost, "/api/v1/apps", jsonBody(b, body), 0, &app); err != nil {
		b.Fatal(err)
	}
	admin := p.clients(1)[0]
	callers := []*gatewayCaller{newGatewayCaller(gw, revocationHost)}
	cases := []struct {
		name, query string
		nodes       int
	}{
		{"no-wait", "", 1},
		{"wait-propagated", "?wait=propagated", 1},
		{"two-nodes-no-wait", "", 2},
		{"two-nodes-wait-propagated", "?wait=propagated", 2},
	}
	for _, c := range cases {
		if c.nodes > len(callers) {
			quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
			callers = append(callers, newGatewayCaller(startGatewayNode(b, p.natsURL, quiet), revocationHost))
		}
		b.Run(c.name, func(b *testing.B) {
			for range b.N {
				revokeAndReport(b, admin, callers, app.AppID, n, c.query)
			}
		})
	}
}

// revokeAndReport revokes warmup(1, n)+n new keys of the app one at a
// time while a caller on each node keeps using the key, and reports the
// last n: from the DELETE's answer until every node has refused a request
// started after it (p50-ms, p99-ms, max-ms), the command (cmd-*), the
// requests served before (req-*) and those served after (late-200s). With
// wait=propagated, a request let through after the answer fails it.
func revokeAndReport(b *testing.B, admin *benchClient, callers []*gatewayCaller, appID string, n int, query string) {
	keys := createWorkingKeys(b, admin, callers, appID, warmup(1, n)+n)
	var cmd, to401, req []time.Duration
	late, failures := 0, 0
	for i, k := range keys {
		results, err := revokeWhileCalling(admin, callers, k, query)
		if err != nil {
			b.Fatalf("revocation %d of key %s: %v", i, k.KeyID, err)
		}
		for _, r := range results {
			if r.firstAfter != http.StatusUnauthorized {
				failures++
			}
		}
		if i < len(keys)-n {
			continue // warm-up
		}
		var every time.Duration // until the last node refused
		for _, r := range results {
			every = max(every, r.to401)
			req = append(req, r.served...)
			late += r.late
		}
		cmd, to401 = append(cmd, results[0].command), append(to401, every)
	}
	report(b, "", to401)
	report(b, "cmd-", cmd)
	report(b, "req-", req)
	b.ReportMetric(float64(late)/float64(n), "late-200s/revocation")
	if query != "" {
		b.ReportMetric(float64(failures), "failures")
		if failures > 0 {
			b.Fatalf("%d of %d revocations answered with wait=propagated let the next request through", failures, len(keys))
		}
	}
}

// startGatewayNode starts another gateway node on the platform's NATS
// server at natsURL, serving on loopback, and returns its address. It
// stops when the test does.
func startGatewayNode(tb testing.TB, natsURL string, logger *slog.Logger) string {
	tb.Helper()
	nc, err := platform.ConnectNATS(natsURL, "second-node")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(nc.Close)
	node, err := gateway.New(nc, gateway.Options{NodeID: "second", Logger: logger})
	if err != nil {
		tb.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	node.Run(ctx)
	go func() { _ = node.Serve(ln) }()
	tb.Cleanup(func() {
		_ = node.Shutdown(context.Background())
		cancel()
	})
	return ln.Addr().String()
}

// report reports the median, 99th percentile and highest of lat, in
// milliseconds, as prefix+"p50-ms", prefix+"p99-ms" and prefix+"max-ms".
func report(b *testing.B, prefix string, lat []time.Duration) {
	b.Helper()
	if len(lat) == 0 {
		b.Fatalf("no %slatencies to report", prefix)
	}
	slices.Sort(lat)
	b.ReportMetric(percentile(lat, 50), prefix+"p50-ms")
	b.ReportMetric(percentile(lat, 99), prefix+"p99-ms")
	b.ReportMetric(percentile(lat, 100), prefix+"max-ms")
}

// gatewayKey is an API key and its secret.
type gatewayKey struct {
	KeyID string `json:"key_id"`
	Key   string `json:"key"`
}

// createWorkingKeys creates n keys on the app and returns them once each
// of them has been answered 200 through every caller's gateway node.
func createWorkingKeys(b *testing.B, admin *benchClient, callers []*gatewayCaller, appID string, n int) []gatewayKey {
	b.Helper()
	body := []byte(`{"environment":"production","name":"revoke"}`)
	keys := make([]gatewayKey, n)
	for i := range keys {
		if err := admin.do(http.MethodPost, "/api/v1/apps/"+appID+"/api-keys", body, 0, &keys[i]); err != nil {
			b.Fatal(err)
		}
		if keys[i].KeyID == "" || keys[i].Key == "" {
			b.Fatalf("create key answered no key id or secret: %+v", keys[i])
		}
	}
	deadline := time.Now().Add(revocationTimeout)
	for _, k := range keys {
		for _, caller := range callers {
			waitForKey(b, caller, k, deadline)
		}
	}
	return keys
}

// waitForKey waits until caller's gateway node answers k 200.
func waitForKey(b *testing.B, caller *gatewayCaller, k gatewayKey, deadline time.Time) {
	b.Helper()
	for {
		status, err := caller.call(k.Key)
		if err != nil {
			b.Fatal(err)
		}
		if status == http.StatusOK {
			return
		}
		// 401 or 404 until the node has the key and the app's route.
		if (status != http.StatusUnauthorized && status != http.StatusNotFound) || time.Now().After(deadline) {
			b.Fatalf("key %s through the gateway at %s = %d; want 200", k.KeyID, caller.url, status)
		}
		time.Sleep(time.Millisecond)
	}
}

// gatewayCaller sends requests through the gateway to one app's host, on
// one keep-alive connection.
type gatewayCaller struct {
	url, host string
	http      *http.Client
}

func newGatewayCaller(gatewayAddr, host string) *gatewayCaller {
	return &gatewayCaller{url: "http://" + gatewayAddr + "/v1/orders", host: host, http: &http.Client{
		Timeout:   revocationTimeout,
		Transport: &http.Transport{MaxIdleConnsPerHost: 1, IdleConnTimeout: time.Minute},
	}}
}

// call sends one GET with key as X-API-Key and returns the answer's
// status, once its body is read.
func (c *gatewayCaller) call(key string) (int, error) {
	req, err := http.NewRequest(http.MethodGet, c.url, nil)
	if err != nil {
		return 0, err
	}
	req.Host = c.host
	req.Header.Set("X-API-Key", key)
	resp, err := c.http.Do(req)
	if err != nil {
		return 0, fmt.Errorf("gateway: %w", err)
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0, fmt.Errorf("gateway: read answer: %w", err)
	}
	return resp.StatusCode, nil
}

// callSample is one request of the caller: when it started and ended, and
// its answer's status.
type callSample struct {
	start, end time.Time
	status     int
}

// revocationResult is what one revocation measured.
type revocationResult struct {
	// command is the DELETE's latency, from sending it to its answer.
	command time.Duration
	// to401 is from the DELETE's answer to the end of the first request
	// that started after it and was answered 401.
	to401 time.Duration
	// firstAfter is the status of the first request started after the
	// answer.
	firstAfter int
	// late counts the requests started after the answer and answered 200.
	late int
	// served holds the latencies of the requests answered 200 before the
	// answer.
	served []time.Duration
}

// revokeWhileCalling starts a caller on each node that uses k, one request
// after the other, and once every node has answered it 200, revokes k
// with DELETE /api/v1/api-keys/{id}+query. Each caller stops at the first
// 401 of a request it started after the DELETE's answer. It returns what
// each node's caller measured, in the order of callers. With
// wait=propagated in query, an answer that does not say every live node
// applied the revocation is an error, as is any status but 200 or 401 and
// a key that works revocationTimeout after its revocation.
func revokeWhileCalling(admin *benchClient, callers []*gatewayCaller, k gatewayKey, query string) ([]revocationResult, error) {
	runs := make([]*callerRun, len(callers))
	for i, c := range callers {
		runs[i] = startCaller(c, k.Key)
	}
	stopAll := func() {
		for _, r := range runs {
			r.stopAndWait()
		}
	}
	for _, r := range runs {
		select {
		case <-r.running:
		case o := <-r.done:
			r.ended = true
			stopAll()
			return nil, o.err
		}
	}
	var answer struct {
		Revision   uint64 `json:"revision"`
		Propagated *struct {
			Nodes int `json:"nodes"`
			Of    int `json:"of"`
		} `json:"propagated"`
	}
	start := time.Now()
	err := admin.do(http.MethodDelete, "/api/v1/api-keys/"+k.KeyID+query, nil, 0, &answer)
	ack := time.Now()
	if err != nil {
		stopAll()
		return nil, err
	}
	for _, r := range runs {
		r.acks <- ack
	}
	deadline := time.Now().Add(revocationTimeout)
	results := make([]revocationResult, len(runs))
	for i, r := range runs {
		var o callerOutcome
		select {
		case o = <-r.done:
		case <-time.After(time.Until(deadline)):
			close(r.stop)
			o = <-r.done
		}
		r.ended = true
		if o.err != nil {
			stopAll()
			return nil, o.err
		}
		results[i] = resultOf(o.samples, start, ack)
	}
	if query != "" && (answer.Propagated == nil || answer.Propagated.Of < 1 || answer.Propagated.Nodes != answer.Propagated.Of) {
		return nil, fmt.Errorf("wait=propagated answered %+v; want every live node", answer.Propagated)
	}
	return results, nil
}

// callerRun is a caller at work on one node: running is closed once the
// node has answered it 200, acks takes the time of the revocation's
// answer, stop ends it early, and done gives its samples when it ends;
// ended is set once they have been taken.
type callerRun struct {
	running, stop chan struct{}
	acks          chan time.Time
	done          chan callerOutcome
	ended         bool
}

type callerOutcome struct {
	samples []callSample
	err     error
}

// startCaller starts a caller using key on c until it is refused with 401
// in a request it started after the time sent on acks.
func startCaller(c *gatewayCaller, key string) *callerRun {
	r := &callerRun{running: make(chan struct{}), stop: make(chan struct{}),
		acks: make(chan time.Time, 1), done: make(chan callerOutcome, 1)}
	go func() {
		samples := make([]callSample, 0, 256)
		var ack time.Time
		for {
			select {
			case <-r.stop:
				r.done <- callerOutcome{samples, errors.New("the key still works after the revocation's answer")}
				return
			default:
			}
			start := time.Now()
			status, err := c.call(key)
			end := time.Now()
			if err == nil && status != http.StatusOK && status != http.StatusUnauthorized {
				err = fmt.Errorf("gateway answered %d", status)
			}
			if err == nil && len(samples) == 0 && status != http.StatusOK {
				err = fmt.Errorf("gateway answered %d before the revocation", status)
			}
			if err != nil {
				r.done <- callerOutcome{samples, err}
				return
			}
			samples = append(samples, callSample{start, end, status})
			if len(samples) == 1 {
				close(r.running)
			}
			if ack.IsZero() {
				select {
				case ack = <-r.acks:
				default:
				}
			}
			if !ack.IsZero() && !start.Before(ack) && status == http.StatusUnauthorized {
				r.done <- callerOutcome{samples, nil}
				return
			}
		}
	}()
	return r
}

// stopAndWait ends the caller, if it has not ended, and waits for it;
// what it measured is dropped.
func (r *callerRun) stopAndWait() {
	if r.ended {
		return
	}
	r.ended = true
	close(r.stop)
	<-r.done
}

// resultOf turns a caller's samples into what one revocation measured, the
// DELETE sent at start and answered at ack.
func resultOf(samples []callSample, start, ack time.Time) revocationResult {
	r := revocationResult{command: ack.Sub(start)}
	for _, s := range samples {
		if s.start.Before(ack) {
			if s.status == http.StatusOK {
				r.served = append(r.served, s.end.Sub(s.start))
			}
			continue
		}
		if r.firstAfter == 0 {
			r.firstAfter = s.status
		}
		if s.status == http.StatusUnauthorized {
			r.to401 = s.end.Sub(ack)
			break
		}
		r.late++
	}
	return r
}
