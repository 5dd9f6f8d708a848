package platform_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/config"
	"github.com/aegis-oss/aegis/cmd/aegis/internal/platform"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

// The admin benchmarks drive a whole platform (embedded NATS syncing every
// write, PostgreSQL, the projections, the admin API) over loopback HTTP as
// the CLI does: a personal access token as Bearer, each client with its
// own keep-alive connection. Each figure has a baseline in the same run:
// GET /health (the HTTP stack alone) and a bare eventlog.Append of the
// event the command appends (the durable append alone), on the same
// platform with the same clients; or the same query for a key already
// projected.

// benchCommands is how many commands each case of the admin benchmarks
// measures: AEGIS_BENCH_COMMANDS, default 1,000, after a tenth as many
// unmeasured. One iteration is a whole run: use -benchtime 1x. Each case
// starts a platform of its own.
func benchCommands(b *testing.B) int {
	if v := os.Getenv("AEGIS_BENCH_COMMANDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("AEGIS_BENCH_COMMANDS=%q: want a positive number", v)
		}
		return n
	}
	return 1000
}

// keysPerApp bounds how many keys one list answer holds in the
// read-your-writes benchmarks, so that every read costs about the same.
const keysPerApp = 20

// BenchmarkAdminCreateKey measures POST /api/v1/apps/{id}/api-keys: one
// client sending one command after the other, then 16 clients at once,
// each on a fresh platform.
func BenchmarkAdminCreateKey(b *testing.B) {
	n := benchCommands(b)
	body := []byte(`{"environment":"production","name":"bench","scopes":["orders:read"]}`)
	ctx := context.Background()
	for _, clients := range []int{1, 16} {
		b.Run(fmt.Sprintf("clients=%d", clients), func(b *testing.B) {
			p := startBenchPlatform(b)
			appID := p.createApps(b, "keys", 1)[0]
			path := "/api/v1/apps/" + appID + "/api-keys"
			cs := p.clients(clients)
			b.Run("aegis", func(b *testing.B) {
				measure(b, clients, n, "commands/s", timed(func(w int) error {
					_, err := cs[w].createKey(path, body)
					return err
				}))
			})
			b.Run("baseline-health", func(b *testing.B) {
				measure(b, clients, n, "requests/s", timed(func(w int) error {
					return cs[w].do(http.MethodGet, "/health", nil, 0, nil)
				}))
			})
			b.Run("baseline-append", func(b *testing.B) {
				measure(b, clients, n, "events/s", timed(func(int) error {
					return p.appendKeyCreated(ctx, appID)
				}))
			})
		})
	}
}

// BenchmarkAdminReadYourWrites measures how long after a command's answer
// GET /api/v1/api-keys shows the new key: polled without
// Aegis-Min-Revision, or asked once with it. The baselines are the same
// GET for a key already projected, without the header and with a revision
// already reached. Each key goes to an app of at most keysPerApp keys and
// the GET lists that app's keys, so every answer is about the same size.
// Each case runs on a fresh platform.
func BenchmarkAdminReadYourWrites(b *testing.B) {
	n := benchCommands(b)
	b.Run("poll", func(b *testing.B) {
		p := startBenchPlatform(b)
		c := p.clients(1)[0]
		keys := p.keySource(b, c, "poll", n)
		reads := 0
		measure(b, 1, n, "", func(int) (time.Duration, error) {
			k, list, err := keys()
			if err != nil {
				return 0, err
			}
			start := time.Now()
			for {
				reads++
				seen, err := c.listHas(list, 0, k.KeyID)
				if err != nil || seen {
					return time.Since(start), err
				}
				if time.Since(start) > 10*time.Second {
					return 0, fmt.Errorf("key %s (revision %d) not listed 10 s after its creation", k.KeyID, k.Revision)
				}
			}
		})
		b.ReportMetric(float64(reads)/float64(b.N*(n+warmup(1, n))), "reads/command")
	})
	b.Run("min-revision", func(b *testing.B) {
		p := startBenchPlatform(b)
		c := p.clients(1)[0]
		keys := p.keySource(b, c, "wait", n)
		measure(b, 1, n, "", func(int) (time.Duration, error) {
			k, list, err := keys()
			if err != nil {
				return 0, err
			}
			start := time.Now()
			err = c.mustList(list, k.Revision, k.KeyID)
			return time.Since(start), err
		})
	})
	for _, header := range []bool{false, true} {
		name := "baseline-projected"
		if header {
			name = "baseline-reached"
		}
		b.Run(name, func(b *testing.B) {
			p := startBenchPlatform(b)
			c := p.clients(1)[0]
			keys := p.keySource(b, c, name, n)
			measure(b, 1, n, "", func(int) (time.Duration, error) {
				k, list, err := keys()
				if err == nil {
					err = c.mustList(list, k.Revision, k.KeyID)
				}
				if err != nil {
					return 0, err
				}
				var rev uint64
				if header {
					rev = k.Revision
				}
				start := time.Now()
				err = c.mustList(list, rev, k.KeyID)
				return time.Since(start), err
			})
		})
	}
}

