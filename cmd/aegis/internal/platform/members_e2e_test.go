package platform_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

var inviteLink = regexp.MustCompile(`http://dashboard\.test/accept-invite\?token=([A-Za-z0-9_.%-]+)`)

// Roles are enforced on every endpoint, and members come and go by
// invitation, role change and removal.
func TestMembersAndRoles(t *testing.T) {
	p := startPlatform(t)
	owner := ownerClient(t, p, "Acme", "ada@acme.example")

	var inv struct {
		MemberID string `json:"member_id"`
	}
	owner.must("POST", "/api/v1/members", map[string]string{"email": "dev@acme.example", "role": "developer"}, &inv, 201)
	owner.must("POST", "/api/v1/members", map[string]string{"email": "ada@acme.example", "role": "viewer"}, nil, 409)
	msg := p.smtp.WaitFor(t, "dev@acme.example", 20*time.Second)
	m := inviteLink.FindStringSubmatch(msg.Text)
	if m == nil {
		t.Fatalf("no invitation link in %q", msg.Text)
	}
	token, _ := url.QueryUnescape(m[1])

	dev := newClient(t, p.Platform)
	dev.must("POST", "/api/v1/invitations/accept", map[string]string{"token": token, "password": "short"}, nil, 400)
	dev.must("POST", "/api/v1/invitations/accept", map[string]string{"token": token, "password": "purple Mountain 42 majesty"}, nil, 200)
	dev.must("POST", "/api/v1/invitations/accept", map[string]string{"token": token, "password": "purple Mountain 42 majesty"}, nil, 400)
	var sess struct {
		CSRFToken string `json:"csrf_token"`
		Role      string `json:"role"`
	}
	dev.must("POST", "/api/v1/auth/login", map[string]string{"email": "dev@acme.example", "password": "purple Mountain 42 majesty"}, &sess, 200)
	dev.csrf = sess.CSRFToken
	if sess.Role != "developer" {
		t.Fatalf("role = %q", sess.Role)
	}

	// A developer builds apps but does not manage people.
	var app struct {
		AppID string `json:"app_id"`
	}
	dev.must("POST", "/api/v1/apps", appBody("dev-app", "dev.acme.example"), &app, 201)
	dev.must("POST", "/api/v1/members", map[string]string{"email": "x@acme.example", "role": "viewer"}, nil, 403)
	dev.must("DELETE", "/api/v1/apps/"+app.AppID, nil, nil, 403)
	dev.must("PATCH", "/api/v1/members/"+inv.MemberID, map[string]string{"role": "admin"}, nil, 403)

	// As a viewer, only reading.
	owner.revision = max(owner.revision, dev.revision)
	owner.must("PATCH", "/api/v1/members/"+inv.MemberID, map[string]string{"role": "viewer"}, nil, 200)
	dev.revision = owner.revision
	dev.must("POST", "/api/v1/apps", appBody("dev-app-2", "dev2.acme.example"), nil, 403)
	dev.must("POST", "/api/v1/apps/"+app.AppID+"/api-keys", map[string]any{"environment": "development", "name": "x"}, nil, 403)
	dev.must("GET", "/api/v1/apps", nil, nil, 200)
	dev.must("GET", "/api/v1/members", nil, nil, 200)

	var members struct {
		Members []struct{ Email, Role, Status string } `json:"members"`
	}
	owner.must("GET", "/api/v1/members", nil, &members, 200)
	if len(members.Members) != 2 || members.Members[1].Email != "dev@acme.example" || members.Members[1].Role != "viewer" || members.Members[1].Status != "active" {
		t.Fatalf("members = %+v", members)
	}

	// Removal ends the session at once and frees the email.
	owner.must("DELETE", "/api/v1/members/"+inv.MemberID, nil, nil, 200)
	dev.revision = owner.revision
	dev.must("GET", "/api/v1/me", nil, nil, 401)
	owner.must("POST", "/api/v1/members", map[string]string{"email": "dev@acme.example", "role": "viewer"}, nil, 201)

	// Owners stay: an owner cannot remove themselves or change their own role.
	var me struct {
		MemberID string `json:"member_id"`
	}
	owner.must("GET", "/api/v1/me", nil, &me, 200)
	owner.must("DELETE", "/api/v1/members/"+me.MemberID, nil, nil, 403)
	owner.must("PATCH", "/api/v1/members/"+me.MemberID, map[string]string{"role": "viewer"}, nil, 403)
}

// The links in the emails open pages, which carry no secret themselves and
// keep their token out of referrers.
func TestEmailLinkPages(t *testing.T) {
	p := startPlatform(t)
	c := newClient(t, p.Platform)
	for _, path := range []string{"/verify?token=x", "/accept-invite?token=x", "/reset-password?token=x", "/reset-password"} {
		raw := c.must("GET", path, nil, nil, 200)
		if !strings.Contains(raw, "<form") && !strings.Contains(raw, "<button") {
			t.Fatalf("GET %s = %s", path, raw)
		}
	}
	resp, err := c.http.Get(c.base + "/verify?token=x")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Referrer-Policy") != "no-referrer" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("headers = %v", resp.Header)
	}
}
