package projector_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/nats-io/nats.go"

	"github.com/aegis-oss/aegis/projector"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

// benchEvents is how many events the projector benchmarks replay:
// AEGIS_BENCH_EVENTS, default 100,000 (make bench uses 1,000,000).
func benchEvents(b *testing.B) int {
	if v := os.Getenv("AEGIS_BENCH_EVENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatalf("AEGIS_BENCH_EVENTS=%q: %v", v, err)
		}
		return n
	}
	return 100_000
}

// seed appends n claim events as Append stores them, published
// asynchronously to a server that does not sync, so that seeding a million
// events takes seconds. The benchmarks measure reading them, not writing.
func seed(b *testing.B, n int) stack {
	b.Helper()
	nc := testkit.Connect(b, testkit.NewNATS(b, testkit.NoSync))
	ctx := context.Background()
	l, err := eventlog.Open(ctx, nc)
	if err != nil {
		b.Fatal(err)
	}
	js := l.JetStream()
	for i := range n {
		id := fmt.Sprintf("c%d", i%1000)
		e, err := schema.NewEvent(schema.EventClaimAcquired, schema.PlatformCustomer, schema.AggregateClaim, id,
			schema.Actor{Kind: schema.ActorMember, ID: schema.NewID()},
			schema.ClaimAcquired{Kind: schema.ClaimHostname, Value: fmt.Sprintf("shop%d.example.com", i), Owner: "app:" + schema.NewID()})
		if err != nil {
			b.Fatal(err)
		}
		m := nats.NewMsg(e.Subject())
		m.Data, _ = json.Marshal(e)
		m.Header.Set(schema.HeaderEventType, e.Type)
		m.Header.Set(schema.HeaderEventVersion, "1")
		if _, err := js.PublishMsgAsync(m); err != nil {
			b.Fatal(err)
		}
		if i%10_000 == 9_999 {
			<-js.PublishAsyncComplete()
		}
	}
	<-js.PublishAsyncComplete()
	if last, _ := l.LastRevision(ctx); last != uint64(n) {
		b.Fatalf("seeded %d events; want %d", last, n)
	}
	return stack{log: l, pool: testkit.NewPool(b, testkit.NewDatabase(b))}
}

// BenchmarkProject measures the audit projection catching up from revision
// 1: the runner (batched, pipelined INSERTs, one transaction and one
// checkpoint per batch) against a baseline that reads the same events and
// writes the same rows with COPY, the fastest way into PostgreSQL.
func BenchmarkProject(b *testing.B) {
	n := benchEvents(b)
	b.Run("runner", func(b *testing.B) {
		for range b.N {
			s := seed(b, n)
			b.ResetTimer()
			start := time.Now()
			ctx, cancel := context.WithCancel(context.Background())
			r, err := projector.NewRunner(s.log, s.pool, projector.Audit{}, projector.WithLogger(discard))
			if err != nil {
				b.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- r.Run(ctx) }()
			for r.Applied() < uint64(n) {
				time.Sleep(time.Millisecond)
			}
			elapsed := time.Since(start)
			cancel()
			if err := <-done; err != nil {
				b.Fatal(err)
			}
			b.StopTimer()
			b.ReportMetric(float64(n)/elapsed.Seconds(), "events/s")
		}
	})
	b.Run("baseline-copy", func(b *testing.B) {
		for range b.N {
			s := seed(b, n)
			b.ResetTimer()
			start := time.Now()
			ctx := context.Background()
			rows := make([][]any, 0, 1000)
			flush := func() {
				if _, err := s.pool.CopyFrom(ctx, pgx.Identifier{"audit_events"},
					[]string{"revision", "id", "customer_id", "type", "version", "aggregate", "aggregate_id",
						"actor_kind", "actor_id", "occurred_at", "correlation_id", "causation_id", "payload"},
					pgx.CopyFromRows(rows)); err != nil {
					b.Fatal(err)
				}
				rows = rows[:0]
			}
			err := s.log.Tail(ctx, eventlog.TailOptions{}, func(e schema.Event) error {
				rows = append(rows, []any{int64(e.Revision), e.ID, e.Customer, e.Type, e.Version, e.Aggregate, e.AggregateID,
					e.Actor.Kind, e.Actor.ID, e.OccurredAt, e.CorrelationID, e.CausationID, string(e.Payload)})
				if len(rows) == cap(rows) {
					flush()
				}
				return nil
			})
			if err != nil {
				b.Fatal(err)
			}
			flush()
			elapsed := time.Since(start)
			b.StopTimer()
			b.ReportMetric(float64(n)/elapsed.Seconds(), "events/s")
		}
	})
}

// BenchmarkRebuild measures a full rebuild of the audit read model (replay
// into fresh tables and swap), against a baseline that only reads and
// decodes the same events from the stream.
func BenchmarkRebuild(b *testing.B) {
	n := benchEvents(b)
	s := seed(b, n)
	ctx := context.Background()
	b.Run("rebuild", func(b *testing.B) {
		for range b.N {
			res, err := projector.Rebuild(ctx, s.log, s.pool, projector.Audit{})
			if err != nil {
				b.Fatal(err)
			}
			if res.Applied != n {
				b.Fatalf("applied %d; want %d", res.Applied, n)
			}
			b.ReportMetric(res.Replay.Seconds(), "replay-s")
			b.ReportMetric(res.Swap.Seconds(), "swap-s")
			b.ReportMetric(float64(n)/(res.Replay+res.Swap).Seconds(), "events/s")
		}
	})
	b.Run("baseline-read", func(b *testing.B) {
		for range b.N {
			start := time.Now()
			count := 0
			if err := s.log.Tail(ctx, eventlog.TailOptions{}, func(schema.Event) error { count++; return nil }); err != nil {
				b.Fatal(err)
			}
			if count != n {
				b.Fatalf("read %d; want %d", count, n)
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "events/s")
		}
	})
}
