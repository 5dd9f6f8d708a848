package testkit

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/aegis-oss/aegis/schema/migrations"
)

// defaultServerURL is the cluster deploy/local/postgres.sh runs.
const defaultServerURL = "postgresql://aegis_user:aegis_password@localhost:5434/aegis"

// templateLockID is the advisory lock under which a template database is
// built, so that test processes starting together build it once.
const templateLockID int64 = 0x6165676973_746d // "aegistm"

// NewDatabase creates a fresh database with every migration applied and
// returns its URL. The database is a copy of a template built once per set
// of migration files, and is dropped when the test ends. The server is the
// one DATABASE_URL names, or the local cluster of deploy/local/postgres.sh.
// It fails the test if the server does not answer or a migration fails.
func NewDatabase(t testing.TB) string {
	t.Helper()
	return newDatabase(t, true)
}

// NewEmptyDatabase is NewDatabase without the migrations: the database is
// empty, for tests of the migrations themselves.
func NewEmptyDatabase(t testing.TB) string {
	t.Helper()
	return newDatabase(t, false)
}

// NewPool returns a connection pool to the database at url, closed when the
// test ends. It fails the test if the database does not answer.
func NewPool(t testing.TB, url string) *pgxpool.Pool {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatalf("testkit: open pool: %v", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		t.Fatalf("testkit: open pool: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

func newDatabase(t testing.TB, migrated bool) string {
	t.Helper()
	server, err := serverURL()
	if err != nil {
		t.Fatalf("testkit: %v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	admin, err := connect(ctx, server)
	if err != nil {
		t.Fatalf("testkit: PostgreSQL at %s does not answer; start it with deploy/local/postgres.sh ensure: %v",
			server.Redacted(), err)
	}
	defer admin.Close(context.WithoutCancel(ctx))

	name := databaseName()
	create := "CREATE DATABASE " + pgx.Identifier{name}.Sanitize()
	if migrated {
		tmpl, err := ensureTemplate(ctx, admin, server)
		if err != nil {
			t.Fatalf("testkit: build template database: %v", err)
		}
		create += " TEMPLATE " + pgx.Identifier{tmpl}.Sanitize()
	}
	if _, err := admin.Exec(ctx, create); err != nil {
		t.Fatalf("testkit: create database %s: %v", name, err)
	}
	t.Cleanup(func() { dropDatabase(server, name) })
	return withDatabase(server, name).String()
}

// serverURL returns the URL of the server's maintenance database: the
// database test databases are created from and dropped from.
func serverURL() (*url.URL, error) {
	raw := os.Getenv("DATABASE_URL")
	if raw == "" {
		raw = defaultServerURL
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, errors.New("DATABASE_URL must be a postgresql:// URL")
	}
	return u, nil
}

func withDatabase(server *url.URL, name string) *url.URL {
	u := *server
	u.Path = "/" + name
	u.RawPath = ""
	return &u
}

func connect(ctx context.Context, u *url.URL) (*pgx.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return pgx.Connect(ctx, u.String())
}

func databaseName() string {
	b := make([]byte, 8)
	rand.Read(b)
	return "test_" + hex.EncodeToString(b)
}

func dropDatabase(server *url.URL, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	admin, err := connect(ctx, server)
	if err != nil {
		return
	}
	defer admin.Close(ctx)
	admin.Exec(ctx, "DROP DATABASE IF EXISTS "+pgx.Identifier{name}.Sanitize()+" WITH (FORCE)")
}

var (
	templateMu    sync.Mutex
	templateReady = map[string]bool{} // server URL and template name
)

// ensureTemplate returns the name of the template database for the current
// migration files, building it first if no process has. A template is
// complete once it is marked IS_TEMPLATE; a half-built one, left by a
// process that died, is dropped and built again.
func ensureTemplate(ctx context.Context, admin *pgx.Conn, server *url.URL) (string, error) {
	name, err := templateName()
	if err != nil {
		return "", err
	}
	key := server.String() + " " + name
	templateMu.Lock()
	defer templateMu.Unlock()
	if templateReady[key] {
		return name, nil
	}
	if exists, complete, err := templateState(ctx, admin, name); err != nil {
		return "", err
	} else if exists && complete {
		templateReady[key] = true
		return name, nil
	}

	if _, err := admin.Exec(ctx, "SELECT pg_advisory_lock($1)", templateLockID); err != nil {
		return "", fmt.Errorf("take template lock: %w", err)
	}
	defer admin.Exec(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", templateLockID)

	exists, complete, err := templateState(ctx, admin, name)
	if err != nil {
		return "", err
	}
	if !complete {
		if err := buildTemplate(ctx, admin, server, name, exists); err != nil {
			return "", err
		}
	}
	templateReady[key] = true
	return name, nil
}

func templateState(ctx context.Context, admin *pgx.Conn, name string) (exists, complete bool, err error) {
	err = admin.QueryRow(ctx, "SELECT datistemplate FROM pg_database WHERE datname = $1", name).Scan(&complete)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return false, false, nil
	case err != nil:
		return false, false, fmt.Errorf("look up template: %w", err)
	}
	return true, complete, nil
}

func buildTemplate(ctx context.Context, admin *pgx.Conn, server *url.URL, name string, exists bool) error {
	ident := pgx.Identifier{name}.Sanitize()
	if exists {
		if _, err := admin.Exec(ctx, "DROP DATABASE "+ident+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop unfinished template: %w", err)
		}
	}
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
		return fmt.Errorf("create template: %w", err)
	}
	if _, err := migrations.Apply(ctx, withDatabase(server, name).String()); err != nil {
		return err
	}
	// No connection to a template: CREATE DATABASE refuses to copy a
	// database that someone is connected to.
	if _, err := admin.Exec(ctx, "ALTER DATABASE "+ident+" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false"); err != nil {
		return fmt.Errorf("mark template: %w", err)
	}
	return nil
}

// templateName names the template after a hash of every migration file, so
// that changing a migration builds a new template.
var templateName = sync.OnceValues(func() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	if err != nil {
		return "", fmt.Errorf("hash migrations: %w", err)
	}
	return "aegis_tmpl_" + hex.EncodeToString(h.Sum(nil))[:12], nil
})
