package cli

import (
	"context"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/platform"
	"github.com/aegis-oss/aegis/schema/eventlog"
)

// attachLog connects to NATS and the event log a server set up. The caller
// closes the connection.
func (e *env) attachLog(ctx context.Context) (*nats.Conn, *eventlog.Log, error) {
	nc, err := platform.ConnectNATS(e.cfg.ClientNATSURL(), "aegis-cli")
	if err != nil {
		return nil, nil, err
	}
	l, err := eventlog.Attach(ctx, nc)
	if err != nil {
		nc.Close()
		return nil, nil, err
	}
	return nc, l, nil
}

// connectAll returns the event log and the database, for commands that
// need both. The caller closes both.
func (e *env) connectAll(ctx context.Context) (*nats.Conn, *eventlog.Log, *pgxpool.Pool, error) {
	nc, l, err := e.attachLog(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	pool, err := platform.ConnectDB(ctx, e.cfg.DatabaseURL)
	if err != nil {
		nc.Close()
		return nil, nil, nil, err
	}
	return nc, l, pool, nil
}
