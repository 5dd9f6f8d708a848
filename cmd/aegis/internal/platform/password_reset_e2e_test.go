package platform_test

import (
	"context"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/platform"
	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

var resetLink = regexp.MustCompile(`http://dashboard\.test/reset-password\?token=([A-Za-z0-9_.%-]+)`)

// Subjects of the password reset emails.
const (
	resetSubject   = "Reset your Aegis password"
	changedSubject = "Your Aegis password was changed"
)

// badResetLink is the one answer for an unknown, expired or used link.
const badResetLink = "this password reset link is invalid, expired or already used"

// mails waits until n messages with subject have reached to, and returns
// them, oldest first.
func mails(t *testing.T, smtp *testkit.SMTPServer, to, subject string, n int) []testkit.Received {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var got []testkit.Received
		for _, m := range smtp.Messages() {
			for _, rcpt := range m.To {
				if strings.EqualFold(rcpt, to) && m.Subject == subject {
					got = append(got, m)
				}
			}
		}
		if len(got) >= n {
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d emails %q to %s within 20s; want %d", len(got), subject, to, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// resetToken returns the token of the reset link in msg.
func resetToken(t *testing.T, msg testkit.Received) string {
	t.Helper()
	m := resetLink.FindStringSubmatch(msg.Text)
	if m == nil {
		t.Fatalf("no password reset link in %q", msg.Text)
	}
	token, err := url.QueryUnescape(m[1])
	if err != nil {
		t.Fatal(err)
	}
	return token
}

// wantError fails the test unless the answer is status with code and a
// message containing message.
func wantError(t *testing.T, what string, status int, raw string, wantStatus int, code, message string) {
	t.Helper()
	if status != wantStatus || !strings.Contains(raw, `"code":"`+code+`"`) || !strings.Contains(raw, message) {
		t.Fatalf("%s = %d %s; want %d %s %q", what, status, raw, wantStatus, code, message)
	}
}

func TestPasswordResetEndToEnd(t *testing.T) {
	p, smtp := startAccounts(t)
	c := newClient(t, p)
	register(t, c, smtp, "Acme", "ada@example.com")
	login(t, c, "ada@example.com")
	var tok struct {
		Token string `json:"token"`
	}
	c.must("POST", "/api/v1/tokens", map[string]string{"name": "ci"}, &tok, 201)
	// A member who never verified their email gets no link.
	c.must("POST", "/api/v1/register", map[string]string{
		"company_name": "Late Co", "email": "late@example.com", "password": "correct horse battery staple",
	}, nil, 201)

	// One answer for a member, an unknown address and an unverified one;
	// only the member's request appends anything.
	anon := newClient(t, p)
	before := lastRevision(t, p)
	unknown := anon.must("POST", "/api/v1/auth/password-reset", map[string]string{"email": "nobody@example.com"}, nil, 202)
	unverified := anon.must("POST", "/api/v1/auth/password-reset", map[string]string{"email": "late@example.com"}, nil, 202)
	if after := lastRevision(t, p); after != before {
		t.Fatalf("requests for an unknown and an unverified address appended %d events", after-before)
	}
	known := anon.must("POST", "/api/v1/auth/password-reset", map[string]string{"email": "Ada@Example.com"}, nil, 202)
	if known != unknown || known != unverified || !strings.Contains(known, `"message":"If a verified account uses this email`) {
		t.Fatalf("answers differ or say too little: member %s, unknown %s, unverified %s", known, unknown, unverified)
	}
	if lastRevision(t, p) != before+1 {
		t.Fatal("the member's request appended no event")
	}
	token := resetToken(t, mails(t, smtp, "ada@example.com", resetSubject, 1)[0])

	// The new password follows the registration's rules, named in the
	// answer; a refused one leaves the link as it was.
	confirm := "/api/v1/auth/password-reset/confirm"
	status, raw := anon.do("POST", confirm, map[string]string{"token": token, "password": "short"}, nil)
	wantError(t, "a short password", status, raw, 400, "invalid", "password")
	status, raw = anon.do("POST", confirm, map[string]string{"token": token, "password": "qwertyuiop"}, nil)
	wantError(t, "a common password", status, raw, 400, "invalid", "password is too common")

	const newPassword = "plum-Orbit-47-lantern"
	var res struct {
		Revision uint64 `json:"revision"`
	}
	anon.must("POST", confirm, map[string]string{"token": token, "password": newPassword}, &res, 200)
	if res.Revision == 0 {
		t.Fatal("the reset answered no revision")
	}
	status, raw = anon.do("POST", confirm, map[string]string{"token": token, "password": "another fine passphrase"}, nil)
	wantError(t, "the link used again", status, raw, 400, "invalid", badResetLink)

	// The session open before the reset is over; the personal access
	// token still works.
	c.revision = res.Revision
	c.must("GET", "/api/v1/me", nil, nil, 401)
	cli := newClient(t, p)
	cli.bearer, cli.revision = tok.Token, res.Revision
	cli.must("GET", "/api/v1/me", nil, nil, 200)

	// The old password no longer logs in; the new one does.
	fresh := newClient(t, p)
	fresh.revision = res.Revision
	fresh.must("POST", "/api/v1/auth/login", map[string]string{"email": "ada@example.com", "password": "correct horse battery staple"}, nil, 401)
	var sess struct {
		CSRFToken string `json:"csrf_token"`
	}
	fresh.must("POST", "/api/v1/auth/login", map[string]string{"email": "ada@example.com", "password": newPassword}, &sess, 200)
	fresh.csrf = sess.CSRFToken
	fresh.must("GET", "/api/v1/me", nil, nil, 200)

	// The member is told, and nobody else got anything.
	notice := mails(t, smtp, "ada@example.com", changedSubject, 1)[0]
	if !strings.Contains(notice.Text, "http://dashboard.test/reset-password") || strings.Contains(notice.Text, token) {
		t.Fatalf("the notice of the change = %q", notice.Text)
	}
	for _, m := range smtp.Messages() {
		for _, rcpt := range m.To {
			if rcpt == "nobody@example.com" || (rcpt == "late@example.com" && m.Subject == resetSubject) {
				t.Fatalf("%s got %q", rcpt, m.Subject)
			}
		}
	}

	// Both events are in the audit log, without the hashes.
	var audit struct {
		Events []struct {
			Type    string         `json:"type"`
			Payload map[string]any `json:"payload"`
		} `json:"events"`
	}
	fresh.must("GET", "/api/v1/audit?limit=200", nil, &audit, 200)
	seen := map[string]bool{}
	for _, e := range audit.Events {
		if e.Type == schema.EventMemberPasswordResetRequested || e.Type == schema.EventMemberPasswordReset {
			seen[e.Type] = true
			if e.Payload["reset_id"] == nil || e.Payload["token_hash"] != nil || e.Payload["password_hash"] != nil {
				t.Fatalf("audit payload of %s = %v", e.Type, e.Payload)
			}
		}
	}
	if len(seen) != 2 {
		t.Fatalf("the audit log shows %v; want both password reset events", seen)
	}
}

// An expired link is refused like a used one, while a link that has not
// expired works: the member's events, appended here as the command would,
// decide.
func TestPasswordResetExpiredLink(t *testing.T) {
	smtp := testkit.NewSMTP(t)
	cfg := testConfig(t)
	cfg.SMTPURL = smtp.URL()
	cfg.PublicURL = "http://dashboard.test"
	cfg.MasterKey = schema.NewMasterKey()
	masterKey, err := schema.ParseMasterKey(cfg.MasterKey)
	if err != nil {
		t.Fatal(err)
	}
	p := start(t, cfg)
	c := newClient(t, p)
	register(t, c, smtp, "Acme", "ada@example.com")
	login(t, c, "ada@example.com")
	var me struct {
		MemberID   string `json:"member_id"`
		CustomerID string `json:"customer_id"`
	}
	c.must("GET", "/api/v1/me", nil, &me, 200)

	nc, err := platform.ConnectNATS(p.NATSURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	l, err := eventlog.Attach(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	link := func(expires time.Time) string {
		t.Helper()
		ctx := context.Background()
		id := schema.NewID()
		token := me.CustomerID + "." + me.MemberID + "." + id + "." + auth.PasswordResetToken(masterKey, id)
		e, err := schema.NewEvent(schema.EventMemberPasswordResetRequested, me.CustomerID, schema.AggregateMember, me.MemberID,
			schema.Actor{Kind: schema.ActorMember, ID: me.MemberID}, schema.MemberPasswordResetRequested{
				ResetID: id, Email: "ada@example.com", TokenHash: auth.HashSecret(token), ExpiresAt: expires})
		if err != nil {
			t.Fatal(err)
		}
		rev, err := l.Revision(ctx, me.CustomerID, schema.AggregateMember, me.MemberID)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := l.Append(ctx, rev, "", e); err != nil {
			t.Fatal(err)
		}
		return token
	}
	expired, valid := link(time.Now().Add(-time.Minute)), link(time.Now().Add(time.Hour))

	confirm := "/api/v1/auth/password-reset/confirm"
	status, raw := c.do("POST", confirm, map[string]string{"token": expired, "password": "plum-Orbit-47-lantern"}, nil)
	wantError(t, "an expired link", status, raw, 400, "invalid", badResetLink)
	forged := expired[:strings.LastIndexByte(expired, '.')+1] + auth.PasswordResetToken(masterKey, "another id")
	status, raw = c.do("POST", confirm, map[string]string{"token": forged, "password": "plum-Orbit-47-lantern"}, nil)
	wantError(t, "a link with the wrong secret", status, raw, 400, "invalid", badResetLink)
	c.must("POST", confirm, map[string]string{"token": valid, "password": "plum-Orbit-47-lantern"}, nil, 200)

	// The mailer sent the link that was still valid, and skipped the other.
	mails(t, smtp, "ada@example.com", changedSubject, 1)
	if got := len(mails(t, smtp, "ada@example.com", resetSubject, 1)); got != 1 {
		t.Fatalf("%d reset emails; want 1, for the link still valid", got)
	}
}

// Reset requests are bounded per email, per member and per client
// address, without telling which addresses exist.
func TestPasswordResetRateLimits(t *testing.T) {
	p, smtp := startAccounts(t)
	c := newClient(t, p)
	register(t, c, smtp, "Acme", "ada@example.com")

	anon := newClient(t, p)
	ask := func(email string) (int, string) {
		t.Helper()
		return anon.do("POST", "/api/v1/auth/password-reset", map[string]string{"email": email}, nil)
	}
	// Three links an hour per member; the fourth request answers the same
	// and appends nothing.
	for i := range 3 {
		before := lastRevision(t, p)
		if status, raw := ask("ada@example.com"); status != 202 {
			t.Fatalf("request %d = %d %s", i+1, status, raw)
		}
		if lastRevision(t, p) != before+1 {
			t.Fatalf("request %d appended no event", i+1)
		}
	}
	before := lastRevision(t, p)
	if status, raw := ask("ada@example.com"); status != 202 {
		t.Fatalf("request 4 = %d %s", status, raw)
	}
	if after := lastRevision(t, p); after != before {
		t.Fatalf("a request past the member's hourly bound appended %d events", after-before)
	}
	// Five requests per email in a burst, the registration's included (the
	// limit is the one registration and login share), then 429.
	status, raw := ask("ada@example.com")
	wantError(t, "the fifth request for one email", status, raw, 429, "rate_limited", "too many attempts")
	if got := len(mails(t, smtp, "ada@example.com", resetSubject, 3)); got != 3 {
		t.Fatalf("%d reset emails; want 3", got)
	}

	// Per client address: the sign-up limit, shared with registration and
	// verification, runs out whatever the addresses asked about.
	limited := false
	for i := range 12 {
		status, raw := ask(fmt.Sprintf("someone-%d@example.com", i))
		if status == 429 {
			wantError(t, "a request past the client's limit", status, raw, 429, "rate_limited", "too many attempts")
			limited = true
			break
		}
		if status != 202 {
			t.Fatalf("request for someone-%d = %d %s", i, status, raw)
		}
	}
	if !limited {
		t.Fatal("one client asked for 12 more addresses without being limited")
	}
}
