package projector

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Writer is what a projection writes through while a batch is applied:
// statements queued with Exec travel to PostgreSQL together, pipelined, in
// the batch's transaction.
type Writer struct {
	tx     pgx.Tx
	queued *pgx.Batch
	kv     *KV
}

func newWriter(tx pgx.Tx, kv *KV) *Writer {
	return &Writer{tx: tx, queued: &pgx.Batch{}, kv: kv}
}

// Exec queues a statement. Its error, if any, surfaces at the next Flush
// and fails the batch.
func (w *Writer) Exec(sql string, args ...any) {
	w.queued.Queue(sql, args...)
}

// Flush sends the queued statements and returns the first error.
func (w *Writer) Flush(ctx context.Context) error {
	if w.queued.Len() == 0 {
		return nil
	}
	err := w.tx.SendBatch(ctx, w.queued).Close()
	w.queued = &pgx.Batch{}
	if err != nil {
		return fmt.Errorf("write: %w", err)
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

// KV returns the KV writer, or nil when the runner has none (a rebuild of
// PostgreSQL tables only).
func (w *Writer) KV() *KV { return w.kv }

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }
