package backend_test

import (
	"encoding/json"
	"net/http"
	"reflect"
	"testing"
)

type decision struct {
	Allowed     bool     `json:"allowed"`
	Permissions []string `json:"permissions"`
	TTL         int      `json:"ttl"`
}

func TestAuthorizePolicy(t *testing.T) {
	base := startBackend(t)
	for _, tc := range []struct {
		name                 string
		tenant, user, action string
		wantAllowed          bool
		wantPermissions      []string
	}{
		{"anyone reads", "acme", "", "read", true, []string{"notes:read"}},
		{"a user reads", "acme", "ada", "read", true, []string{"notes:read", "notes:write"}},
		{"no user cannot write", "acme", "", "write", false, []string{"notes:read"}},
		{"a user writes", "acme", "ada", "write", true, []string{"notes:read", "notes:write"}},
		{"a user cannot delete", "acme", "ada", "delete", false, []string{"notes:read", "notes:write"}},
		{"an admin deletes", "acme", "admin-ada", "delete", true, []string{"notes:read", "notes:write", "notes:delete"}},
		{"an admin writes", "acme", "admin", "write", true, []string{"notes:read", "notes:write", "notes:delete"}},
		{"admin only as a prefix", "acme", "not-admin", "delete", false, []string{"notes:read", "notes:write"}},
		{"unknown action", "acme", "admin-ada", "approve", false, []string{"notes:read", "notes:write", "notes:delete"}},
		{"blocked tenant cannot read", "blocked", "admin-ada", "read", false, []string{}},
		{"blocked tenant cannot delete", "blocked", "admin-ada", "delete", false, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := json.Marshal(map[string]string{"tenant_id": tc.tenant, "user_id": tc.user, "resource": "notes", "action": tc.action})
			if err != nil {
				t.Fatal(err)
			}
			resp, body := call(t, http.MethodPost, base+"/aegis/authorize", string(req), "Content-Type", "application/json")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", resp.StatusCode, body)
			}
			got := decode[decision](t, body)
			want := decision{Allowed: tc.wantAllowed, Permissions: tc.wantPermissions, TTL: 60}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("decision = %+v, want %+v", got, want)
			}
		})
	}
}

func TestAuthorizeRefusesIncompleteQuestions(t *testing.T) {
	base := startBackend(t)
	for _, body := range []string{
		`{"user_id":"ada","resource":"notes","action":"read"}`,
		`{"tenant_id":"acme","user_id":"ada","action":"read"}`,
		`{"tenant_id":"acme","user_id":"ada","resource":"notes"}`,
		`{"tenant_id":"acme","resource":"notes","action":"read","role":"admin"}`,
	} {
		resp, got := call(t, http.MethodPost, base+"/aegis/authorize", body)
		wantError(t, resp, got, http.StatusBadRequest, "invalid")
	}
	resp, got := call(t, http.MethodGet, base+"/aegis/authorize", "")
	wantError(t, resp, got, http.StatusMethodNotAllowed, "invalid")
	if allow := resp.Header.Get("Allow"); allow != http.MethodPost {
		t.Errorf("Allow = %q, want POST", allow)
	}
}
