package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/config"
	"github.com/aegis-oss/aegis/cmd/aegis/internal/platform"
	"github.com/aegis-oss/aegis/schema/testkit"
)

const adminPassword = "correct horse battery staple"

// startAdminAPI starts a platform whose mail goes to a test SMTP server
// and returns its admin API's address.
func startAdminAPI(t *testing.T) (string, *testkit.SMTPServer) {
	t.Helper()
	smtp := testkit.NewSMTP(t)
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = testkit.NewDatabase(t)
	cfg.NATSAddr = "127.0.0.1:0"
	cfg.AdminAddr = "127.0.0.1:0"
	cfg.GatewayAddr = "127.0.0.1:0"
	cfg.LogLevel = "warn"
	cfg.SMTPURL = smtp.URL()
	cfg.PublicURL = "http://dashboard.test"
	p, err := platform.Start(context.Background(), cfg, testkit.Logger(t), "test")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() { _ = p.Shutdown(context.Background()) })
	return "http://" + p.AdminAddr(), smtp
}

// post sends body as JSON to the admin API and decodes the answer into
// out, failing the test unless the status is want.
func post(t *testing.T, base, path string, body, out any, want int, headers ...string) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, base+path, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var raw bytes.Buffer
	raw.ReadFrom(resp.Body)
	if resp.StatusCode != want {
		t.Fatalf("POST %s = %d %s; want %d", path, resp.StatusCode, raw.String(), want)
	}
	if out != nil {
		if err := json.Unmarshal(raw.Bytes(), out); err != nil {
			t.Fatalf("POST %s: decode %q: %v", path, raw.String(), err)
		}
	}
}

var verifyLink = regexp.MustCompile(`http://dashboard\.test/verify\?token=([A-Za-z0-9_.%-]+)`)

// signUp registers a company, verifies its owner's email from the mail
// and waits until the owner can log in.
func signUp(t *testing.T, base string, smtp *testkit.SMTPServer, company, email string) {
	t.Helper()
	post(t, base, "/api/v1/register", map[string]string{"company_name": company, "email": email, "password": adminPassword}, nil, 201)
	msg := smtp.WaitFor(t, email, 20*time.Second)
	m := verifyLink.FindStringSubmatch(msg.Text)
	if m == nil {
		t.Fatalf("no verification link in %q", msg.Text)
	}
	token, err := url.QueryUnescape(m[1])
	if err != nil {
		t.Fatal(err)
	}
	var verified struct {
		Revision uint64 `json:"revision"`
	}
	post(t, base, "/api/v1/verify", map[string]string{"token": token}, &verified, 200)
	// Log in once with Aegis-Min-Revision: the answer comes when the
	// verification is visible to logins, the command line's included.
	post(t, base, "/api/v1/auth/login", map[string]string{"email": email, "password": adminPassword}, nil, 200,
		"Aegis-Min-Revision", strconv.FormatUint(verified.Revision, 10))
}

// mustRun runs the command line and fails the test unless it exits 0.
func mustRun(t *testing.T, env map[string]string, args ...string) (stdout, stderr string) {
	t.Helper()
	code, stdout, stderr := run(t, env, args...)
	if code != 0 {
		t.Fatalf("aegis %s: exit %d, stderr %q", strings.Join(args, " "), code, stderr)
	}
	return stdout, stderr
}

// failsWithOneLine runs the command line and fails the test unless it
// exits 1 with one line on stderr that contains each of want.
func failsWithOneLine(t *testing.T, env map[string]string, want []string, args ...string) {
	t.Helper()
	code, _, stderr := run(t, env, args...)
	lines := strings.Split(strings.TrimRight(stderr, "\n"), "\n")
	if code != 1 || len(lines) != 1 || !strings.HasPrefix(lines[0], "aegis: ") {
		t.Fatalf("aegis %s: exit %d, stderr %q; want 1 and one line", strings.Join(args, " "), code, stderr)
	}
	for _, w := range want {
		if !strings.Contains(lines[0], w) {
			t.Errorf("aegis %s: stderr %q does not say %q", strings.Join(args, " "), lines[0], w)
		}
	}
}

// storedCredentials are the credentials file as the test reads it.
type storedCredentials struct {
	URL     string `json:"url"`
	Token   string `json:"token"`
	TokenID string `json:"token_id"`
}

