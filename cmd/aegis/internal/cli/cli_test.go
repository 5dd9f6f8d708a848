package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/cli"
	"github.com/aegis-oss/aegis/cmd/aegis/internal/config"
	"github.com/aegis-oss/aegis/cmd/aegis/internal/platform"
	"github.com/aegis-oss/aegis/commands/api"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

// run runs the aegis command line with env as its whole environment.
func run(t *testing.T, env map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = cli.Main(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return code, out.String(), errOut.String()
}

// listen holds a port for the test, so that something else is using it.
func listen(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln.Addr().String()
}

func TestBadConfigurationFailsWithOneClearLine(t *testing.T) {
	db := testkit.NewDatabase(t)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	good := func() map[string]string {
		return map[string]string{
			"AEGIS_DATA_DIR":     t.TempDir(),
			"DATABASE_URL":       db,
			"AEGIS_NATS_ADDR":    "127.0.0.1:0",
			"AEGIS_ADMIN_ADDR":   "127.0.0.1:0",
			"AEGIS_GATEWAY_ADDR": "127.0.0.1:0",
		}
	}
	busy := listen(t)
	tests := []struct {
		name string
		set  map[string]string
		want []string // every one must be in the line
	}{
		{"unreachable database", map[string]string{"DATABASE_URL": "postgresql://aegis_user:s3cret@127.0.0.1:1/aegis"},
			[]string{"database", "127.0.0.1:1"}},
		{"database URL of another kind", map[string]string{"DATABASE_URL": "mysql://x@y/z"},
			[]string{"DATABASE_URL"}},
		{"malformed NATS URL", map[string]string{"NATS_URL": "127.0.0.1 4222"},
			[]string{"NATS_URL"}},
		{"unreachable NATS", map[string]string{"NATS_URL": "nats://127.0.0.1:1"},
			[]string{"NATS", "nats://127.0.0.1:1"}},
		{"data dir under a file", map[string]string{"AEGIS_DATA_DIR": filepath.Join(file, "data")},
			[]string{"data dir", "not a directory"}},
		{"admin port in use", map[string]string{"AEGIS_ADMIN_ADDR": busy},
			[]string{"admin API", busy, "address already in use"}},
		{"gateway port in use", map[string]string{"AEGIS_GATEWAY_ADDR": busy},
			[]string{"gateway", busy, "address already in use"}},
		{"NATS port in use", map[string]string{"AEGIS_NATS_ADDR": busy},
			[]string{"NATS", busy, "address already in use"}},
		{"unknown role", map[string]string{"AEGIS_ROLES": "admin,coffee"},
			[]string{"configuration", "coffee"}},
		{"replicas not a number", map[string]string{"AEGIS_REPLICAS": "three"},
			[]string{"AEGIS_REPLICAS"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := good()
			for k, v := range tt.set {
				env[k] = v
			}
			code, _, stderr := run(t, env, "server")
			if code != 1 {
				t.Fatalf("exit code %d; want 1 (stderr %q)", code, stderr)
			}
			lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "aegis: ") {
				t.Fatalf("stderr = %q; want one line starting with 'aegis: '", stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(lines[0], w) {
					t.Errorf("stderr %q does not name %q", lines[0], w)
				}
			}
			if strings.Contains(stderr, "s3cret") {
				t.Errorf("stderr shows the database password: %q", stderr)
			}
		})
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	for _, args := range [][]string{{"nope"}, {"server", "--bogus"}, {"projector", "rebuild"}, {"version", "extra"}} {
		if code, _, stderr := run(t, nil, args...); code != 2 || !strings.Contains(stderr, "--help") {
			t.Errorf("aegis %v: exit %d, stderr %q; want 2 and a pointer to --help", args, code, stderr)
		}
	}
}

func TestVersion(t *testing.T) {
	code, out, _ := run(t, nil, "version")
	if code != 0 || !strings.HasPrefix(out, "aegis ") {
		t.Fatalf("aegis version = %d %q", code, out)
	}
}

// The client commands against a running platform: tail the log, show
// projection status, rebuild a projection.
func TestClientCommands(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = testkit.NewDatabase(t)
	cfg.NATSAddr = "127.0.0.1:0"
	cfg.AdminAddr = "127.0.0.1:0"
	cfg.GatewayAddr = "127.0.0.1:0"
	p, err := platform.Start(context.Background(), cfg, testkit.Logger(t), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(context.Background())

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
	for _, email := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		if _, err := l.Claim(ctx, schema.ClaimEmail, email, "customer:"+email[:1], schema.SystemActor, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := l.Release(ctx, schema.ClaimEmail, "b@example.com", "customer:b", schema.SystemActor, ""); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"NATS_URL": p.NATSURL(), "DATABASE_URL": cfg.DatabaseURL}

	code, out, stderr := run(t, env, "events", "tail", "-o", "json", "--type", schema.EventClaimReleased)
	if code != 0 {
		t.Fatalf("events tail: %d %s", code, stderr)
	}
	var ev struct {
		Revision uint64 `json:"revision"`
		Type     string `json:"type"`
	}
	if err := json.Unmarshal([]byte(out), &ev); err != nil || ev.Revision != 4 || ev.Type != schema.EventClaimReleased {
		t.Fatalf("events tail -o json = %q (%v); want the release at revision 4", out, err)
	}
	code, out, _ = run(t, env, "events", "tail")
	if code != 0 || strings.Count(out, "\n") != 5 || !strings.Contains(out, "claim.acquired") {
		t.Fatalf("events tail = %d %q; want a header and 4 events", code, out)
	}

	deadline := time.Now().Add(30 * time.Second)
	for {
		code, out, stderr := run(t, env, "projector", "status")
		if code != 0 {
			t.Fatalf("projector status: %d %s", code, stderr)
		}
		if strings.Contains(out, "audit       4           4     0") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("projector status never showed audit caught up:\n%s", out)
		}
		time.Sleep(10 * time.Millisecond)
	}
	code, out, stderr = run(t, env, "projector", "status", "-o", "json")
	var st []struct {
		Name string `json:"name"`
		Lag  uint64 `json:"lag"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &st) != nil || len(st) < 2 || st[0].Name != "audit" || st[0].Lag != 0 {
		t.Fatalf("projector status -o json = %d %q %s", code, out, stderr)
	}

	code, out, stderr = run(t, env, "projector", "rebuild", "audit")
	if code != 0 || !strings.Contains(out, "rebuilt audit at revision 4: 4 events applied") {
		t.Fatalf("projector rebuild audit = %d %q %s", code, out, stderr)
	}
	code, _, stderr = run(t, env, "projector", "rebuild", "nope")
	if code != 1 || !strings.Contains(stderr, `no projection "nope"`) {
		t.Fatalf("projector rebuild nope = %d %q", code, stderr)
	}
}

func TestOpenAPIPrintsTheDocument(t *testing.T) {
	code, out, stderr := run(t, nil, "openapi")
	want, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if code != 0 || out != string(want) {
		t.Fatalf("aegis openapi = %d, %d bytes (stderr %q); want 0 and the %d bytes of api.OpenAPI", code, len(out), stderr, len(want))
	}
}
