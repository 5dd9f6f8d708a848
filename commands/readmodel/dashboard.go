package readmodel

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// Dashboard is the summary the dashboard's home page shows.
type Dashboard struct {
	Apps struct {
		Total  int `json:"total"`
		Active int `json:"active"`
	} `json:"apps"`
	// Keys counts active API keys by environment.
	Keys    map[string]int `json:"keys"`
	Members int            `json:"members"`
	// Revision is the read models' revision the figures were taken at.
	Revision uint64 `json:"revision"`
}

// DashboardOf returns the summary of the customer tx is bound to.
func DashboardOf(ctx context.Context, tx pgx.Tx, projections []string) (Dashboard, error) {
	var d Dashboard
	d.Keys = map[string]int{"production": 0, "staging": 0, "development": 0}
	var rev *int64
	err := tx.QueryRow(ctx, `
		SELECT (SELECT count(*) FROM apps),
		       (SELECT count(*) FROM apps WHERE status = 'active'),
		       (SELECT count(*) FROM members),
		       (SELECT min(revision) FROM projection_checkpoints WHERE name = ANY($1))`, projections).
		Scan(&d.Apps.Total, &d.Apps.Active, &d.Members, &rev)
	if err != nil {
		return d, fmt.Errorf("dashboard: %w", err)
	}
	if rev != nil {
		d.Revision = uint64(*rev)
	}
	rows, err := tx.Query(ctx, `SELECT environment, count(*) FROM api_keys WHERE status = 'active' GROUP BY environment`)
	if err != nil {
		return d, fmt.Errorf("dashboard: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var env string
		var n int
		if err := rows.Scan(&env, &n); err != nil {
			return d, fmt.Errorf("dashboard: %w", err)
		}
		d.Keys[env] = n
	}
	return d, rows.Err()
}
