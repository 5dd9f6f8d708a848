// Package migrations holds the PostgreSQL read-model schema as goose SQL
// files embedded in the binary, and applies them. Migrations only move
// forward in production; a file, once released, is never edited.
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"
)

// FS holds the migration files, named NNNNN_name.sql, at its root.
//
//go:embed *.sql
var FS embed.FS

// lockID is the session advisory lock that serialises Apply across
// processes, so that replicas starting together migrate once.
const lockID int64 = 0x6165676973_6d67 // "aegismg"

// Apply brings the database at databaseURL up to the latest migration and
// returns the version it is then at. Concurrent callers, in this process or
// others, wait for each other. It returns an error if the database cannot be
// reached or a migration fails; migrations applied before the failure stay
// applied.
func Apply(ctx context.Context, databaseURL string) (version int64, err error) {
	db, err := open(databaseURL)
	if err != nil {
		return 0, fmt.Errorf("apply migrations: %w", err)
	}
	defer db.Close()

	unlock, err := lock(ctx, db)
	if err != nil {
		return 0, fmt.Errorf("apply migrations: %w", err)
	}
	defer func() { err = errors.Join(err, unlock()) }()

	p, err := provider(db)
	if err != nil {
		return 0, fmt.Errorf("apply migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return 0, fmt.Errorf("apply migrations: %w", err)
	}
	version, err = p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("apply migrations: read version: %w", err)
	}
	return version, nil
}

// Version returns the version of the last migration applied to the
// database at databaseURL, 0 if none is; on a database never migrated it
// creates goose's empty version table. It returns an error if the database
// cannot be reached.
func Version(ctx context.Context, databaseURL string) (int64, error) {
	db, err := open(databaseURL)
	if err != nil {
		return 0, fmt.Errorf("migration version: %w", err)
	}
	defer db.Close()
	p, err := provider(db)
	if err != nil {
		return 0, fmt.Errorf("migration version: %w", err)
	}
	version, err := p.GetDBVersion(ctx)
	if err != nil {
		return 0, fmt.Errorf("migration version: %w", err)
	}
	return version, nil
}

func open(databaseURL string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(databaseURL)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	return stdlib.OpenDB(*cfg), nil
}

func provider(db *sql.DB) (*goose.Provider, error) {
	return goose.NewProvider(goose.DialectPostgres, db, FS,
		goose.WithDisableGlobalRegistry(true),
	)
}

// lock takes the migration lock on a connection of its own and returns the
// function that releases it.
func lock(ctx context.Context, db *sql.DB) (unlock func() error, err error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", lockID); err != nil {
		conn.Close()
		return nil, fmt.Errorf("take migration lock: %w", err)
	}
	return func() error {
		_, err := conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", lockID)
		return errors.Join(err, conn.Close())
	}, nil
}
