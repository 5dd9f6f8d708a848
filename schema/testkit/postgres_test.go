package testkit_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/schema/migrations"
	"github.com/aegis-oss/aegis/schema/testkit"
)

func TestNewDatabaseIsMigrated(t *testing.T) {
	ctx := context.Background()
	db := testkit.NewDatabase(t)

	version, err := migrations.Version(ctx, db)
	if err != nil {
		t.Fatalf("Version: %v", err)
	}
	if version < 1 {
		t.Errorf("Version: got %d, want at least 1", version)
	}
	pool := testkit.NewPool(t, db)
	for _, table := range []string{"projection_checkpoints", "audit_events"} {
		var exists bool
		if err := pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&exists); err != nil {
			t.Fatalf("look up %s: %v", table, err)
		}
		if !exists {
			t.Errorf("table %s missing", table)
		}
	}
}

func TestNewDatabaseGivesIsolatedDatabases(t *testing.T) {
	ctx := context.Background()
	a, b := testkit.NewDatabase(t), testkit.NewDatabase(t)
	if databaseName(t, a) == databaseName(t, b) {
		t.Fatalf("both calls returned database %s", databaseName(t, a))
	}

	poolA, poolB := testkit.NewPool(t, a), testkit.NewPool(t, b)
	if _, err := poolA.Exec(ctx, "INSERT INTO projection_checkpoints (name, revision) VALUES ('audit', 7)"); err != nil {
		t.Fatalf("insert into a: %v", err)
	}
	var n int
	if err := poolB.QueryRow(ctx, "SELECT count(*) FROM projection_checkpoints").Scan(&n); err != nil {
		t.Fatalf("count in b: %v", err)
	}
	if n != 0 {
		t.Errorf("b sees %d checkpoint rows written to a, want 0", n)
	}
}

func TestNewDatabaseOwnerIsNotSuperuser(t *testing.T) {
	var super bool
	pool := testkit.NewPool(t, testkit.NewDatabase(t))
	err := pool.QueryRow(context.Background(),
		"SELECT rolsuper FROM pg_roles WHERE rolname = (SELECT tableowner FROM pg_tables WHERE tablename = 'audit_events')").Scan(&super)
	if err != nil {
		t.Fatalf("look up table owner: %v", err)
	}
	if super {
		t.Error("the tables belong to a superuser; row-level security would not apply to their owner")
	}
}

func TestNewDatabaseIsDroppedAtCleanup(t *testing.T) {
	var name string
	t.Run("use", func(t *testing.T) {
		name = databaseName(t, testkit.NewDatabase(t))
	})

	server := testkit.NewPool(t, testkit.NewEmptyDatabase(t))
	var n int
	if err := server.QueryRow(context.Background(), "SELECT count(*) FROM pg_database WHERE datname = $1", name).Scan(&n); err != nil {
		t.Fatalf("look up %s: %v", name, err)
	}
	if n != 0 {
		t.Errorf("database %s still exists after cleanup", name)
	}
}

func TestNewDatabaseInParallel(t *testing.T) {
	for i := range 8 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			pool := testkit.NewPool(t, testkit.NewDatabase(t))
			var n int
			if err := pool.QueryRow(context.Background(), "SELECT count(*) FROM audit_events").Scan(&n); err != nil {
				t.Fatalf("query: %v", err)
			}
		})
	}
}

func databaseName(t testing.TB, raw string) string {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("parse %q: %v", raw, err)
	}
	return strings.TrimPrefix(u.Path, "/")
}
