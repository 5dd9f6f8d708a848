package projector

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
)

// Runner feeds one projection from its durable consumer. Run it in one
// goroutine; Applied and Checkpoint may be read from any.
type Runner struct {
	log     *eventlog.Log
	pool    *pgxpool.Pool
	p       Projection
	handles map[string]bool
	opts    runnerOptions
	applied atomic.Uint64
}

type runnerOptions struct {
	batch   int
	backoff time.Duration
	logger  *slog.Logger
	kv      *KV
	fault   func(Point) error
}

// Point names a step of applying a batch, for fault injection.
type Point string

// The steps of a batch, in order.
const (
	PointBegun      Point = "begun"      // transaction open
	PointLocked     Point = "locked"     // checkpoint read and locked
	PointApplied    Point = "applied"    // one event applied (once per event)
	PointFlushed    Point = "flushed"    // the batch's statements sent
	PointCheckpoint Point = "checkpoint" // checkpoint written, not committed
	PointCommitted  Point = "committed"  // committed, not acknowledged to NATS
)

// RunnerOption configures a Runner.
type RunnerOption func(*runnerOptions)

// WithBatchSize sets the most events applied in one transaction (default 1000).
func WithBatchSize(n int) RunnerOption { return func(o *runnerOptions) { o.batch = n } }

// WithBackoff sets the pause before retrying after a failed batch (default 1s).
func WithBackoff(d time.Duration) RunnerOption { return func(o *runnerOptions) { o.backoff = d } }

// WithLogger sets the logger (default slog.Default()).
func WithLogger(l *slog.Logger) RunnerOption { return func(o *runnerOptions) { o.logger = l } }

// WithKV gives projections a KV writer (Writer.KV).
func WithKV(kv *KV) RunnerOption { return func(o *runnerOptions) { o.kv = kv } }

// WithFault calls fault at every Point of every batch; an error it returns
// fails the batch there, as a crash would. Tests use it to prove that no
// point of failure loses or doubles an event.
func WithFault(fault func(Point) error) RunnerOption {
	return func(o *runnerOptions) { o.fault = fault }
}

// NewRunner returns a runner of p. It returns an error if p handles an
// event type the catalog does not know.
func NewRunner(log *eventlog.Log, pool *pgxpool.Pool, p Projection, opts ...RunnerOption) (*Runner, error) {
	o := runnerOptions{batch: 1000, backoff: time.Second, logger: slog.Default()}
	for _, opt := range opts {
		opt(&o)
	}
	if !schema.ValidToken(p.Name()) {
		return nil, fmt.Errorf("projection name %q is not a valid token", p.Name())
	}
	if len(p.Handles()) == 0 {
		return nil, fmt.Errorf("projection %s handles no event type", p.Name())
	}
	handles := make(map[string]bool)
	for _, t := range p.Handles() {
		if _, ok := schema.Catalog().Lookup(t); !ok {
			return nil, fmt.Errorf("projection %s handles %q, which is not in the event catalog", p.Name(), t)
		}
		handles[t] = true
	}
	return &Runner{log: log, pool: pool, p: p, handles: handles, opts: o}, nil
}

// Name returns the projection's name.
func (r *Runner) Name() string { return r.p.Name() }

// Applied returns the revision the runner has committed last, 0 before its
// first batch.
func (r *Runner) Applied() uint64 { return r.applied.Load() }

// errGap is a batch that does not continue from the checkpoint: deliveries
// were lost between the consumer and us, so start again from the checkpoint.
var errGap = errors.New("delivery gap")

// Run applies events until ctx is done, and returns nil then. A failed
// batch is rolled back, logged, and retried from the checkpoint after the
// backoff. It returns an error only if the consumer cannot be set up.
func (r *Runner) Run(ctx context.Context) error {
	cp, err := Checkpoint(ctx, r.pool, r.p.Name())
	if err == nil {
		r.applied.Store(cp)
	}
	var d *eventlog.Durable
	if err == nil {
		d, err = r.log.Durable(ctx, schema.ProjectionConsumer(r.p.Name()), cp+1, r.wants)
	}
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return err
	}
	defer d.Close()
	for {
		batch, err := d.Next(ctx, r.opts.batch)
		if ctx.Err() != nil {
			return nil
		}
		if err == nil {
			err = r.applyBatch(ctx, d, batch)
		}
		if err == nil {
			continue
		}
		if ctx.Err() != nil {
			return nil
		}
		if !errors.Is(err, errGap) {
			r.opts.logger.Error("projection batch failed; retrying from checkpoint",
				"projection", r.p.Name(), "err", err)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(r.opts.backoff):
			}
		}
		if err := r.restart(ctx, d); err != nil {
			return err
		}
	}
}

