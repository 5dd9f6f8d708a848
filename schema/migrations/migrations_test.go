package migrations_test

import (
	"context"
	"sync"
	"testing"

	"github.com/aegis-oss/aegis/schema/migrations"
	"github.com/aegis-oss/aegis/schema/testkit"
)

func TestApplyCreatesTheReadModelTables(t *testing.T) {
	url := testkit.NewEmptyDatabase(t)
	ctx := context.Background()

	version, err := migrations.Apply(ctx, url)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if version < 1 {
		t.Errorf("Apply returned version %d, want at least 1", version)
	}

	pool := testkit.NewPool(t, url)
	for _, table := range []string{"projection_checkpoints", "audit_events"} {
		var exists bool
		if err := pool.QueryRow(ctx, "SELECT to_regclass($1) IS NOT NULL", table).Scan(&exists); err != nil {
			t.Fatalf("look up %s: %v", table, err)
		}
		if !exists {
			t.Errorf("table %s missing after Apply", table)
		}
	}
}

func TestApplyIsIdempotent(t *testing.T) {
	url := testkit.NewEmptyDatabase(t)
	ctx := context.Background()

	first, err := migrations.Apply(ctx, url)
	if err != nil {
		t.Fatalf("first Apply: %v", err)
	}
	second, err := migrations.Apply(ctx, url)
	if err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	if second != first {
		t.Errorf("second Apply: got version %d, want %d", second, first)
	}
	got, err := migrations.Version(ctx, url)
	if err != nil {
		t.Fatalf("Version: %v", err)
	}
	if got != first {
		t.Errorf("Version: got %d, want %d", got, first)
	}
}

func TestApplyConcurrentlyMigratesOnce(t *testing.T) {
	url := testkit.NewEmptyDatabase(t)
	ctx := context.Background()

	const n = 4
	versions := make([]int64, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { versions[i], errs[i] = migrations.Apply(ctx, url) })
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Errorf("Apply %d: %v", i, errs[i])
		} else if versions[i] != versions[0] {
			t.Errorf("Apply %d: got version %d, want %d", i, versions[i], versions[0])
		}
	}
}

func TestVersionOfAnEmptyDatabaseIsZero(t *testing.T) {
	got, err := migrations.Version(context.Background(), testkit.NewEmptyDatabase(t))
	if err != nil {
		t.Fatalf("Version: %v", err)
	}
	if got != 0 {
		t.Errorf("Version: got %d, want 0", got)
	}
}

func TestApplyFailsOnAnUnreachableServer(t *testing.T) {
	_, err := migrations.Apply(context.Background(), "postgresql://nobody:nothing@127.0.0.1:1/none?connect_timeout=2")
	if err == nil {
		t.Fatal("Apply succeeded against a closed port")
	}
}
