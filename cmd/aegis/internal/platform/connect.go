package platform

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats.go"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/config"
	"github.com/aegis-oss/aegis/schema/migrations"
)

// connectTimeout bounds each first contact with NATS and PostgreSQL.
const connectTimeout = 5 * time.Second

// ConnectNATS connects to url, reconnecting forever once connected. It
// returns an error naming the URL if the first connection fails.
func ConnectNATS(url, name string) (*nats.Conn, error) {
	nc, err := nats.Connect(url,
		nats.Name(name),
		nats.Timeout(connectTimeout),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond),
	)
	if err != nil {
		if errors.Is(err, nats.ErrNoServers) {
			err = errors.New("no server answered")
		}
		return nil, fmt.Errorf("NATS: cannot connect to %s: %w", redactNATS(url), err)
	}
	return nc, nil
}

// ConnectDB opens a pool on url and checks that the server answers. It
// returns an error naming the URL, without its password, if it does not.
func ConnectDB(ctx context.Context, url string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database: DATABASE_URL does not parse: %w", errors.New(strings.ReplaceAll(err.Error(), url, config.RedactURL(url))))
	}
	cfg.ConnConfig.ConnectTimeout = connectTimeout
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, connectTimeout)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database: cannot reach %s: %w", config.RedactURL(url), err)
	}
	return pool, nil
}

// Migrate applies the read-model migrations to the database at url.
func Migrate(ctx context.Context, url string) (int64, error) {
	v, err := migrations.Apply(ctx, url)
	if err != nil {
		return 0, fmt.Errorf("database: %w", err)
	}
	return v, nil
}

// checkDataDir makes dir if missing and proves it writable.
func checkDataDir(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("data dir %s: %w", dir, unwrapPath(err))
	}
	f, err := os.CreateTemp(dir, ".write-check-*")
	if err != nil {
		return fmt.Errorf("data dir %s is not writable: %w", dir, unwrapPath(err))
	}
	name := f.Name()
	f.Close()
	return os.Remove(filepath.Clean(name))
}

// unwrapPath drops the operation and path Go puts in front of file errors,
// which the caller names already.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// redactNATS hides credentials in a NATS URL list.
func redactNATS(urls string) string {
	parts := config.SplitList(urls)
	for i, p := range parts {
		parts[i] = config.RedactURL(p)
	}
	return strings.Join(parts, ",")
}
