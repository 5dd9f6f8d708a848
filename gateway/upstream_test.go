package gateway_test

import (
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/gateway"
	"github.com/aegis-oss/aegis/schema"
	"github.com/valyala/fasthttp"
	"github.com/valyala/fasthttp/fasthttputil"
)

func newUpstreams(t *testing.T, targets ...schema.Upstream) *gateway.Upstreams {
	t.Helper()
	u, err := gateway.NewUpstreams(targets, schema.Timeouts{})
	if err != nil {
		t.Fatalf("NewUpstreams: %v", err)
	}
	t.Cleanup(u.Close)
	return u
}

// picks returns the URLs of the next n targets.
func picks(t *testing.T, u *gateway.Upstreams, n int) []string {
	t.Helper()
	got := make([]string, n)
	for i := range got {
		tg, ok := u.Next()
		if !ok {
			t.Fatal("Next returned no target")
		}
		got[i] = tg.URL
	}
	return got
}

func TestNewUpstreamsConfiguresClients(t *testing.T) {
	u, err := gateway.NewUpstreams([]schema.Upstream{
		{URL: "http://a.internal"},
		{URL: "https://b.internal/api", Weight: 2},
		{URL: "http://[::1]:4000"},
		{URL: "https://c.internal:8443"},
	}, schema.Timeouts{ConnectMS: 100, ReadMS: 2000, WriteMS: 3000})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(u.Close)
	want := []struct {
		addr, host string
		tls        bool
	}{
		{"a.internal:80", "a.internal", false},
		{"b.internal:443", "b.internal", true},
		{"[::1]:4000", "[::1]:4000", false},
		{"c.internal:8443", "c.internal:8443", true},
	}
	got := u.Targets()
	if len(got) != len(want) {
		t.Fatalf("got %d targets, want %d", len(got), len(want))
	}
	for i, w := range want {
		c := got[i].Client
		if c.Addr != w.addr || got[i].Host != w.host || c.IsTLS != w.tls {
			t.Errorf("target %d: got Addr %q Host %q IsTLS %v, want %q %q %v", i, c.Addr, got[i].Host, c.IsTLS, w.addr, w.host, w.tls)
		}
		if c.ReadTimeout != 2*time.Second || c.WriteTimeout != 3*time.Second {
			t.Errorf("target %d: got timeouts read %v write %v, want 2s 3s", i, c.ReadTimeout, c.WriteTimeout)
		}
		if c.MaxConns != 512 || c.MaxIdleConnDuration != time.Minute || c.Dial == nil {
			t.Errorf("target %d: got MaxConns %d MaxIdleConnDuration %v, want 512 1m and a Dial", i, c.MaxConns, c.MaxIdleConnDuration)
		}
		if !c.NoDefaultUserAgentHeader || !c.DisableHeaderNamesNormalizing || !c.DisablePathNormalizing {
			t.Errorf("target %d: the client must forward requests as given", i)
		}
	}
	if u.EjectFor != 10*time.Second {
		t.Errorf("EjectFor = %v, want 10s", u.EjectFor)
	}
}

func TestNewUpstreamsRejectsBadConfig(t *testing.T) {
	for _, tc := range []struct {
		name    string
		targets []schema.Upstream
		t       schema.Timeouts
		want    string
	}{
		{"no targets", nil, schema.Timeouts{}, "no upstream"},
		{"scheme", []schema.Upstream{{URL: "ftp://a"}}, schema.Timeouts{}, "ftp://a"},
		{"no host", []schema.Upstream{{URL: "http://"}}, schema.Timeouts{}, "http://"},
		{"relative", []schema.Upstream{{URL: "/api"}}, schema.Timeouts{}, "/api"},
		{"user info", []schema.Upstream{{URL: "http://u:p@a"}}, schema.Timeouts{}, "user info"},
		{"weight", []schema.Upstream{{URL: "http://a", Weight: -1}}, schema.Timeouts{}, "weight"},
		{"timeout", []schema.Upstream{{URL: "http://a"}}, schema.Timeouts{ReadMS: -1}, "read timeout"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u, err := gateway.NewUpstreams(tc.targets, tc.t)
			if err == nil || u != nil {
				t.Fatalf("got %v, %v; want an error", u, err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got error %q, want it to mention %q", err, tc.want)
			}
		})
	}
}

