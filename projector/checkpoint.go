package projector

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// lockCheckpoint returns the projection's checkpoint inside tx and holds its
// row lock until tx ends, so that only one transaction at a time moves a
// projection forward (a second runner, a rebuild's swap).
func lockCheckpoint(ctx context.Context, tx pgx.Tx, name string) (uint64, error) {
	if _, err := tx.Exec(ctx,
		`INSERT INTO public.projection_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING`, name); err != nil {
		return 0, fmt.Errorf("checkpoint %s: %w", name, err)
	}
	var rev int64
	if err := tx.QueryRow(ctx,
		`SELECT revision FROM public.projection_checkpoints WHERE name = $1 FOR UPDATE`, name).Scan(&rev); err != nil {
		return 0, fmt.Errorf("checkpoint %s: %w", name, err)
	}
	return uint64(rev), nil
}

func saveCheckpoint(ctx context.Context, tx pgx.Tx, name string, rev uint64) error {
	if _, err := tx.Exec(ctx,
		`UPDATE public.projection_checkpoints SET revision = $2, updated_at = now() WHERE name = $1`, name, int64(rev)); err != nil {
		return fmt.Errorf("checkpoint %s: %w", name, err)
	}
	return nil
}

// Checkpoint returns the last revision projection name has applied, 0 if
// it has applied none.
func Checkpoint(ctx context.Context, pool *pgxpool.Pool, name string) (uint64, error) {
	var rev int64
	err := pool.QueryRow(ctx, `SELECT revision FROM public.projection_checkpoints WHERE name = $1`, name).Scan(&rev)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("checkpoint %s: %w", name, err)
	}
	return uint64(rev), nil
}