// warmup is how many operations run, unmeasured, before the measured ones.
func warmup(workers, n int) int { return max(n/10, 2*workers) }

// measure runs warmup(workers, n) operations and then n measured ones,
// spread over workers goroutines, each running one operation after the
// other. op returns the latency it measured. It reports the median, 99th
// percentile and highest latency and, unless rate is "", operations per
// second in rate. The first error fails b.
func measure(b *testing.B, workers, n int, rate string, op func(w int) (time.Duration, error)) {
	b.Helper()
	for range b.N {
		if _, err := runOps(workers, warmup(workers, n), op); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		lat, err := runOps(workers, n, op)
		elapsed := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		slices.Sort(lat)
		b.ReportMetric(percentile(lat, 50), "p50-ms")
		b.ReportMetric(percentile(lat, 99), "p99-ms")
		b.ReportMetric(percentile(lat, 100), "max-ms")
		if rate != "" {
			b.ReportMetric(float64(n)/elapsed.Seconds(), rate)
		}
	}
}

// runOps runs n operations over workers goroutines and returns each one's
// latency. It stops at the first error and returns it.
func runOps(workers, n int, op func(w int) (time.Duration, error)) ([]time.Duration, error) {
	lat := make([]time.Duration, n)
	var next atomic.Int64
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				d, err := op(w)
				if err != nil {
					errs <- err
					next.Store(int64(n))
					return
				}
				lat[i] = d
			}
		}()
	}
	wg.Wait()
	close(errs)
	return lat, <-errs
}

// timed turns f into an operation whose latency is f's whole duration.
func timed(f func(w int) error) func(w int) (time.Duration, error) {
	return func(w int) (time.Duration, error) {
		start := time.Now()
		err := f(w)
		return time.Since(start), err
	}
}

// percentile returns the p-th percentile (nearest rank) of sorted, in
// milliseconds.
func percentile(sorted []time.Duration, p int) float64 {
	i := max((len(sorted)*p+99)/100-1, 0)
	return float64(sorted[i]) / float64(time.Millisecond)
}

// benchPlatform is a running platform with one verified customer, a
// personal access token of its owner, and a connection to its event log.
type benchPlatform struct {
	base                 string
	gateway              string // the gateway's address
	natsURL              string // where the platform's NATS server listens
	token, tokenID       string
	customerID, memberID string
	log                  *eventlog.Log
	owner                *benchClient
}

