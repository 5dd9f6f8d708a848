package eventlog_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

func openLog(t *testing.T) *eventlog.Log {
	t.Helper()
	nc := testkit.Connect(t, testkit.NewNATS(t))
	l, err := eventlog.Open(context.Background(), nc)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return l
}

func event(t *testing.T, customer, id string, n int) schema.Event {
	t.Helper()
	e, err := schema.NewEvent("thing.changed", customer, "thing", id, schema.SystemActor, map[string]int{"n": n})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestConcurrentAppendsAtOneRevisionExactlyOneWins(t *testing.T) {
	l := openLog(t)
	ctx := context.Background()
	const writers = 16
	for round := range 20 {
		id := fmt.Sprintf("agg%d", round)
		first, err := l.Append(ctx, 0, "", event(t, "c1", id, 0))
		if err != nil {
			t.Fatalf("seed: %v", err)
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		wins, conflicts := 0, 0
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := l.Append(ctx, first.Revision, "", event(t, "c1", id, w))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil:
					wins++
				case errors.Is(err, schema.ErrConflict):
					conflicts++
				default:
					t.Errorf("append: unexpected error %v", err)
				}
			}()
		}
		wg.Wait()
		if wins != 1 || conflicts != writers-1 {
			t.Fatalf("round %d: %d wins, %d conflicts; want 1 and %d", round, wins, conflicts, writers-1)
		}
		events, rev, err := l.Load(ctx, "c1", "thing", id)
		if err != nil {
			t.Fatal(err)
		}
		if len(events) != 2 || rev != events[1].Revision {
			t.Fatalf("round %d: loaded %d events at revision %d; want 2", round, len(events), rev)
		}
	}
}

func TestAppendConflictNamesCode(t *testing.T) {
	l := openLog(t)
	ctx := context.Background()
	if _, err := l.Append(ctx, 0, "", event(t, "c1", "a", 1)); err != nil {
		t.Fatal(err)
	}
	_, err := l.Append(ctx, 0, "", event(t, "c1", "a", 2))
	if got := schema.ErrorCode(err); got != schema.CodeConflict {
		t.Fatalf("append at a stale revision: code %q (%v); want conflict", got, err)
	}
}

func TestResentCommandIDStoresOneEvent(t *testing.T) {
	l := openLog(t)
	ctx := context.Background()
	cmd := schema.NewID()
	e := event(t, "c1", "a", 1)
	first, err := l.Append(ctx, 0, cmd, e)
	if err != nil {
		t.Fatal(err)
	}
	// The retry carries the stale expected revision and a new event id, as a
	// client retrying after a lost answer would: the command id alone counts.
	again, err := l.Append(ctx, 0, cmd, event(t, "c1", "a", 1))
	if err != nil {
		t.Fatalf("retry: %v", err)
	}
	if !again.Duplicate || again.Revision != first.Revision {
		t.Fatalf("retry = %+v; want duplicate of revision %d", again, first.Revision)
	}
	events, _, err := l.Load(ctx, "c1", "thing", "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 1 {
		t.Fatalf("stored %d events; want 1", len(events))
	}
}

func TestMultiEventAppendRetriesWhole(t *testing.T) {
	l := openLog(t)
	ctx := context.Background()
	cmd := schema.NewID()
	evs := []schema.Event{event(t, "c1", "a", 1), event(t, "c1", "a", 2), event(t, "c1", "a", 3)}
	first, err := l.Append(ctx, 0, cmd, evs...)
	if err != nil {
		t.Fatal(err)
	}
	again, err := l.Append(ctx, 0, cmd, evs...)
	if err != nil || again.Revision != first.Revision {
		t.Fatalf("retry = %+v, %v; want revision %d", again, err, first.Revision)
	}
	events, rev, err := l.Load(ctx, "c1", "thing", "a")
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 3 || rev != first.Revision {
		t.Fatalf("loaded %d events at %d; want 3 at %d", len(events), rev, first.Revision)
	}
	for i, e := range events {
		var p struct{ N int }
		if err := e.Decode(&p); err != nil || p.N != i+1 {
			t.Errorf("event %d: n=%d, %v; want %d", i, p.N, err, i+1)
		}
	}
}

func TestAppendRejectsMixedAggregatesAndBadEnvelopes(t *testing.T) {
	l := openLog(t)
	ctx := context.Background()
	bad := event(t, "c1", "a", 1)
	bad.Customer = "c.1"
	tests := []struct {
		name   string
		events []schema.Event
	}{
		{"none", nil},
		{"two aggregates", []schema.Event{event(t, "c1", "a", 1), event(t, "c1", "b", 1)}},
		{"dot in customer", []schema.Event{bad}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := l.Append(ctx, 0, "", tt.events...); schema.ErrorCode(err) != schema.CodeInvalid {
				t.Fatalf("err = %v; want invalid", err)
			}
		})
	}
	last, err := l.LastRevision(ctx)
	if err != nil || last != 0 {
		t.Fatalf("log holds %d events (%v); want none", last, err)
	}
}

