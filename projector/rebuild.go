package projector

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
)

// Rebuilt reports a finished rebuild.
type Rebuilt struct {
	// Revision is the checkpoint the rebuilt tables were swapped in at.
	Revision uint64
	// Applied counts the events the projection handled.
	Applied int
	// Replay is how long the replay into the fresh tables took; Swap, how
	// long the live tables were locked for the swap.
	Replay, Swap time.Duration
}

// flushEvery is how many events a rebuild queues before sending them.
const flushEvery = 1000

// Rebuild replays projection p from revision 1 into fresh copies of its
// tables, in a schema of their own, while the live tables keep serving.
// Then, holding the projection's checkpoint lock so the live runner waits,
// it catches up with events appended meanwhile and swaps the rebuilt rows
// in, all in one transaction. It returns an error, and leaves the live
// tables as they were, if any step fails.
func Rebuild(ctx context.Context, log *eventlog.Log, pool *pgxpool.Pool, p Projection, opts ...RunnerOption) (Rebuilt, error) {
	r, err := NewRunner(log, pool, p, opts...)
	if err != nil {
		return Rebuilt{}, err
	}
	var out Rebuilt
	shadow := pgx.Identifier{"rebuild_" + p.Name()}.Sanitize()
	if err := createShadow(ctx, pool, shadow, p.Tables()); err != nil {
		return out, err
	}
	defer pool.Exec(context.WithoutCancel(ctx), "DROP SCHEMA IF EXISTS "+shadow+" CASCADE") //nolint:errcheck // best effort

	start := time.Now()
	last, err := log.LastRevision(ctx)
	if err != nil {
		return out, err
	}
	var rev uint64
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		var n int
		rev, n, err = r.replay(ctx, tx, shadow, 1, last)
		out.Applied += n
		return err
	})
	if err != nil {
		return out, fmt.Errorf("rebuild %s: %w", p.Name(), err)
	}
	out.Replay = time.Since(start)

	start = time.Now()
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := lockCheckpoint(ctx, tx, p.Name()); err != nil {
			return err
		}
		// Nothing moves the projection while we hold its lock: catch up to
		// the log's end as it is now, and make that the checkpoint.
		last, err := log.LastRevision(ctx)
		if err != nil {
			return err
		}
		_, n, err := r.replay(ctx, tx, shadow, rev+1, last)
		if err != nil {
			return err
		}
		out.Applied += n
		for _, t := range p.Tables() {
			live := pgx.Identifier{"public", t}.Sanitize()
			fresh := shadow + "." + pgx.Identifier{t}.Sanitize()
			if _, err := tx.Exec(ctx, "TRUNCATE "+live); err != nil {
				return fmt.Errorf("swap %s: %w", t, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO "+live+" SELECT * FROM "+fresh); err != nil {
				return fmt.Errorf("swap %s: %w", t, err)
			}
		}
		out.Revision = last
		return saveCheckpoint(ctx, tx, p.Name(), last)
	})
	if err != nil {
		return out, fmt.Errorf("rebuild %s: %w", p.Name(), err)
	}
	out.Swap = time.Since(start)
	return out, nil
}

// createShadow makes an empty schema with a copy of each table: columns,
// defaults, constraints and indexes.
func createShadow(ctx context.Context, pool *pgxpool.Pool, shadow string, tables []string) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "DROP SCHEMA IF EXISTS "+shadow+" CASCADE"); err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
		if _, err := tx.Exec(ctx, "CREATE SCHEMA "+shadow); err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
		for _, t := range tables {
			q := fmt.Sprintf("CREATE TABLE %s.%s (LIKE %s INCLUDING ALL)",
				shadow, pgx.Identifier{t}.Sanitize(), pgx.Identifier{"public", t}.Sanitize())
			if _, err := tx.Exec(ctx, q); err != nil {
				return fmt.Errorf("rebuild: copy table %s: %w", t, err)
			}
		}
		return nil
	})
}

// replay applies the events from revision from to revision to, inclusive,
// inside tx with the shadow schema first on the search path, so that the
// projection's unqualified tables are the fresh ones. It returns the last
// revision reached and how many events were applied.
func (r *Runner) replay(ctx context.Context, tx pgx.Tx, shadow string, from, to uint64) (uint64, int, error) {
	if from > to {
		return to, 0, nil
	}
	if _, err := tx.Exec(ctx, "SET LOCAL search_path TO "+shadow+", public"); err != nil {
		return 0, 0, fmt.Errorf("replay: %w", err)
	}
	w := newWriter(tx, r.opts.kv)
	n := 0
	err := r.log.Tail(ctx, eventlog.TailOptions{From: from, Types: r.p.Handles()}, func(e schema.Event) error {
		if e.Revision > to {
			return errReplayDone
		}
		if err := r.p.Apply(ctx, w, e); err != nil {
			return fmt.Errorf("apply %s at revision %d: %w", e.Type, e.Revision, err)
		}
		n++
		if n%flushEvery == 0 {
			return w.Flush(ctx)
		}
		return nil
	})
	if err != nil && err != errReplayDone {
		return 0, n, fmt.Errorf("replay: %w", err)
	}
	if err := w.Flush(ctx); err != nil {
		return 0, n, fmt.Errorf("replay: %w", err)
	}
	return to, n, nil
}

// errReplayDone stops a replay's tail at its last revision.
var errReplayDone = fmt.Errorf("replay done")