// startBenchPlatform starts a platform as the end-to-end tests do, signs a
// customer up over HTTP (register, verify from the mail, log in), and
// creates its owner's personal access token.
func startBenchPlatform(b *testing.B) *benchPlatform {
	b.Helper()
	ctx := context.Background()
	smtp := testkit.NewSMTP(b)
	cfg := config.Default()
	cfg.DataDir = b.TempDir()
	cfg.DatabaseURL = testkit.NewDatabase(b)
	cfg.NATSAddr, cfg.AdminAddr, cfg.GatewayAddr = "127.0.0.1:0", "127.0.0.1:0", "127.0.0.1:0"
	cfg.SMTPURL, cfg.PublicURL = smtp.URL(), "http://dashboard.test"
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	pl, err := platform.Start(ctx, cfg, logger, "bench")
	if err != nil {
		b.Fatalf("Start: %v", err)
	}
	b.Cleanup(func() { _ = pl.Shutdown(context.Background()) })
	nc, err := platform.ConnectNATS(pl.NATSURL(), "bench")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(nc.Close)
	p := &benchPlatform{base: "http://" + pl.AdminAddr(), gateway: pl.GatewayAddr(), natsURL: pl.NATSURL()}
	if p.log, err = eventlog.Attach(ctx, nc); err != nil {
		b.Fatal(err)
	}

	const email, password = "owner@bench.example", "correct horse battery staple"
	owner := newBenchClient(p.base, "")
	owner.http.Jar, _ = cookiejar.New(nil)
	must := func(err error) {
		b.Helper()
		if err != nil {
			b.Fatal(err)
		}
	}
	must(owner.do(http.MethodPost, "/api/v1/register", jsonBody(b, map[string]string{
		"company_name": "Bench", "email": email, "password": password}), 0, nil))
	m := tokenInLink.FindStringSubmatch(smtp.WaitFor(b, email, 20*time.Second).Text)
	if m == nil {
		b.Fatal("no verification link in the mail")
	}
	token, _ := url.QueryUnescape(m[1])
	var verified struct {
		Revision uint64 `json:"revision"`
	}
	must(owner.do(http.MethodPost, "/api/v1/verify", jsonBody(b, map[string]string{"token": token}), 0, &verified))
	var sess struct {
		CSRFToken string `json:"csrf_token"`
		Revision  uint64 `json:"revision"`
	}
	must(owner.do(http.MethodPost, "/api/v1/auth/login", jsonBody(b, map[string]string{"email": email, "password": password}), verified.Revision, &sess))
	owner.csrf = sess.CSRFToken
	var tok struct {
		TokenID  string `json:"token_id"`
		Token    string `json:"token"`
		Revision uint64 `json:"revision"`
	}
	must(owner.do(http.MethodPost, "/api/v1/tokens", jsonBody(b, map[string]string{"name": "bench"}), max(verified.Revision, sess.Revision), &tok))
	p.token, p.tokenID = tok.Token, tok.TokenID
	p.owner = newBenchClient(p.base, p.token)
	var me struct {
		MemberID   string `json:"member_id"`
		CustomerID string `json:"customer_id"`
	}
	must(p.owner.do(http.MethodGet, "/api/v1/me", nil, tok.Revision, &me))
	p.customerID, p.memberID = me.CustomerID, me.MemberID
	return p
}

// clients returns n clients with the token, each with its own connection.
func (p *benchPlatform) clients(n int) []*benchClient {
	cs := make([]*benchClient, n)
	for i := range cs {
		cs[i] = newBenchClient(p.base, p.token)
	}
	return cs
}

// createApps creates n apps and returns their ids once all of them are
// projected.
func (p *benchPlatform) createApps(b *testing.B, prefix string, n int) []string {
	b.Helper()
	ids := make([]string, n)
	var rev uint64
	for i := range ids {
		slug := fmt.Sprintf("%s-%d", prefix, i)
		var app struct {
			AppID    string `json:"app_id"`
			Revision uint64 `json:"revision"`
		}
		if err := p.owner.do(http.MethodPost, "/api/v1/apps", jsonBody(b, appBody(slug, slug+".bench.example")), 0, &app); err != nil {
			b.Fatal(err)
		}
		ids[i], rev = app.AppID, app.Revision
	}
	if err := p.owner.do(http.MethodGet, "/api/v1/apps", nil, rev, nil); err != nil {
		b.Fatal(err)
	}
	return ids
}