func TestNextSpreadsByWeight(t *testing.T) {
	u := newUpstreams(t, schema.Upstream{URL: "http://heavy", Weight: 3}, schema.Upstream{URL: "http://light", Weight: 1})
	got := picks(t, u, 400)
	count := map[string]int{}
	run := 0
	for _, p := range got {
		count[p]++
		if p == "http://heavy" {
			run++
			if run > 3 {
				t.Fatalf("heavy picked %d times in a row; smooth WRR gives at most 3", run)
			}
		} else {
			run = 0
		}
	}
	if count["http://heavy"] != 300 || count["http://light"] != 100 {
		t.Errorf("got %v, want 300 heavy and 100 light", count)
	}
	if seq := strings.Join(got[:4], " "); seq != "http://heavy http://heavy http://light http://heavy" {
		t.Errorf("got first picks %s, want heavy heavy light heavy", seq)
	}
}

func TestNextFollowsNginxSequence(t *testing.T) {
	u := newUpstreams(t,
		schema.Upstream{URL: "http://a", Weight: 5},
		schema.Upstream{URL: "http://b", Weight: 1},
		schema.Upstream{URL: "http://c", Weight: 1},
	)
	want := "a a b a c a a"
	for round := range 3 {
		got := strings.ReplaceAll(strings.Join(picks(t, u, 7), " "), "http://", "")
		if got != want {
			t.Fatalf("round %d: got %s, want %s", round, got, want)
		}
	}
}

func TestFailuresEjectATarget(t *testing.T) {
	u := newUpstreams(t, schema.Upstream{URL: "http://a"}, schema.Upstream{URL: "http://b"})
	u.EjectFor = 100 * time.Millisecond
	a := u.Targets()[0]

	a.Failed()
	a.Failed()
	a.Succeeded() // resets the count
	a.Failed()
	a.Failed()
	if a.Ejected() {
		t.Fatal("ejected after 2 failures in a row")
	}
	a.Failed()
	if !a.Ejected() {
		t.Fatal("not ejected after 3 failures in a row")
	}
	for _, p := range picks(t, u, 10) {
		if p != "http://b" {
			t.Fatalf("got %s while a is ejected, want http://b", p)
		}
	}

	time.Sleep(150 * time.Millisecond)
	if a.Ejected() {
		t.Fatal("still ejected after EjectFor")
	}
	count := map[string]int{}
	for _, p := range picks(t, u, 10) {
		count[p]++
	}
	if count["http://a"] != 5 || count["http://b"] != 5 {
		t.Errorf("after the ejection got %v, want 5 each", count)
	}
}

func TestSuccessEndsAnEjection(t *testing.T) {
	u := newUpstreams(t, schema.Upstream{URL: "http://a"}, schema.Upstream{URL: "http://b"})
	a := u.Targets()[0]
	for range 3 {
		a.Failed()
	}
	if !a.Ejected() {
		t.Fatal("not ejected after 3 failures")
	}
	a.Succeeded()
	if a.Ejected() {
		t.Fatal("still ejected after a success")
	}
}

func TestNextFailsOpenWhenEveryTargetIsEjected(t *testing.T) {
	u := newUpstreams(t, schema.Upstream{URL: "http://a"}, schema.Upstream{URL: "http://b"}, schema.Upstream{URL: "http://c"})
	ts := u.Targets()
	for _, i := range []int{1, 0, 2} { // b is ejected first
		for range 3 {
			ts[i].Failed()
		}
		time.Sleep(2 * time.Millisecond)
	}
	for range 5 {
		tg, ok := u.Next()
		if !ok || tg != ts[1] {
			t.Fatalf("got %v, %v; want the least recently ejected target http://b", tg, ok)
		}
	}
}