func TestAdminCommandsEndToEnd(t *testing.T) {
	base, smtp := startAdminAPI(t)
	signUp(t, base, smtp, "Acme", "ada@acme.example")
	configHome := t.TempDir()
	env := map[string]string{"XDG_CONFIG_HOME": configHome, "AEGIS_PASSWORD": adminPassword}

	// Before login, the admin commands ask for one.
	failsWithOneLine(t, env, []string{"not logged in", "aegis login"}, "whoami")

	// Login keeps a token, readable by the user only.
	out, _ := mustRun(t, env, "login", "--url", base, "--email", "ada@acme.example")
	if !strings.Contains(out, "Logged in to "+base+" as ada@acme.example (owner of Acme)") {
		t.Fatalf("login said %q", out)
	}
	file := filepath.Join(configHome, "aegis", "credentials.json")
	creds := readCredentials(t, file)
	if creds.URL != base || !strings.HasPrefix(creds.Token, "aegp_") || creds.TokenID == "" {
		t.Fatalf("credentials = %+v", creds)
	}
	if fi, err := os.Stat(file); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("credentials file mode = %v (%v); want 0600", fi.Mode(), err)
	}
	if fi, err := os.Stat(filepath.Dir(file)); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("credentials dir mode = %v (%v); want 0700", fi.Mode(), err)
	}
	delete(env, "AEGIS_PASSWORD")

	out, _ = mustRun(t, env, "whoami")
	for _, want := range []string{"ada@acme.example", "owner", "Acme"} {
		if !strings.Contains(out, want) {
			t.Errorf("whoami = %q; want %q in it", out, want)
		}
	}
	// AEGIS_URL and AEGIS_TOKEN need no credentials file.
	out, _ = mustRun(t, map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "AEGIS_URL": base, "AEGIS_TOKEN": creds.Token}, "whoami", "-o", "json")
	var me struct{ Email, Role string }
	if err := json.Unmarshal([]byte(out), &me); err != nil || me.Email != "ada@acme.example" || me.Role != "owner" {
		t.Fatalf("whoami -o json = %q (%v)", out, err)
	}
	out, _ = mustRun(t, env, "tokens", "list")
	if !strings.Contains(out, "aegis CLI on ") || !strings.Contains(out, creds.TokenID) || !strings.Contains(out, "active") {
		t.Fatalf("tokens list = %q", out)
	}

	// Apps: create (retried with the same idempotency key), list, get.
	create := []string{"apps", "create", "--name", "Shop API", "--slug", "shop", "--host", "api.acme.example",
		"--prefix", "/v1", "--upstream", "http://127.0.0.1:4000=2", "--upstream", "http://127.0.0.1:4001",
		"--idempotency-key", "create-shop-1", "-o", "json"}
	var app struct {
		AppID  string `json:"app_id"`
		Config struct {
			Slug         string   `json:"slug"`
			Hostnames    []string `json:"hostnames"`
			PathPrefixes []string `json:"path_prefixes"`
			Upstreams    []struct {
				URL    string `json:"url"`
				Weight int    `json:"weight"`
			} `json:"upstreams"`
			AuthMode string `json:"auth_mode"`
		} `json:"config"`
	}
	out, _ = mustRun(t, env, create...)
	if err := json.Unmarshal([]byte(out), &app); err != nil {
		t.Fatalf("apps create -o json = %q: %v", out, err)
	}
	cfg := app.Config
	if app.AppID == "" || cfg.Slug != "shop" || cfg.Hostnames[0] != "api.acme.example" || cfg.PathPrefixes[0] != "/v1" ||
		len(cfg.Upstreams) != 2 || cfg.Upstreams[0].Weight != 2 || cfg.Upstreams[1].Weight != 1 || cfg.AuthMode != "api_key" {
		t.Fatalf("created app = %+v", app)
	}
	out, _ = mustRun(t, env, create...)
	var again struct {
		AppID string `json:"app_id"`
	}
	if err := json.Unmarshal([]byte(out), &again); err != nil || again.AppID != app.AppID {
		t.Fatalf("apps create retried with its idempotency key = %q (%v); want app %s again", out, err, app.AppID)
	}
	// Without the key, it is another app, whose slug is taken.
	failsWithOneLine(t, env, []string{`slug "shop" is already used by another app`},
		"apps", "create", "--name", "Shop 2", "--slug", "shop", "--host", "api2.acme.example", "--upstream", "http://127.0.0.1:4000")

	out, _ = mustRun(t, env, "apps", "list")
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) != 2 || !strings.HasPrefix(lines[0], "ID ") || !strings.Contains(lines[1], app.AppID) ||
		!strings.Contains(lines[1], "shop") || !strings.Contains(lines[1], "api.acme.example") {
		t.Fatalf("apps list = %q; want a header and the app", out)
	}
	out, _ = mustRun(t, env, "apps", "list", "-o", "json")
	var apps []struct {
		AppID string `json:"app_id"`
	}
	if err := json.Unmarshal([]byte(out), &apps); err != nil || len(apps) != 1 || apps[0].AppID != app.AppID {
		t.Fatalf("apps list -o json = %q (%v)", out, err)
	}
	out, _ = mustRun(t, env, "apps", "get", app.AppID)
	if !strings.Contains(out, "http://127.0.0.1:4000=2") || !strings.Contains(out, "api_key") {
		t.Fatalf("apps get = %q", out)
	}
	failsWithOneLine(t, env, []string{"not_found"}, "apps", "get", "0193e0c4-0000-7000-8000-000000000000")

	// Keys: the key is shown once, then only masked.
	out, stderr := mustRun(t, env, "keys", "create", "--app", app.AppID, "--env", "production", "--name", "web",
		"--scope", "orders:read", "--scope", "orders:write", "--tenant", "t-42", "--rate", "100/60",
		"--expires", time.Now().Add(24*time.Hour).UTC().Format(time.RFC3339))
	key := strings.TrimSpace(out)
	if !strings.HasPrefix(key, "aeg_prod_") || strings.Count(out, "\n") != 1 {
		t.Fatalf("keys create printed %q; want the key alone", out)
	}
	if !strings.Contains(stderr, "will not be shown again") {
		t.Fatalf("keys create warned %q", stderr)
	}
	out, _ = mustRun(t, env, "keys", "list")
	if strings.Contains(out, key) || !strings.Contains(out, key[len(key)-4:]) || !strings.Contains(out, "active") {
		t.Fatalf("keys list = %q; want the key masked", out)
	}
	out, _ = mustRun(t, env, "keys", "list", "--app", app.AppID, "--env", "production", "-o", "json")
	var keys []struct {
		KeyID     string   `json:"key_id"`
		Masked    string   `json:"masked"`
		Status    string   `json:"status"`
		Scopes    []string `json:"scopes"`
		TenantID  string   `json:"tenant_id"`
		RateLimit struct {
			Requests      int `json:"requests"`
			PeriodSeconds int `json:"period_seconds"`
		} `json:"rate_limit"`
	}
	if err := json.Unmarshal([]byte(out), &keys); err != nil || len(keys) != 1 || strings.Contains(out, key) {
		t.Fatalf("keys list -o json = %q (%v)", out, err)
	}
	k := keys[0]
	if !strings.HasSuffix(k.Masked, key[len(key)-4:]) || len(k.Scopes) != 2 || k.TenantID != "t-42" ||
		k.RateLimit.Requests != 100 || k.RateLimit.PeriodSeconds != 60 {
		t.Fatalf("listed key = %+v", k)
	}
	out, _ = mustRun(t, env, "keys", "list", "--env", "staging")
	if strings.Contains(out, k.KeyID) {
		t.Fatalf("keys list --env staging = %q; want no production key", out)
	}

	out, stderr = mustRun(t, env, "keys", "rotate", k.KeyID, "--grace", "24h")
	rotated := strings.TrimSpace(out)
	if !strings.HasPrefix(rotated, "aeg_prod_") || rotated == key || !strings.Contains(stderr, "will not be shown again") ||
		!strings.Contains(stderr, "24h0m0s") {
		t.Fatalf("keys rotate = %q, %q", out, stderr)
	}
	out, _ = mustRun(t, env, "keys", "list")
	if !strings.Contains(out, rotated[len(rotated)-4:]) || strings.Contains(out, rotated) {
		t.Fatalf("keys list after rotation = %q", out)
	}
	mustRun(t, env, "keys", "revoke", k.KeyID)
	out, _ = mustRun(t, env, "keys", "list")
	if !strings.Contains(out, "revoked") {
		t.Fatalf("keys list after revocation = %q", out)
	}
	failsWithOneLine(t, env, []string{"conflict"}, "keys", "rotate", k.KeyID)

	// The audit log shows it all, newest first.
	out, _ = mustRun(t, env, "audit", "--limit", "200")
	for _, want := range []string{"app.created", "apikey.created", "apikey.rotated", "apikey.revoked", "member.token_created"} {
		if !strings.Contains(out, want) {
			t.Errorf("audit = %q; want %s in it", out, want)
		}
	}
	out, _ = mustRun(t, env, "audit", "--type", "apikey.created", "-o", "json")
	var page struct {
		Events []struct {
			Type        string `json:"type"`
			AggregateID string `json:"aggregate_id"`
		} `json:"events"`
	}
	if err := json.Unmarshal([]byte(out), &page); err != nil || len(page.Events) != 1 ||
		page.Events[0].Type != "apikey.created" || page.Events[0].AggregateID != k.KeyID {
		t.Fatalf("audit --type apikey.created -o json = %q (%v)", out, err)
	}
	_, stderr = mustRun(t, env, "audit", "--limit", "1")
	if !strings.Contains(stderr, "--cursor") {
		t.Fatalf("audit --limit 1 said %q; want how to get the next page", stderr)
	}

	// Logout revokes the token and forgets it.
	out, _ = mustRun(t, env, "logout")
	if !strings.Contains(out, "revoked") {
		t.Fatalf("logout said %q", out)
	}
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("credentials file after logout: %v; want it gone", err)
	}
	failsWithOneLine(t, env, []string{"not logged in"}, "whoami")
	failsWithOneLine(t, env, []string{"not logged in"}, "logout")
	revoked := map[string]string{"XDG_CONFIG_HOME": configHome, "AEGIS_URL": base, "AEGIS_TOKEN": creds.Token}
	failsWithOneLine(t, revoked, []string{"unauthorized", "revoked"}, "whoami")
	failsWithOneLine(t, env, []string{"revoked"}, "login", "--url", base, "--token", creds.Token)
	if _, err := os.Stat(file); !os.IsNotExist(err) {
		t.Fatalf("a refused login --token left credentials behind: %v", err)
	}
	failsWithOneLine(t, map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "AEGIS_PASSWORD": "wrong password!"},
		[]string{"email or password is wrong"}, "login", "--url", base, "--email", "ada@acme.example")
}