// keySource returns a function that creates the next key with c and
// returns it with the list query that shows it: its app's keys. It has
// apps for the keys of b.N runs of n measured and warm-up commands.
func (p *benchPlatform) keySource(b *testing.B, c *benchClient, prefix string, n int) func() (createdKey, string, error) {
	b.Helper()
	total := b.N * (n + warmup(1, n))
	apps := p.createApps(b, prefix, (total+keysPerApp-1)/keysPerApp)
	body := []byte(`{"environment":"production","name":"bench"}`)
	i := 0
	return func() (createdKey, string, error) {
		app := apps[i/keysPerApp%len(apps)]
		i++
		k, err := c.createKey("/api/v1/apps/"+app+"/api-keys", body)
		return k, "/api/v1/api-keys?app_id=" + app, err
	}
}

// appendKeyCreated appends the event CreateKey appends, with nothing
// before it: no validation, no loading of the app, no HTTP.
func (p *benchPlatform) appendKeyCreated(ctx context.Context, appID string) error {
	_, hash, prefix, last4, err := schema.NewAPIKey("production")
	if err != nil {
		return err
	}
	cmdID := schema.NewID()
	e, err := schema.NewEvent(schema.EventAPIKeyCreated, p.customerID, schema.AggregateAPIKey, schema.NewID(),
		schema.Actor{Kind: schema.ActorToken, ID: p.tokenID}, schema.APIKeyCreated{
			AppID: appID, Environment: "production", Name: "bench", Scopes: []string{"orders:read"},
			KeyHash: hash, Prefix: prefix, Last4: last4,
		})
	if err != nil {
		return err
	}
	e.CorrelationID, e.CausationID = cmdID, cmdID
	res, err := p.log.Append(ctx, 0, cmdID, e)
	if err == nil && res.Duplicate {
		err = fmt.Errorf("append of command %s answered duplicate", cmdID)
	}
	return err
}

// benchClient is one admin API client with its own keep-alive connection.
type benchClient struct {
	base, bearer, csrf string
	http               *http.Client
}

func newBenchClient(base, bearer string) *benchClient {
	return &benchClient{base: base, bearer: bearer, http: &http.Client{
		Timeout:   20 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: 1, IdleConnTimeout: time.Minute},
	}}
}

// do sends a request with a JSON body (or none) and decodes the answer
// into out, if not nil. minRev, if not 0, is sent as Aegis-Min-Revision.
// It returns an error if the request fails or the answer is not 2xx.
func (c *benchClient) do(method, path string, body []byte, minRev uint64, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	if minRev > 0 {
		req.Header.Set("Aegis-Min-Revision", strconv.FormatUint(minRev, 10))
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: read answer: %w", method, path, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s %s = %d %s", method, path, resp.StatusCode, raw)
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("%s %s: decode %q: %w", method, path, raw, err)
		}
	}
	return nil
}

// createdKey is the part of a create-key answer the benchmarks use.
type createdKey struct {
	KeyID    string `json:"key_id"`
	Revision uint64 `json:"revision"`
}

// createKey sends a create-key command. It returns an error for any
// answer but 2xx, and for one without a key id or revision.
func (c *benchClient) createKey(path string, body []byte) (createdKey, error) {
	var k createdKey
	if err := c.do(http.MethodPost, path, body, 0, &k); err != nil {
		return k, err
	}
	if k.KeyID == "" || k.Revision == 0 {
		return k, fmt.Errorf("POST %s answered no key id or revision: %+v", path, k)
	}
	return k, nil
}

// listHas reports whether the list answered at path holds keyID.
func (c *benchClient) listHas(path string, minRev uint64, keyID string) (bool, error) {
	var list struct {
		Keys []struct {
			KeyID string `json:"key_id"`
		} `json:"keys"`
	}
	if err := c.do(http.MethodGet, path, nil, minRev, &list); err != nil {
		return false, err
	}
	for _, k := range list.Keys {
		if k.KeyID == keyID {
			return true, nil
		}
	}
	return false, nil
}

// mustList returns an error if the list answered at path does not hold
// keyID.
func (c *benchClient) mustList(path string, minRev uint64, keyID string) error {
	seen, err := c.listHas(path, minRev, keyID)
	if err == nil && !seen {
		err = fmt.Errorf("GET %s (Aegis-Min-Revision %d) does not list key %s", path, minRev, keyID)
	}
	return err
}

func jsonBody(b *testing.B, v any) []byte {
	b.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		b.Fatal(err)
	}
	return data
}
