package platform_test

import (
	"strings"
	"testing"
	"time"
)

func TestNotificationSettingsEmailWhoTheyName(t *testing.T) {
	p := startPlatform(t)
	c := ownerClient(t, p, "Acme", "ada@acme.example")

	var got struct {
		Rules []struct {
			EventType string   `json:"event_type"`
			Roles     []string `json:"roles"`
		} `json:"rules"`
	}
	c.must("GET", "/api/v1/settings/notifications", nil, &got, 200)
	if len(got.Rules) != 0 {
		t.Fatalf("default settings = %+v; want no rules", got)
	}
	c.must("PUT", "/api/v1/settings/notifications", map[string]any{"rules": []map[string]any{{"event_type": "member.logged_in", "roles": []string{"owner"}}}}, nil, 400)
	c.must("PUT", "/api/v1/settings/notifications", map[string]any{"rules": []map[string]any{{"event_type": "apikey.revoked", "roles": []string{"boss"}}}}, nil, 400)
	c.must("PUT", "/api/v1/settings/notifications", map[string]any{"rules": []map[string]any{
		{"event_type": "apikey.revoked", "roles": []string{"owner", "admin"}},
	}}, nil, 200)
	c.must("GET", "/api/v1/settings/notifications", nil, &got, 200)
	if len(got.Rules) != 1 || got.Rules[0].EventType != "apikey.revoked" || strings.Join(got.Rules[0].Roles, ",") != "admin,owner" {
		t.Fatalf("settings = %+v", got)
	}

	var app struct {
		AppID string `json:"app_id"`
	}
	c.must("POST", "/api/v1/apps", appBody("notify", "notify.acme.example"), &app, 201)
	var key struct {
		KeyID string `json:"key_id"`
	}
	c.must("POST", "/api/v1/apps/"+app.AppID+"/api-keys", map[string]any{"environment": "production", "name": "web"}, &key, 201)
	c.must("DELETE", "/api/v1/api-keys/"+key.KeyID, nil, nil, 200)

	deadline := time.Now().Add(20 * time.Second)
	for {
		var subjects []string
		for _, m := range p.smtp.Messages() {
			if len(m.To) == 1 && m.To[0] == "ada@acme.example" {
				subjects = append(subjects, m.Subject)
			}
		}
		joined := strings.Join(subjects, "|")
		if strings.Contains(joined, "Aegis: apikey.revoked") {
			if strings.Contains(joined, "apikey.created") {
				t.Fatalf("emailed about an event no rule names: %v", subjects)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no notification of the revocation; mails: %v", subjects)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
