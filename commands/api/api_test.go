package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http/httptest"
	"testing"

	"github.com/aegis-oss/aegis/commands/api"
)

func get(t *testing.T, s *api.Server, path string) (int, map[string]any) {
	t.Helper()
	resp, err := s.App().Test(httptest.NewRequest("GET", path, nil))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var body map[string]any
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatalf("GET %s: body %q is not JSON: %v", path, raw, err)
	}
	return resp.StatusCode, body
}

func TestHealth(t *testing.T) {
	s := api.New(api.Options{Version: "v1.2.3"})
	status, body := get(t, s, "/health")
	if status != 200 || body["status"] != "ok" || body["version"] != "v1.2.3" {
		t.Fatalf("GET /health = %d %v", status, body)
	}
}

func TestReady(t *testing.T) {
	pass := api.Check{Name: "nats", Func: func(context.Context) error { return nil }}
	fail := api.Check{Name: "postgres", Func: func(context.Context) error { return errors.New("connection refused") }}
	tests := []struct {
		name   string
		checks []api.Check
		want   int
	}{
		{"all pass", []api.Check{pass}, 200},
		{"one fails", []api.Check{pass, fail}, 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := get(t, api.New(api.Options{Checks: tt.checks}), "/ready")
			if status != tt.want {
				t.Fatalf("GET /ready = %d %v; want %d", status, body, tt.want)
			}
			checks, _ := body["checks"].(map[string]any)
			if len(checks) != len(tt.checks) {
				t.Fatalf("checks = %v; want %d", checks, len(tt.checks))
			}
		})
	}
}

func TestUnknownRouteIsJSON404(t *testing.T) {
	status, body := get(t, api.New(api.Options{}), "/nope")
	if status != 404 || body["code"] != "not_found" || body["message"] == "" {
		t.Fatalf("GET /nope = %d %v; want 404 {code: not_found, message}", status, body)
	}
}