func TestNextWithoutTargets(t *testing.T) {
	var u *gateway.Upstreams
	if tg, ok := u.Next(); ok || tg != nil {
		t.Errorf("nil pool: got %v, %v; want nil, false", tg, ok)
	}
	if tg, ok := new(gateway.Upstreams).Next(); ok || tg != nil {
		t.Errorf("empty pool: got %v, %v; want nil, false", tg, ok)
	}
}

func TestNextDoesNotAllocate(t *testing.T) {
	u := newUpstreams(t, schema.Upstream{URL: "http://a", Weight: 3}, schema.Upstream{URL: "http://b"}, schema.Upstream{URL: "http://c"})
	for range 3 {
		u.Targets()[2].Failed() // exercise the ejection check too
	}
	allocs := testing.AllocsPerRun(1000, func() {
		tg, ok := u.Next()
		if !ok {
			t.Fatal("no target")
		}
		tg.Succeeded()
	})
	if allocs != 0 {
		t.Errorf("Next allocates %v times per call, want 0", allocs)
	}
}

func TestUpstreamsUnderConcurrency(t *testing.T) {
	u := newUpstreams(t, schema.Upstream{URL: "http://a", Weight: 2}, schema.Upstream{URL: "http://b"})
	u.EjectFor = time.Millisecond
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 2000 {
				tg, ok := u.Next()
				if !ok {
					t.Error("no target")
					return
				}
				if (g+i)%3 == 0 {
					tg.Failed()
				} else {
					tg.Succeeded()
				}
			}
		})
	}
	wg.Wait()
}

func TestTargetProxiesARequest(t *testing.T) {
	ln := fasthttputil.NewInmemoryListener()
	srv := &fasthttp.Server{Handler: func(ctx *fasthttp.RequestCtx) {
		ctx.Response.Header.Set("X-Seen-Uri", string(ctx.RequestURI()))
		ctx.Response.Header.Set("X-Seen-Host", string(ctx.Host()))
		ctx.Response.Header.Set("X-Seen-User-Agent", string(ctx.UserAgent()))
		ctx.SetBodyString("hello from upstream")
	}}
	go srv.Serve(ln)                     //nolint:errcheck // ends with Shutdown
	t.Cleanup(func() { srv.Shutdown() }) //nolint:errcheck

	u := newUpstreams(t, schema.Upstream{URL: "http://backend.internal:4000"})
	tg, ok := u.Next()
	if !ok {
		t.Fatal("no target")
	}
	tg.Client.Dial = func(string) (net.Conn, error) { return ln.Dial() }

	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	t.Cleanup(func() { fasthttp.ReleaseRequest(req); fasthttp.ReleaseResponse(resp) })
	// The gateway forwards the path it evaluated, byte for byte.
	req.SetRequestURI("/v1/a%3Fb/../c?x=1")
	req.Header.SetHost(tg.Host)
	for i := range 3 { // keep-alive: the pooled connection is reused
		if err := tg.Client.DoTimeout(req, resp, 5*time.Second); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
		tg.Succeeded()
		if resp.StatusCode() != fasthttp.StatusOK || string(resp.Body()) != "hello from upstream" {
			t.Fatalf("got %d %q, want 200 \"hello from upstream\"", resp.StatusCode(), resp.Body())
		}
	}
	if got := string(resp.Header.Peek("X-Seen-Uri")); got != "/v1/a%3Fb/../c?x=1" {
		t.Errorf("upstream saw URI %q, want it unchanged", got)
	}
	if got := string(resp.Header.Peek("X-Seen-Host")); got != "backend.internal:4000" {
		t.Errorf("upstream saw Host %q, want backend.internal:4000", got)
	}
	if got := string(resp.Header.Peek("X-Seen-User-Agent")); got != "" {
		t.Errorf("upstream saw User-Agent %q, want none", got)
	}
}
