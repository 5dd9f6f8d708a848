package backend_test

import (
	"net/http"
	"strings"
	"testing"
)

func TestHealth(t *testing.T) {
	base := startBackend(t)
	resp, body := call(t, http.MethodGet, base+"/health", "")
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(string(body)) != `{"status":"ok"}` {
		t.Errorf("GET /health: status %d, body %s; want 200 and {\"status\":\"ok\"}", resp.StatusCode, body)
	}
}

func TestOversizeBodiesAreRefused(t *testing.T) {
	base := startBackend(t)
	// A valid JSON object, one byte over 64 KiB.
	prefix, suffix := `{"text":"`, `"}`
	big := prefix + strings.Repeat("x", 64<<10+1-len(prefix)-len(suffix)) + suffix
	fits := prefix + strings.Repeat("x", 64<<10-len(prefix)-len(suffix)) + suffix
	tenant := []string{"X-Aegis-Tenant-Id", "tenant-a"}

	resp, body := call(t, http.MethodPost, base+"/v1/notes", big, tenant...)
	wantError(t, resp, body, http.StatusRequestEntityTooLarge, "too_large")
	resp, body = call(t, http.MethodPost, base+"/aegis/authorize", big)
	wantError(t, resp, body, http.StatusRequestEntityTooLarge, "too_large")
	resp, body = call(t, http.MethodPost, base+"/v1/notes", `{"text":"hi"}`+strings.Repeat(" ", 64<<10), tenant...)
	wantError(t, resp, body, http.StatusRequestEntityTooLarge, "too_large")

	resp, body = call(t, http.MethodPost, base+"/v1/notes", fits, tenant...)
	if resp.StatusCode != http.StatusCreated {
		t.Errorf("a body of exactly 64 KiB: status = %d, want 201; body %.200s", resp.StatusCode, body)
	}
}

func TestErrorsAreJSON(t *testing.T) {
	base := startBackend(t)
	tenant := []string{"X-Aegis-Tenant-Id", "tenant-a"}
	for _, tc := range []struct {
		method, path string
		status       int
		code         string
		allow        string
	}{
		{http.MethodGet, "/nowhere", http.StatusNotFound, "not_found", ""},
		{http.MethodGet, "/v1/notes/", http.StatusNotFound, "not_found", ""},
		{http.MethodPut, "/v1/notes", http.StatusMethodNotAllowed, "invalid", "GET, POST"},
		{http.MethodPatch, "/v1/notes/some-id", http.StatusMethodNotAllowed, "invalid", "GET, DELETE"},
		{http.MethodPost, "/health", http.StatusMethodNotAllowed, "invalid", "GET"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			resp, body := call(t, tc.method, base+tc.path, "", tenant...)
			wantError(t, resp, body, tc.status, tc.code)
			if got := resp.Header.Get("Allow"); got != tc.allow {
				t.Errorf("Allow = %q, want %q", got, tc.allow)
			}
		})
	}
}