func TestLoadMissingAggregate(t *testing.T) {
	l := openLog(t)
	events, rev, err := l.Load(context.Background(), "c1", "thing", "nope")
	if err != nil || events != nil || rev != 0 {
		t.Fatalf("Load = %v, %d, %v; want nothing", events, rev, err)
	}
}

func TestLoadManyEvents(t *testing.T) {
	l := openLog(t)
	ctx := context.Background()
	var rev uint64
	for i := range 600 { // more than one fetch batch
		res, err := l.Append(ctx, rev, "", event(t, "c1", "big", i))
		if err != nil {
			t.Fatal(err)
		}
		rev = res.Revision
		// Interleave another aggregate so revisions are not contiguous.
		if _, err := l.Append(ctx, uint64(i)*2, "", event(t, "c1", "other", i)); err != nil && i == 0 {
			t.Fatal(err)
		}
	}
	events, got, err := l.Load(ctx, "c1", "thing", "big")
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 600 || got != rev {
		t.Fatalf("loaded %d events at %d; want 600 at %d", len(events), got, rev)
	}
}

func TestConcurrentClaimsExactlyOneWins(t *testing.T) {
	l := openLog(t)
	ctx := context.Background()
	const claimants = 16
	for round := range 10 {
		value := fmt.Sprintf("shop%d.example.com", round)
		var wg sync.WaitGroup
		var mu sync.Mutex
		var winners []string
		for c := range claimants {
			wg.Add(1)
			go func() {
				defer wg.Done()
				owner := fmt.Sprintf("app:%d", c)
				_, err := l.Claim(ctx, schema.ClaimHostname, value, owner, schema.SystemActor, schema.NewID())
				switch {
				case err == nil:
					mu.Lock()
					winners = append(winners, owner)
					mu.Unlock()
				case errors.Is(err, schema.ErrConflict):
				default:
					t.Errorf("claim: %v", err)
				}
			}()
		}
		wg.Wait()
		if len(winners) != 1 {
			t.Fatalf("round %d: winners %v; want exactly one", round, winners)
		}
		h, err := l.Holder(ctx, schema.ClaimHostname, value)
		if err != nil || h.Owner != winners[0] {
			t.Fatalf("holder = %q, %v; want %q", h.Owner, err, winners[0])
		}
	}
}

func TestClaimIsIdempotentAndReleasable(t *testing.T) {
	l := openLog(t)
	ctx := context.Background()
	a := schema.SystemActor
	first, err := l.Claim(ctx, schema.ClaimEmail, "ada@example.com", "customer:1", a, schema.NewID())
	if err != nil {
		t.Fatal(err)
	}
	again, err := l.Claim(ctx, schema.ClaimEmail, "ada@example.com", "customer:1", a, schema.NewID())
	if err != nil || again != first {
		t.Fatalf("reclaim by holder = %d, %v; want %d, nil", again, err, first)
	}
	if _, err := l.Release(ctx, schema.ClaimEmail, "ada@example.com", "customer:2", a, ""); !errors.Is(err, schema.ErrConflict) {
		t.Fatalf("release by non-holder: %v; want conflict", err)
	}
	if _, err := l.Release(ctx, schema.ClaimEmail, "ada@example.com", "customer:1", a, ""); err != nil {
		t.Fatalf("release: %v", err)
	}
	if _, err := l.Claim(ctx, schema.ClaimEmail, "ada@example.com", "customer:2", a, ""); err != nil {
		t.Fatalf("claim after release: %v", err)
	}
	h, _ := l.Holder(ctx, schema.ClaimEmail, "ada@example.com")
	if h.Owner != "customer:2" {
		t.Fatalf("holder = %q; want customer:2", h.Owner)
	}
}

// A command that claims a value and appends its own event under one
// command id must store both.
func TestClaimAndEventShareACommandID(t *testing.T) {
	l := openLog(t)
	ctx := context.Background()
	cmd := schema.NewID()
	if _, err := l.Claim(ctx, schema.ClaimAppSlug, "shop", "app:1", schema.SystemActor, cmd); err != nil {
		t.Fatal(err)
	}
	if h, err := l.Holder(ctx, schema.ClaimAppSlug, "shop"); err != nil || h.CommandID != cmd || h.Owner != "app:1" {
		t.Fatalf("Holder = %+v, %v; want app:1 by command %s", h, err, cmd)
	}
	res, err := l.Append(ctx, 0, cmd, event(t, "c1", "a", 1))
	if err != nil || res.Duplicate {
		t.Fatalf("append = %+v, %v; want a new event", res, err)
	}
}