func readCredentials(t *testing.T, file string) storedCredentials {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var c storedCredentials
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatalf("credentials file %q: %v", b, err)
	}
	return c
}

// Mistakes in the command line exit 2 before anything is sent, with or
// without credentials.
func TestAdminUsageErrorsExitTwo(t *testing.T) {
	env := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "AEGIS_URL": "http://127.0.0.1:1"}
	for _, args := range [][]string{
		{"apps", "create", "--bogus"},
		{"apps", "create", "--name", "n", "--slug", "s", "--host", "h"},
		{"apps", "create", "--name", "n", "--slug", "s", "--host", "h", "--upstream", "http://x=0"},
		{"apps", "get"},
		{"apps", "list", "-o", "yaml"},
		{"keys", "create", "--app", "a", "--env", "prod", "--name", "n"},
		{"keys", "create", "--app", "a", "--env", "production", "--name", "n", "--rate", "100"},
		{"keys", "create", "--app", "a", "--env", "production", "--name", "n", "--expires", "tomorrow"},
		{"keys", "rotate", "id", "--grace", "1.5s"},
		{"keys", "revoke"},
		{"tokens", "revoke"},
		{"audit", "--limit", "0"},
		{"login"},
		{"login", "--email", "a@b.example", "--token", "aegp_x"},
		{"login", "--token", "not-a-token"},
		{"login", "--url", "localhost:3001", "--email", "a@b.example"},
	} {
		if code, _, stderr := run(t, env, args...); code != 2 || !strings.Contains(stderr, "--help") {
			t.Errorf("aegis %v: exit %d, stderr %q; want 2 and a pointer to --help", args, code, stderr)
		}
	}
}

func TestAdminAPIUnreachableFailsWithOneLine(t *testing.T) {
	env := map[string]string{"XDG_CONFIG_HOME": t.TempDir(), "AEGIS_URL": "http://127.0.0.1:1",
		"AEGIS_TOKEN": "aegp_0000000000000000000000000000000000000000000_000000"}
	failsWithOneLine(t, env, []string{"cannot reach the admin API at http://127.0.0.1:1"}, "apps", "list")
}
