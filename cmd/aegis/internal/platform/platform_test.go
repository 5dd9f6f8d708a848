package platform_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/config"
	"github.com/aegis-oss/aegis/cmd/aegis/internal/platform"
	"github.com/aegis-oss/aegis/projector"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

func testConfig(t *testing.T) config.Config {
	t.Helper()
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = testkit.NewDatabase(t)
	cfg.NATSAddr = "127.0.0.1:0"
	cfg.AdminAddr = "127.0.0.1:0"
	cfg.GatewayAddr = "127.0.0.1:0"
	cfg.LogLevel = "warn"
	return cfg
}

func start(t *testing.T, cfg config.Config) *platform.Platform {
	t.Helper()
	p, err := platform.Start(context.Background(), cfg, testkit.Logger(t), "test")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
	return p
}

func appendEvents(t *testing.T, p *platform.Platform, n int) {
	t.Helper()
	nc, err := platform.ConnectNATS(p.NATSURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	ctx := context.Background()
	l, err := eventlog.Attach(ctx, nc)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if _, err := l.Claim(ctx, schema.ClaimEmail, fmt.Sprintf("%s-%d@example.com", schema.NewID(), i), "customer:x", schema.SystemActor, ""); err != nil {
			t.Fatal(err)
		}
	}
}

func waitAudit(t *testing.T, url string, want uint64) {
	t.Helper()
	pool := testkit.NewPool(t, url)
	deadline := time.Now().Add(30 * time.Second)
	for {
		rev, err := projector.Checkpoint(context.Background(), pool, schema.ProjectionAudit)
		if err != nil {
			t.Fatal(err)
		}
		if rev == want {
			var rows int
			if err := pool.QueryRow(context.Background(), `SELECT count(*) FROM audit_events`).Scan(&rows); err != nil {
				t.Fatal(err)
			}
			if uint64(rows) != want {
				t.Fatalf("audit_events has %d rows at checkpoint %d", rows, want)
			}
			return
		}
		if rev > want || time.Now().After(deadline) {
			t.Fatalf("audit checkpoint = %d; want %d", rev, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func status(t *testing.T, url string) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestRestartKeepsEventsAndResumesProjections(t *testing.T) {
	cfg := testConfig(t)
	p := start(t, cfg)
	if got := status(t, "http://"+p.AdminAddr()+"/health"); got != 200 {
		t.Fatalf("/health = %d", got)
	}
	appendEvents(t, p, 120)
	waitAudit(t, cfg.DatabaseURL, 120)
	if got := status(t, "http://"+p.AdminAddr()+"/ready"); got != 200 {
		t.Fatalf("/ready = %d", got)
	}
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}

	p = start(t, cfg)
	nc, err := platform.ConnectNATS(p.NATSURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	l, err := eventlog.Attach(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	if last, err := l.LastRevision(context.Background()); err != nil || last != 120 {
		t.Fatalf("after restart the log ends at %d (%v); want 120", last, err)
	}
	appendEvents(t, p, 80)
	waitAudit(t, cfg.DatabaseURL, 200)
}

// dumpTable returns every row of table as text.
func dumpTable(t *testing.T, pool *pgxpool.Pool, table string) []string {
	t.Helper()
	rows, err := pool.Query(context.Background(), `SELECT t::text FROM `+pgx.Identifier{table}.Sanitize()+` t`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}