func TestStreamRefusesDeleteAndPurge(t *testing.T) {
	l := openLog(t)
	ctx := context.Background()
	if _, err := l.Append(ctx, 0, "", event(t, "c1", "a", 1)); err != nil {
		t.Fatal(err)
	}
	s, err := l.JetStream().Stream(ctx, schema.StreamEvents)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Purge(ctx); err == nil {
		t.Error("purge succeeded; the stream must deny it")
	}
	if err := s.DeleteMsg(ctx, 1); err == nil {
		t.Error("delete succeeded; the stream must deny it")
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.Config.Storage != jetstream.FileStorage || info.Config.Duplicates < time.Minute {
		t.Errorf("stream config = %+v; want file storage and a duplicate window", info.Config)
	}
	for _, b := range schema.Buckets() {
		if _, err := l.JetStream().KeyValue(ctx, b); err != nil {
			t.Errorf("bucket %s: %v", b, err)
		}
	}
}

func TestDurableDeliversInOrderAndRestarts(t *testing.T) {
	l := openLog(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for i := range 50 {
		if _, err := l.Append(ctx, 0, "", event(t, "c1", fmt.Sprintf("a%d", i), i)); err != nil {
			t.Fatal(err)
		}
	}
	d, err := l.Durable(ctx, "aegis_proj_test", 1, func(string) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var got []uint64
	for len(got) < 50 {
		batch, err := d.Next(ctx, 7)
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) > 7 {
			t.Fatalf("batch of %d; max 7", len(batch))
		}
		for _, del := range batch {
			got = append(got, del.Revision)
			if del.Type != "thing.changed" {
				t.Fatalf("type header = %q", del.Type)
			}
		}
		if err := d.Ack(ctx, batch[len(batch)-1]); err != nil {
			t.Fatal(err)
		}
	}
	for i, rev := range got {
		if rev != uint64(i+1) {
			t.Fatalf("delivery %d has revision %d; want %d", i, rev, i+1)
		}
	}
	// A restart from an earlier revision delivers again from there.
	if err := d.Restart(ctx, 41); err != nil {
		t.Fatal(err)
	}
	batch, err := d.Next(ctx, 100)
	if err != nil {
		t.Fatal(err)
	}
	if batch[0].Revision != 41 {
		t.Fatalf("after restart first revision = %d; want 41", batch[0].Revision)
	}
	e, err := batch[0].Event, batch[0].Err
	if err != nil || e.AggregateID != "a40" || e.Revision != 41 {
		t.Fatalf("decoded %+v, %v", e, err)
	}
}

func TestTailFilters(t *testing.T) {
	l := openLog(t)
	ctx := context.Background()
	for i, c := range []string{"c1", "c2", "c1", "c1"} {
		if _, err := l.Append(ctx, 0, "", event(t, c, fmt.Sprintf("a%d", i), i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Claim(ctx, schema.ClaimEmail, "x@example.com", "customer:c1", schema.SystemActor, ""); err != nil {
		t.Fatal(err)
	}
	count := func(opts eventlog.TailOptions) int {
		n := 0
		if err := l.Tail(ctx, opts, func(schema.Event) error { n++; return nil }); err != nil {
			t.Fatalf("Tail(%+v): %v", opts, err)
		}
		return n
	}
	tests := []struct {
		opts eventlog.TailOptions
		want int
	}{
		{eventlog.TailOptions{}, 5},
		{eventlog.TailOptions{Customer: "c1"}, 3},
		{eventlog.TailOptions{Types: []string{schema.EventClaimAcquired}}, 1},
		{eventlog.TailOptions{Customer: "c2", Types: []string{"thing.changed"}}, 1},
		{eventlog.TailOptions{From: 3}, 3},
	}
	for _, tt := range tests {
		if got := count(tt.opts); got != tt.want {
			t.Errorf("Tail(%+v) read %d events; want %d", tt.opts, got, tt.want)
		}
	}

	// Following: a new event arrives while the tail waits.
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	seen := make(chan uint64, 10)
	go func() {
		_ = l.Tail(fctx, eventlog.TailOptions{From: 6, Follow: true}, func(e schema.Event) error {
			seen <- e.Revision
			return nil
		})
	}()
	if _, err := l.Append(ctx, 0, "", event(t, "c3", "late", 9)); err != nil {
		t.Fatal(err)
	}
	select {
	case rev := <-seen:
		if rev != 6 {
			t.Fatalf("followed revision %d; want 6", rev)
		}
	case <-fctx.Done():
		t.Fatal("follow saw nothing")
	}
}

// Loading, retrying and tailing leave no consumer behind on the server:
// there is a limit of them per stream, and commands load on every call.
func TestReadsLeaveNoConsumers(t *testing.T) {
	l := openLog(t)
	ctx := context.Background()
	cmd := schema.NewID()
	if _, err := l.Append(ctx, 0, cmd, event(t, "c1", "a", 1)); err != nil {
		t.Fatal(err)
	}
	for range 1200 { // more than the server's default limit of consumers per stream
		if _, _, err := l.Load(ctx, "c1", "thing", "a"); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Append(ctx, 0, cmd, event(t, "c1", "a", 1)); err != nil { // a retry: looks for its message
		t.Fatal(err)
	}
	if err := l.Tail(ctx, eventlog.TailOptions{}, func(schema.Event) error { return nil }); err != nil {
		t.Fatal(err)
	}
	s, err := l.JetStream().Stream(ctx, schema.StreamEvents)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Consumers != 0 {
		t.Fatalf("%d consumers left on the stream; want 0", info.State.Consumers)
	}
}
