package backend_test

import (
	"net/http"
	"testing"
)

type note struct {
	ID     string `json:"id"`
	Text   string `json:"text"`
	UserID string `json:"user_id"`
}

type noteList struct {
	Notes []note `json:"notes"`
}

func TestNotesAreKeptPerTenant(t *testing.T) {
	base := startBackend(t)
	tenantA := []string{"X-Aegis-Tenant-Id", "tenant-a", "X-Aegis-User-Id", "ada"}
	tenantB := []string{"X-Aegis-Tenant-Id", "tenant-b", "X-Aegis-User-Id", "bob"}

	resp, body := call(t, http.MethodPost, base+"/v1/notes", `{"text":"buy milk"}`, tenantA...)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("tenant A creates a note: status = %d, want 201; body %s", resp.StatusCode, body)
	}
	created := decode[note](t, body)
	if created.ID == "" || created.Text != "buy milk" || created.UserID != "ada" {
		t.Errorf("created note = %+v, want an id, text %q and user %q", created, "buy milk", "ada")
	}
	if got, want := resp.Header.Get("Location"), "/v1/notes/"+created.ID; got != want {
		t.Errorf("Location = %q, want %q", got, want)
	}

	resp, body = call(t, http.MethodGet, base+"/v1/notes/"+created.ID, "", tenantA...)
	if resp.StatusCode != http.StatusOK || decode[note](t, body) != created {
		t.Errorf("tenant A gets its note: status %d, body %s; want 200 and %+v", resp.StatusCode, body, created)
	}
	resp, body = call(t, http.MethodGet, base+"/v1/notes", "", tenantA...)
	if got := decode[noteList](t, body).Notes; resp.StatusCode != http.StatusOK || len(got) != 1 || got[0] != created {
		t.Errorf("tenant A lists: status %d, notes %+v; want 200 and [%+v]", resp.StatusCode, got, created)
	}

	resp, body = call(t, http.MethodGet, base+"/v1/notes/"+created.ID, "", tenantB...)
	wantError(t, resp, body, http.StatusNotFound, "not_found")
	resp, body = call(t, http.MethodDelete, base+"/v1/notes/"+created.ID, "", tenantB...)
	wantError(t, resp, body, http.StatusNotFound, "not_found")
	resp, body = call(t, http.MethodGet, base+"/v1/notes", "", tenantB...)
	if got := decode[noteList](t, body).Notes; resp.StatusCode != http.StatusOK || got == nil || len(got) != 0 {
		t.Errorf("tenant B lists: status %d, body %s; want 200 and an empty list", resp.StatusCode, body)
	}

	resp, body = call(t, http.MethodDelete, base+"/v1/notes/"+created.ID, "", tenantA...)
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("tenant A deletes its note: status = %d, want 204; body %s", resp.StatusCode, body)
	}
	resp, body = call(t, http.MethodGet, base+"/v1/notes/"+created.ID, "", tenantA...)
	wantError(t, resp, body, http.StatusNotFound, "not_found")
}

func TestNotesNeedATenant(t *testing.T) {
	base := startBackend(t)
	for _, tc := range []struct{ method, path, body string }{
		{http.MethodGet, "/v1/notes", ""},
		{http.MethodPost, "/v1/notes", `{"text":"hello"}`},
		{http.MethodGet, "/v1/notes/some-id", ""},
		{http.MethodDelete, "/v1/notes/some-id", ""},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			resp, body := call(t, tc.method, base+tc.path, tc.body, "X-Aegis-User-Id", "ada")
			wantError(t, resp, body, http.StatusUnauthorized, "unauthorized")
		})
	}
}

func TestNotesRefuseBadBodies(t *testing.T) {
	base := startBackend(t)
	for _, tc := range []struct{ name, body string }{
		{"empty", ""},
		{"not JSON", "text=hello"},
		{"no text", `{}`},
		{"blank text", `{"text":"  "}`},
		{"unknown field", `{"text":"hello","pinned":true}`},
		{"two values", `{"text":"hello"}{"text":"again"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := call(t, http.MethodPost, base+"/v1/notes", tc.body, "X-Aegis-Tenant-Id", "tenant-a")
			wantError(t, resp, body, http.StatusBadRequest, "invalid")
		})
	}
}
