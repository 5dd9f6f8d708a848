package projector

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"
)

// Writer is what a projection writes through while a batch is applied.
// Statements queued with Exec travel to PostgreSQL together, pipelined;
// rows added with Insert travel with COPY, the fastest way in. Both keep
// their order and run in the batch's transaction.
type Writer struct {
	tx  pgx.Tx
	ops []writeOp
	kv  *KV
}

// writeOp is either a run of statements or a run of rows for one COPY.
type writeOp struct {
	batch   *pgx.Batch
	table   string
	columns []string
	rows    [][]any
}

func newWriter(tx pgx.Tx, kv *KV) *Writer {
	return &Writer{tx: tx, kv: kv}
}

// Exec queues a statement. Its error, if any, surfaces at the next Flush
// and fails the batch.
func (w *Writer) Exec(sql string, args ...any) {
	if n := len(w.ops); n == 0 || w.ops[n-1].batch == nil {
		w.ops = append(w.ops, writeOp{batch: &pgx.Batch{}})
	}
	w.ops[len(w.ops)-1].batch.Queue(sql, args...)
}

// Insert queues one row for table (unqualified: a rebuild writes into its
// own copy) with values for columns, in order. Consecutive rows for the
// same table and columns are sent in one COPY. A conflict with a unique
// constraint fails the batch, so Insert is for rows that are new by
// construction, such as one per event.
func (w *Writer) Insert(table string, columns []string, values ...any) {
	n := len(w.ops)
	if n == 0 || w.ops[n-1].batch != nil || w.ops[n-1].table != table || !slices.Equal(w.ops[n-1].columns, columns) {
		w.ops = append(w.ops, writeOp{table: table, columns: columns})
		n++
	}
	w.ops[n-1].rows = append(w.ops[n-1].rows, values)
}

// Flush sends what is queued, in order, and returns the first error.
func (w *Writer) Flush(ctx context.Context) error {
	ops := w.ops
	w.ops = nil
	for _, op := range ops {
		if op.batch != nil {
			if err := w.tx.SendBatch(ctx, op.batch).Close(); err != nil {
				return fmt.Errorf("write: %w", err)
			}
			continue
		}
		if _, err := w.tx.CopyFrom(ctx, pgx.Identifier{op.table}, op.columns, pgx.CopyFromRows(op.rows)); err != nil {
			return fmt.Errorf("write %s: %w", op.table, err)
		}
	}
	return nil
}

// Query flushes what is queued, so that the query sees it, and runs sql
// in the batch's transaction.
func (w *Writer) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	if err := w.Flush(ctx); err != nil {
		return nil, err
	}
	return w.tx.Query(ctx, sql, args...)
}

// QueryRow is Query for one row.
func (w *Writer) QueryRow(ctx context.Context, sql string, args ...any) pgx.Row {
	if err := w.Flush(ctx); err != nil {
		return errRow{err}
	}
	return w.tx.QueryRow(ctx, sql, args...)
}

// KV returns the KV writer, or nil when the runner has none.
func (w *Writer) KV() *KV { return w.kv }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
