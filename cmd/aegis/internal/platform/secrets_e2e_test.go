package platform_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/platform"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

// lockedBuffer collects the server's log.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// No password, access token, session, verification or password reset token
// is ever kept or logged in the clear: not in the event stream, not in PostgreSQL, not in
// the log, even at debug level.
func TestSecretsNeverStoredInTheClear(t *testing.T) {
	smtp := testkit.NewSMTP(t)
	cfg := testConfig(t)
	cfg.SMTPURL = smtp.URL()
	cfg.PublicURL = "http://dashboard.test"
	var logs lockedBuffer
	p, err := platform.Start(context.Background(), cfg, slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(context.Background())

	const password = "orchid-Velvet-27-lantern"
	c := newClient(t, p)
	c.must("POST", "/api/v1/register", map[string]string{"company_name": "Secretive", "email": "sec@example.com", "password": password}, nil, 201)
	msg := smtp.WaitFor(t, "sec@example.com", 20*time.Second)
	m := tokenInLink.FindStringSubmatch(msg.Text)
	if m == nil {
		t.Fatalf("no link in %q", msg.Text)
	}
	verifyToken, _ := url.QueryUnescape(m[1])
	c.must("POST", "/api/v1/verify", map[string]string{"token": verifyToken}, nil, 200)
	var sess struct {
		CSRFToken string `json:"csrf_token"`
	}
	c.must("POST", "/api/v1/auth/login", map[string]string{"email": "sec@example.com", "password": password}, &sess, 200)
	c.csrf = sess.CSRFToken
	var tok struct {
		Token string `json:"token"`
	}
	c.must("POST", "/api/v1/tokens", map[string]string{"name": "ci"}, &tok, 201)
	var app struct {
		AppID string `json:"app_id"`
	}
	c.must("POST", "/api/v1/apps", appBody("secretive", "api.secretive.example"), &app, 201)
	var key struct {
		Key string `json:"key"`
	}
	c.must("POST", "/api/v1/apps/"+app.AppID+"/api-keys", map[string]any{"environment": "production", "name": "web"}, &key, 201)
	var rotated struct {
		Key string `json:"key"`
	}
	c.must("POST", "/api/v1/api-keys/"+keyID(t, c)+"/rotate", map[string]any{"grace_seconds": 60}, &rotated, 200)
	u, _ := url.Parse(c.base)
	var sessionCookie string
	for _, ck := range c.http.Jar.Cookies(u) {
		if ck.Name == "aegis_session" {
			sessionCookie = ck.Value
		}
	}
	if sessionCookie == "" {
		t.Fatal("no session cookie")
	}
	// Last, since it ends the session: a password reset.
	c.must("POST", "/api/v1/auth/password-reset", map[string]string{"email": "sec@example.com"}, nil, 202)
	reset := resetToken(t, mails(t, smtp, "sec@example.com", resetSubject, 1)[0])
	const newPassword = "juniper-Quartz-58-harbor"
	c.must("POST", "/api/v1/auth/password-reset/confirm", map[string]string{"token": reset, "password": newPassword}, nil, 200)
	secrets := map[string]string{
		"password": password, "verification token": verifyToken, "access token": tok.Token,
		"session": sessionCookie, "CSRF token": sess.CSRFToken,
		"API key": key.Key, "rotated API key": rotated.Key,
		"password reset token": reset, "new password": newPassword,
		"secret of the password reset token": reset[strings.LastIndexByte(reset, '.')+1:],
	}

	// The event stream, raw.
	nc, err := platform.ConnectNATS(p.NATSURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	l, err := eventlog.Attach(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	var stream strings.Builder
	if err := l.Tail(context.Background(), eventlog.TailOptions{}, func(e schema.Event) error {
		stream.WriteString(e.Type + " " + string(e.Payload) + "\n")
		return nil
	}); err != nil {
		t.Fatal(err)
	}

	// Every row of every table, as text.
	pool := testkit.NewPool(t, cfg.DatabaseURL)
	waitAudit(t, cfg.DatabaseURL, c.revision)
	var db strings.Builder
	rows, err := pool.Query(context.Background(), `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`)
	if err != nil {
		t.Fatal(err)
	}
	var tables []string
	for rows.Next() {
		var name string
		_ = rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	for _, table := range tables {
		for _, row := range dumpTable(t, pool, table) {
			db.WriteString(row + "\n")
		}
	}
	if !strings.Contains(db.String(), "sec@example.com") || !strings.Contains(stream.String(), "member.token_created") ||
		!strings.Contains(stream.String(), "member.password_reset ") {
		t.Fatal("the dumps do not hold what the flow wrote; the check would prove nothing")
	}
	for where, text := range map[string]string{"event stream": stream.String(), "PostgreSQL": db.String(), "log": logs.String()} {
		for what, secret := range secrets {
			if strings.Contains(text, secret) {
				t.Errorf("the %s holds the %s in the clear", where, what)
			}
		}
	}
}

// keyID returns the id of the only API key the client's customer has.
func keyID(t *testing.T, c *client) string {
	t.Helper()
	var keys struct {
		Keys []struct {
			KeyID string `json:"key_id"`
		} `json:"keys"`
	}
	c.must("GET", "/api/v1/api-keys", nil, &keys, 200)
	if len(keys.Keys) != 1 {
		t.Fatalf("keys = %+v", keys)
	}
	return keys.Keys[0].KeyID
}
