package readmodel

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/aegis-oss/aegis/schema"
)

// Store queries the read models.
type Store struct {
	pool *pgxpool.Pool
}

// New returns a store on pool.
func New(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// AsCustomer runs fn in a read-only transaction that sees only customerID's
// rows. It returns fn's error, or an error if the transaction cannot start.
func (s *Store) AsCustomer(ctx context.Context, customerID string, fn func(pgx.Tx) error) error {
	return pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SET LOCAL ROLE aegis_api`); err != nil {
			return fmt.Errorf("bind customer: %w", err)
		}
		if _, err := tx.Exec(ctx, `SELECT set_config('aegis.customer_id', $1, true)`, customerID); err != nil {
			return fmt.Errorf("bind customer: %w", err)
		}
		return fn(tx)
	})
}

// Revision returns the lowest checkpoint of the projections: every read
// model has applied the events up to it.
func (s *Store) Revision(ctx context.Context, projections []string) (uint64, error) {
	var rev *int64
	// A projection without a checkpoint yet counts as at revision 0.
	err := s.pool.QueryRow(ctx, `
		SELECT min(coalesce(c.revision, 0))
		FROM unnest($1::text[]) AS p(name) LEFT JOIN projection_checkpoints c USING (name)`, projections).Scan(&rev)
	if err != nil {
		return 0, fmt.Errorf("read model revision: %w", err)
	}
	if rev == nil {
		return 0, nil
	}
	return uint64(*rev), nil
}

// WaitRevision waits until every projection named has applied revision rev,
// for at most timeout. It returns an unavailable *Error if they have not by
// then.
func (s *Store) WaitRevision(ctx context.Context, projections []string, rev uint64, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for pause := 250 * time.Microsecond; ; pause = min(2*pause, 10*time.Millisecond) {
		cur, err := s.Revision(ctx, projections)
		if err != nil {
			return err
		}
		if cur >= rev {
			return nil
		}
		if time.Now().After(deadline) {
			return schema.Errorf(schema.CodeUnavailable,
				"the read model is at revision %d and has not reached revision %d yet; retry shortly", cur, rev)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pause):
		}
	}
}
