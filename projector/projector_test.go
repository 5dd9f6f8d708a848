package projector_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/aegis-oss/aegis/projector"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

// tally is a test projection that is not idempotent on purpose: applying
// an event twice shows as a wrong count, and it writes with several
// statements per event so that failures can fall between them.
type tally struct {
	// midApply, if set, is called between the statements of one event.
	midApply func() error
}

func (tally) Name() string { return "tally" }
func (tally) Handles() []string {
	return []string{schema.EventClaimAcquired, schema.EventClaimReleased}
}
func (tally) Tables() []string { return []string{"tally_counts", "tally_log"} }

func (p tally) Apply(ctx context.Context, w *projector.Writer, e schema.Event) error {
	w.Exec(`INSERT INTO tally_counts (aggregate_id, events) VALUES ($1, 1)
		ON CONFLICT (aggregate_id) DO UPDATE SET events = tally_counts.events + 1`, e.AggregateID)
	if p.midApply != nil {
		if err := w.Flush(ctx); err != nil {
			return err
		}
		if err := p.midApply(); err != nil {
			return err
		}
	}
	w.Exec(`UPDATE tally_counts SET last_revision = $2 WHERE aggregate_id = $1`, e.AggregateID, int64(e.Revision))
	w.Exec(`INSERT INTO tally_log (revision, aggregate_id, type) VALUES ($1, $2, $3)`, int64(e.Revision), e.AggregateID, e.Type)
	return nil
}

const tallyDDL = `
CREATE TABLE tally_counts (aggregate_id text PRIMARY KEY, events int NOT NULL, last_revision bigint NOT NULL DEFAULT 0);
CREATE TABLE tally_log (revision bigint PRIMARY KEY, aggregate_id text NOT NULL, type text NOT NULL);`

type stack struct {
	log  *eventlog.Log
	pool *pgxpool.Pool
}

func newStack(t *testing.T) stack {
	t.Helper()
	nc := testkit.Connect(t, testkit.NewNATS(t))
	l, err := eventlog.Open(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	return stack{log: l, pool: newDB(t)}
}

func newDB(t *testing.T) *pgxpool.Pool {
	t.Helper()
	pool := testkit.NewPool(t, testkit.NewDatabase(t))
	if _, err := pool.Exec(context.Background(), tallyDDL); err != nil {
		t.Fatal(err)
	}
	return pool
}

// appendClaims appends n claim events spread over a few aggregates.
func appendClaims(t *testing.T, l *eventlog.Log, n int) {
	t.Helper()
	ctx := context.Background()
	for i := range n {
		id := fmt.Sprintf("c%d", rand.IntN(12))
		rev, err := l.Revision(ctx, schema.PlatformCustomer, schema.AggregateClaim, id)
		if err != nil {
			t.Fatal(err)
		}
		typ := schema.EventClaimAcquired
		if i%3 == 2 {
			typ = schema.EventClaimReleased
		}
		e, err := schema.NewEvent(typ, schema.PlatformCustomer, schema.AggregateClaim, id, schema.SystemActor,
			schema.ClaimAcquired{Kind: "test", Value: id, Owner: "o"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Append(ctx, rev, "", e); err != nil {
			t.Fatal(err)
		}
	}
}

func runUntilCaughtUp(t *testing.T, s stack, p projector.Projection, opts ...projector.RunnerOption) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r, err := projector.NewRunner(s.log, s.pool, p, append([]projector.RunnerOption{projector.WithBackoff(10 * time.Millisecond)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	waitCheckpoint(t, s, p.Name())
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
}

// waitCheckpoint waits until projection name has reached the log's last
// revision.
func waitCheckpoint(t *testing.T, s stack, name string) {
	t.Helper()
	last, err := s.log.LastRevision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		if cp := checkpoint(t, s.pool, name); cp >= last {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("projection %s did not reach revision %d", name, last)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// dump returns every row of table as text, in order.
// rebuildEqualsLive rebuilds p and checks that tables then hold the rows
// the live projection had. It returns what the rebuild did.
func rebuildEqualsLive(t *testing.T, s stack, p projector.Projection, tables []string) projector.Rebuilt {
	t.Helper()
	before := map[string][]string{}
	for _, table := range tables {
		before[table] = dump(t, s.pool, table)
	}
	res, err := projector.Rebuild(context.Background(), s.log, s.pool, p)
	if err != nil {
		t.Fatalf("Rebuild: %v", err)
	}
	for _, table := range tables {
		if got, want := dump(t, s.pool, table), before[table]; !slices.Equal(got, want) {
			t.Errorf("%s after rebuild differs from live:\n got %v\nwant %v", table, got, want)
		}
	}
	return res
}

func dump(t *testing.T, pool *pgxpool.Pool, table string) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), fmt.Sprintf(`SELECT t::text FROM %s t ORDER BY 1`, table))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func checkpoint(t *testing.T, pool *pgxpool.Pool, name string) uint64 {
	t.Helper()
	rev, err := projector.Checkpoint(context.Background(), pool, name)
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

func TestRunnerProjectsAuditLog(t *testing.T) {
	s := newStack(t)
	appendClaims(t, s.log, 40)
	runUntilCaughtUp(t, s, projector.Audit{}, projector.WithBatchSize(7))
	var n int
	if err := s.pool.QueryRow(context.Background(), `SELECT count(DISTINCT revision) FROM audit_events`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 40 {
		t.Fatalf("audit_events holds %d events; want 40", n)
	}
	if got := checkpoint(t, s.pool, "audit"); got != 40 {
		t.Fatalf("checkpoint = %d; want 40", got)
	}
}

var errInjected = errors.New("injected failure")

// Kill the projection at every point of a batch, 100 times, while events
// keep arriving: the result equals one clean replay from revision 1.
func TestCrashAtAnyPointEqualsFullReplay(t *testing.T) {
	s := newStack(t)
	appendClaims(t, s.log, 150)
	ctx := context.Background()
	points := []projector.Point{
		projector.PointBegun, projector.PointLocked, projector.PointApplied,
		projector.PointFlushed, projector.PointCheckpoint, projector.PointCommitted, "mid-apply",
	}
	faults := map[projector.Point]int{}
	for round := range 100 {
		point := points[round%len(points)]
		// Let the point pass this many times first: a few events in, or a
		// batch or two in for the points passed once per batch.
		after := rand.IntN(2)
		if point == projector.PointApplied || point == "mid-apply" {
			after = rand.IntN(5)
		}
		kill := round%2 == 0 // kill the runner, or let it recover by itself
		runCtx, cancel := context.WithCancel(ctx)
		var seen, fired atomic.Int32
		fault := func(p projector.Point) error {
			if p != point || fired.Load() > 0 {
				return nil
			}
			if int(seen.Add(1)) <= after {
				return nil
			}
			fired.Add(1)
			if kill {
				cancel()
			}
			return errInjected
		}
		p := tally{midApply: func() error { return fault("mid-apply") }}
		r, err := projector.NewRunner(s.log, s.pool, p,
			projector.WithFault(fault), projector.WithBatchSize(1+rand.IntN(4)),
			projector.WithBackoff(time.Millisecond), projector.WithLogger(discard))
		if err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- r.Run(runCtx) }()
		// Stop once killed, or once the runner has caught up (after
		// recovering from the fault, if it fired).
		last, _ := s.log.LastRevision(ctx)
		deadline := time.Now().Add(20 * time.Second)
		for runCtx.Err() == nil && r.Applied() < last {
			if time.Now().After(deadline) {
				t.Fatalf("round %d (fault at %s after %d, kill %v, fired %d): stuck at %d of %d",
					round, point, after, kill, fired.Load(), r.Applied(), last)
			}
			time.Sleep(time.Millisecond)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("round %d: Run: %v", round, err)
		}
		if fired.Load() > 0 {
			faults[point]++
		}
		appendClaims(t, s.log, 1+rand.IntN(6))
	}
	for _, p := range points {
		if faults[p] == 0 {
			t.Errorf("no fault was injected at %s", p)
		}
	}
	runUntilCaughtUp(t, s, tally{})

	// One clean replay from revision 1 into a fresh database.
	fresh := stack{log: s.log, pool: newDB(t)}
	runUntilCaughtUp(t, fresh, tally{})

	last, _ := s.log.LastRevision(ctx)
	if got := checkpoint(t, s.pool, "tally"); got != last {
		t.Fatalf("checkpoint = %d; want last revision %d", got, last)
	}
	for _, table := range []string{"tally_counts", "tally_log"} {
		got, want := dump(t, s.pool, table), dump(t, fresh.pool, table)
		if !slices.Equal(got, want) {
			t.Fatalf("%s after crashes differs from a clean replay:\n got %d rows %v\nwant %d rows %v", table, len(got), got, len(want), want)
		}
	}
	var total int
	if err := s.pool.QueryRow(ctx, `SELECT sum(events) FROM tally_counts`).Scan(&total); err != nil {
		t.Fatal(err)
	}
	if uint64(total) != last {
		t.Fatalf("tally counted %d events; the log holds %d", total, last)
	}
}

func TestRebuildEqualsLive(t *testing.T) {
	s := newStack(t)
	appendClaims(t, s.log, 120)
	runUntilCaughtUp(t, s, projector.Audit{})
	runUntilCaughtUp(t, s, tally{})
	before := map[string][]string{}
	for _, table := range []string{"audit_events", "tally_counts", "tally_log"} {
		before[table] = dump(t, s.pool, table)
	}
	ctx := context.Background()
	for _, p := range []projector.Projection{projector.Audit{}, tally{}} {
		res, err := projector.Rebuild(ctx, s.log, s.pool, p)
		if err != nil {
			t.Fatalf("Rebuild(%s): %v", p.Name(), err)
		}
		if res.Revision != 120 || res.Applied != 120 {
			t.Fatalf("Rebuild(%s) = %+v; want revision 120, 120 applied", p.Name(), res)
		}
	}
	for table, want := range before {
		if got := dump(t, s.pool, table); !slices.Equal(got, want) {
			t.Fatalf("%s after rebuild differs from live:\n got %v\nwant %v", table, got, want)
		}
	}
	var schemas int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rebuild_%'`).Scan(&schemas); err != nil {
		t.Fatal(err)
	}
	if schemas != 0 {
		t.Fatalf("%d rebuild schemas left behind", schemas)
	}
}

// A rebuild while the live runner works and events arrive leaves the read
// model equal to a clean replay: the swap neither loses nor doubles events.
func TestRebuildWhileLive(t *testing.T) {
	s := newStack(t)
	appendClaims(t, s.log, 100)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := projector.NewRunner(s.log, s.pool, tally{}, projector.WithBatchSize(5))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	writing := make(chan struct{})
	go func() {
		defer close(writing)
		appendClaims(t, s.log, 60)
	}()
	if _, err := projector.Rebuild(context.Background(), s.log, s.pool, tally{}); err != nil {
		t.Fatal(err)
	}
	<-writing
	waitCheckpoint(t, s, "tally")
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	fresh := stack{log: s.log, pool: newDB(t)}
	runUntilCaughtUp(t, fresh, tally{})
	for _, table := range []string{"tally_counts", "tally_log"} {
		if got, want := dump(t, s.pool, table), dump(t, fresh.pool, table); !slices.Equal(got, want) {
			t.Fatalf("%s differs from a clean replay:\n got %v\nwant %v", table, got, want)
		}
	}
}

func TestStatusesReportLag(t *testing.T) {
	s := newStack(t)
	appendClaims(t, s.log, 10)
	ctx := context.Background()
	st, err := projector.Statuses(ctx, s.log, s.pool)
	if err != nil {
		t.Fatal(err)
	}
	if len(st) == 0 || st[0].Name != "audit" || st[0].Lag != 10 || st[0].Last != 10 {
		t.Fatalf("before running: %+v; want audit 10 behind", st)
	}
	runUntilCaughtUp(t, s, projector.Audit{})
	st, err = projector.Statuses(ctx, s.log, s.pool)
	if err != nil {
		t.Fatal(err)
	}
	if st[0].Lag != 0 || st[0].Checkpoint != 10 {
		t.Fatalf("after running: %+v; want no lag", st[0])
	}
}

func TestNewRunnerRejectsUnknownTypes(t *testing.T) {
	s := stack{}
	if _, err := projector.NewRunner(s.log, s.pool, bogus{}); err == nil {
		t.Fatal("NewRunner accepted a projection of an event type outside the catalog")
	}
}

type bogus struct{ tally }

func (bogus) Handles() []string { return []string{"nothing.happened"} }

var discard = slog.New(slog.DiscardHandler)

// A runner whose durable consumer is deleted under it creates it again and
// carries on from its checkpoint.
func TestRunnerSurvivesConsumerDeletion(t *testing.T) {
	s := newStack(t)
	appendClaims(t, s.log, 10)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := projector.NewRunner(s.log, s.pool, tally{}, projector.WithBackoff(10*time.Millisecond), projector.WithLogger(discard))
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(ctx) }()
	waitCheckpoint(t, s, "tally")
	if err := s.log.DeleteDurable(ctx, schema.ProjectionConsumer("tally")); err != nil {
		t.Fatal(err)
	}
	appendClaims(t, s.log, 10)
	waitCheckpoint(t, s, "tally")
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	var total int
	if err := s.pool.QueryRow(context.Background(), `SELECT sum(events) FROM tally_counts`).Scan(&total); err != nil {
		t.Fatal(err)
	}
	if total != 20 {
		t.Fatalf("tally counted %d events; want 20", total)
	}
}
