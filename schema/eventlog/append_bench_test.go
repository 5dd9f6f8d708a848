package eventlog_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

// The append benchmarks run against a server that syncs every write to
// disk, as Aegis's embedded one does. Each has a baseline run on the same
// server in the same run: a bare JetStream publish of the same bytes with
// no expected sequence or message id, so the ratio shows what Aegis's
// optimistic concurrency and deduplication cost.

func benchLog(b *testing.B) *eventlog.Log {
	b.Helper()
	l, err := eventlog.Open(context.Background(), testkit.Connect(b, testkit.NewNATS(b)))
	if err != nil {
		b.Fatal(err)
	}
	return l
}

func BenchmarkAppend(b *testing.B) {
	for _, publishers := range []int{1, 16} {
		b.Run(fmt.Sprintf("aegis/publishers=%d", publishers), func(b *testing.B) {
			l := benchLog(b)
			runPublishers(b, publishers, func(ctx context.Context, p, i int, rev *uint64) error {
				e, err := schema.NewEvent("bench.appended", "c1", "bench", fmt.Sprintf("p%d", p), schema.SystemActor, map[string]int{"i": i})
				if err != nil {
					return err
				}
				res, err := l.Append(ctx, *rev, "", e)
				*rev = res.Revision
				return err
			})
		})
		b.Run(fmt.Sprintf("baseline/publishers=%d", publishers), func(b *testing.B) {
			l := benchLog(b)
			js := l.JetStream()
			runPublishers(b, publishers, func(ctx context.Context, p, i int, _ *uint64) error {
				e, err := schema.NewEvent("bench.appended", "c1", "bench", fmt.Sprintf("p%d", p), schema.SystemActor, map[string]int{"i": i})
				if err != nil {
					return err
				}
				data, err := json.Marshal(e)
				if err != nil {
					return err
				}
				_, err = js.Publish(ctx, e.Subject(), data)
				return err
			})
		})
	}
}

// runPublishers splits b.N appends over n goroutines, each on its own
// aggregate, and reports events/s.
func runPublishers(b *testing.B, n int, publish func(ctx context.Context, p, i int, rev *uint64) error) {
	ctx := context.Background()
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for p := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var rev uint64
			for {
				i := int(next.Add(1))
				if i > b.N {
					return
				}
				if err := publish(ctx, p, i, &rev); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "events/s")
}
