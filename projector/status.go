package projector

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/aegis-oss/aegis/schema/eventlog"
)

// Status is one projection's progress.
type Status struct {
	Name string `json:"name"`
	// Checkpoint is the last revision the projection applied.
	Checkpoint uint64 `json:"checkpoint"`
	// Last is the newest revision in the event log.
	Last uint64 `json:"last"`
	// Lag is Last minus Checkpoint: events not yet in the read model.
	Lag uint64 `json:"lag"`
	// UpdatedAt is when the checkpoint last moved; zero if never.
	UpdatedAt time.Time `json:"updated_at"`
}

// Statuses returns the progress of every projection in All, in order.
func Statuses(ctx context.Context, log *eventlog.Log, pool *pgxpool.Pool) ([]Status, error) {
	last, err := log.LastRevision(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := pool.Query(ctx, `SELECT name, revision, updated_at FROM public.projection_checkpoints`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type cp struct {
		rev int64
		at  time.Time
	}
	cps := make(map[string]cp)
	for rows.Next() {
		var name string
		var c cp
		if err := rows.Scan(&name, &c.rev, &c.at); err != nil {
			return nil, err
		}
		cps[name] = c
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var out []Status
	for _, p := range All() {
		c := cps[p.Name()]
		s := Status{Name: p.Name(), Checkpoint: uint64(c.rev), Last: last, UpdatedAt: c.at}
		if last > s.Checkpoint {
			s.Lag = last - s.Checkpoint
		}
		out = append(out, s)
	}
	return out, nil
}
