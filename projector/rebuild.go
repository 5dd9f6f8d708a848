package projector

import (
	"context"
	"errors"
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
			if err := swapRows(ctx, tx, shadow, t); err != nil {
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

// createShadow makes an empty schema with an unlogged copy of each table:
// columns, defaults, constraints and indexes.
func createShadow(ctx context.Context, pool *pgxpool.Pool, shadow string, tables []string) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "DROP SCHEMA IF EXISTS "+shadow+" CASCADE"); err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
		if _, err := tx.Exec(ctx, "CREATE SCHEMA "+shadow); err != nil {
			return fmt.Errorf("rebuild: %w", err)
		}
		for _, t := range tables {
			// Unlogged: the copy is scratch until its rows are swapped into
			// the live table, which logs them then.
			q := fmt.Sprintf("CREATE UNLOGGED TABLE %s.%s (LIKE %s INCLUDING ALL)",
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
// projection's unqualified tables are the fresh ones. Reading and decoding
// run in a goroutine of their own, a chunk ahead of the writes. It returns
// the last revision reached and how many events were applied.
func (r *Runner) replay(ctx context.Context, tx pgx.Tx, shadow string, from, to uint64) (uint64, int, error) {
	if from > to {
		return to, 0, nil
	}
	if _, err := tx.Exec(ctx, "SET LOCAL search_path TO "+shadow+", public"); err != nil {
		return 0, 0, fmt.Errorf("replay: %w", err)
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	chunks := make(chan []schema.Event, 4)
	var readErr error
	go func() {
		defer close(chunks)
		send := func(chunk []schema.Event) error {
			select {
			case chunks <- chunk:
				return nil
			case <-rctx.Done():
				return rctx.Err()
			}
		}
		chunk := make([]schema.Event, 0, flushEvery)
		err := r.log.Tail(rctx, eventlog.TailOptions{From: from, Types: r.p.Handles()}, func(e schema.Event) error {
			if e.Revision > to {
				return errReplayDone
			}
			if chunk = append(chunk, e); len(chunk) == flushEvery {
				if err := send(chunk); err != nil {
					return err
				}
				chunk = make([]schema.Event, 0, flushEvery)
			}
			return nil
		})
		if err == nil || errors.Is(err, errReplayDone) {
			err = send(chunk)
		}
		readErr = err
	}()

	w := newWriter(tx, r.opts.kv)
	n := 0
	var writeErr error
	for chunk := range chunks {
		if writeErr != nil {
			continue // drain, so that the reader can stop
		}
		for _, e := range chunk {
			if err := r.p.Apply(ctx, w, e); err != nil {
				writeErr = fmt.Errorf("apply %s at revision %d: %w", e.Type, e.Revision, err)
				break
			}
		}
		if writeErr == nil {
			writeErr = w.Flush(ctx)
		}
		if writeErr != nil {
			cancel()
			continue
		}
		n += len(chunk)
	}
	if writeErr != nil {
		return 0, n, fmt.Errorf("replay: %w", writeErr)
	}
	if readErr != nil {
		return 0, n, fmt.Errorf("replay: %w", readErr)
	}
	if be, ok := r.p.(BatchEnder); ok {
		if err := be.EndBatch(ctx, w, to); err != nil {
			return 0, n, fmt.Errorf("replay: end: %w", err)
		}
		if err := w.Flush(ctx); err != nil {
			return 0, n, fmt.Errorf("replay: %w", err)
		}
	}
	return to, n, nil
}

// errReplayDone stops a replay's tail at its last revision.
var errReplayDone = errors.New("replay done")

// swapRows replaces the rows of the live table with those of its rebuilt
// copy, inside tx. The live table keeps its grants, policies, triggers and
// index names; its plain indexes are dropped for the load and built again
// after it, which is much faster than maintaining them row by row.
// Indexes that back constraints stay.
func swapRows(ctx context.Context, tx pgx.Tx, shadow, table string) error {
	live := pgx.Identifier{"public", table}.Sanitize()
	rows, err := tx.Query(ctx, `SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
		FROM pg_index i
		WHERE i.indrelid = $1::regclass
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`, live)
	if err != nil {
		return err
	}
	var names, defs []string
	for rows.Next() {
		var name, def string
		if err := rows.Scan(&name, &def); err != nil {
			rows.Close()
			return err
		}
		names, defs = append(names, name), append(defs, def)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	stmts := []string{"SET LOCAL maintenance_work_mem = '256MB'"}
	for _, n := range names {
		stmts = append(stmts, "DROP INDEX "+n)
	}
	stmts = append(stmts, "TRUNCATE "+live,
		"INSERT INTO "+live+" SELECT * FROM "+shadow+"."+pgx.Identifier{table}.Sanitize())
	stmts = append(stmts, defs...)
	for _, q := range stmts {
		if _, err := tx.Exec(ctx, q); err != nil {
			return fmt.Errorf("%s: %w", q, err)
		}
	}
	return nil
}
