package api_test

import (
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/commands/api"
)

func TestServesTheDashboard(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "assets"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string]string{"index.html": "<!doctype html>dashboard", "assets/app-1a2b.js": "console.log(1)", "favicon.svg": "<svg/>"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	secret := filepath.Join(filepath.Dir(dir), "secret.txt")
	_ = os.WriteFile(secret, []byte("secret"), 0o644)
	s := api.New(api.Options{WebDir: dir, Service: &commands.Service{}})
	tests := []struct {
		method, path string
		status       int
		body, cache  string
	}{
		{"GET", "/", 200, "dashboard", "no-cache"},
		{"GET", "/apps/app-1/keys", 200, "dashboard", "no-cache"},
		{"HEAD", "/login", 200, "", "no-cache"},
		{"GET", "/assets/app-1a2b.js", 200, "console.log(1)", "public, max-age=31536000, immutable"},
		{"GET", "/favicon.svg", 200, "<svg/>", "no-cache"},
		{"GET", "/assets/gone.js", 404, `"code":"not_found"`, ""},
		{"GET", "/api/v1/nothing-here", 404, `"code":"not_found"`, ""},
		{"GET", "/../secret.txt", 404, `"code":"not_found"`, ""},
		{"GET", "/%2e%2e/secret.txt", 404, `"code":"not_found"`, ""},
		{"POST", "/", 404, `"code":"not_found"`, ""},
		{"GET", "/health", 200, `"status":"ok"`, ""},
		// The email links open the dashboard's pages when it is built.
		{"GET", "/verify?token=x", 200, "dashboard", "no-cache"},
		{"GET", "/accept-invite?token=x", 200, "dashboard", "no-cache"},
		{"GET", "/reset-password?token=x", 200, "dashboard", "no-cache"},
	}
	for _, tt := range tests {
		resp, err := s.App().Test(httptest.NewRequest(tt.method, tt.path, nil))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || !strings.Contains(string(b), tt.body) || resp.Header.Get("Cache-Control") != tt.cache {
			t.Errorf("%s %s = %d %q (Cache-Control %q); want %d with %q (%q)", tt.method, tt.path, resp.StatusCode, b,
				resp.Header.Get("Cache-Control"), tt.status, tt.body, tt.cache)
		}
		if tt.status == 200 && tt.cache != "" && resp.Header.Get("X-Frame-Options") != "DENY" {
			t.Errorf("%s %s: no X-Frame-Options", tt.method, tt.path)
		}
	}
}

func TestNoDashboardWithoutWebDir(t *testing.T) {
	if status, body := get(t, api.New(api.Options{}), "/"); status != 404 || body["code"] != "not_found" {
		t.Errorf("GET / without a dashboard = %d %v, want 404 not_found", status, body)
	}
}