// restart moves the consumer back to just after the committed checkpoint,
// retrying until it works or ctx is done.
func (r *Runner) restart(ctx context.Context, d *eventlog.Durable) error {
	for {
		cp, err := Checkpoint(ctx, r.pool, r.p.Name())
		if err == nil {
			r.applied.Store(cp)
			err = d.Restart(ctx, cp+1)
		}
		if err == nil || ctx.Err() != nil {
			return nil
		}
		r.opts.logger.Error("projection restart failed", "projection", r.p.Name(), "err", err)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(r.opts.backoff):
		}
	}
}

func (r *Runner) fault(p Point) error {
	if r.opts.fault == nil {
		return nil
	}
	if err := r.opts.fault(p); err != nil {
		return fmt.Errorf("fault at %s: %w", p, err)
	}
	return nil
}

// applyBatch applies one batch and its checkpoint in one transaction, then
// acknowledges it.
func (r *Runner) applyBatch(ctx context.Context, d *eventlog.Durable, batch []eventlog.Delivery) error {
	tx, err := r.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("projection %s: begin: %w", r.p.Name(), err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // a no-op after Commit
	if err := r.fault(PointBegun); err != nil {
		return err
	}
	cp, err := lockCheckpoint(ctx, tx, r.p.Name())
	if err != nil {
		return err
	}
	if err := r.fault(PointLocked); err != nil {
		return err
	}
	w := newWriter(tx, r.opts.kv)
	next, err := r.applyAll(ctx, w, cp, batch)
	if err != nil {
		return err
	}
	if next == cp {
		// Everything was applied before (a redelivery): acknowledge only.
		return d.Ack(ctx, batch[len(batch)-1])
	}
	if be, ok := r.p.(BatchEnder); ok {
		if err := be.EndBatch(ctx, w, next); err != nil {
			return fmt.Errorf("projection %s: end batch: %w", r.p.Name(), err)
		}
	}
	if err := w.Flush(ctx); err != nil {
		return fmt.Errorf("projection %s: %w", r.p.Name(), err)
	}
	if err := r.fault(PointFlushed); err != nil {
		return err
	}
	if err := saveCheckpoint(ctx, tx, r.p.Name(), next); err != nil {
		return err
	}
	if err := r.fault(PointCheckpoint); err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("projection %s: commit: %w", r.p.Name(), err)
	}
	r.applied.Store(next)
	if err := r.fault(PointCommitted); err != nil {
		return err
	}
	return d.Ack(ctx, batch[len(batch)-1])
}

// applyAll applies the deliveries after checkpoint cp through w and returns
// the new checkpoint. Deliveries at or below cp were applied before and are
// skipped; a delivery that is not the next revision is a gap.
func (r *Runner) applyAll(ctx context.Context, w *Writer, cp uint64, batch []eventlog.Delivery) (uint64, error) {
	for _, del := range batch {
		if del.Revision <= cp {
			continue
		}
		if del.Revision != cp+1 {
			return cp, fmt.Errorf("projection %s: revision %d after %d: %w", r.p.Name(), del.Revision, cp, errGap)
		}
		if r.handles[del.Type] {
			if del.Err != nil {
				return cp, fmt.Errorf("projection %s: %w", r.p.Name(), del.Err)
			}
			if err := r.p.Apply(ctx, w, del.Event); err != nil {
				return cp, fmt.Errorf("projection %s: apply %s at revision %d: %w", r.p.Name(), del.Type, del.Revision, err)
			}
			if err := r.fault(PointApplied); err != nil {
				return cp, err
			}
		}
		cp = del.Revision
	}
	return cp, nil
}

// wants reports whether the projection handles events of type t.
func (r *Runner) wants(t string) bool { return r.handles[t] }
