package platform_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/platform"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

// client talks to the admin API as a browser would: with a cookie jar,
// sending the CSRF token back, and asking to read its own writes.
type client struct {
	t        *testing.T
	base     string
	http     *http.Client
	csrf     string
	bearer   string
	mu       sync.Mutex // guards revision: tests send from several goroutines
	revision uint64
}

func newClient(t *testing.T, p *platform.Platform) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: "http://" + p.AdminAddr(), http: &http.Client{Jar: jar, Timeout: 20 * time.Second}}
}

// do sends a request and decodes the JSON answer into out (if not nil). It
// returns the status and the raw body.
func (c *client) do(method, path string, body any, out any, headers ...string) (int, string) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	c.mu.Lock()
	if c.revision > 0 {
		req.Header.Set("Aegis-Min-Revision", strconv.FormatUint(c.revision, 10))
	}
	c.mu.Unlock()
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var rev struct {
		Revision uint64 `json:"revision"`
	}
	c.mu.Lock()
	if json.Unmarshal(raw, &rev) == nil && rev.Revision > c.revision {
		c.revision = rev.Revision
	}
	c.mu.Unlock()
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(raw, out); err != nil {
			c.t.Fatalf("%s %s: decode %q: %v", method, path, raw, err)
		}
	}
	return resp.StatusCode, string(raw)
}

func (c *client) must(method, path string, body any, out any, want int) string {
	c.t.Helper()
	status, raw := c.do(method, path, body, out)
	if status != want {
		c.t.Fatalf("%s %s = %d %s; want %d", method, path, status, raw, want)
	}
	return raw
}

func startAccounts(t *testing.T) (*platform.Platform, *testkit.SMTPServer) {
	t.Helper()
	smtp := testkit.NewSMTP(t)
	cfg := testConfig(t)
	cfg.SMTPURL = smtp.URL()
	cfg.PublicURL = "http://dashboard.test"
	return start(t, cfg), smtp
}

var tokenInLink = regexp.MustCompile(`http://dashboard\.test/verify\?token=([A-Za-z0-9_.%-]+)`)

// register signs a company up and verifies its owner's email from the
// mail the SMTP server received.
func register(t *testing.T, c *client, smtp *testkit.SMTPServer, company, email string) {
	t.Helper()
	c.must("POST", "/api/v1/register", map[string]string{
		"company_name": company, "email": email, "password": "correct horse battery staple",
	}, nil, 201)
	msg := smtp.WaitFor(t, email, 20*time.Second)
	m := tokenInLink.FindStringSubmatch(msg.Text)
	if m == nil {
		t.Fatalf("no verification link in %q", msg.Text)
	}
	token, _ := url.QueryUnescape(m[1])
	c.must("POST", "/api/v1/verify", map[string]string{"token": token}, nil, 200)
	// A token works once.
	if status, raw := c.do("POST", "/api/v1/verify", map[string]string{"token": token}, nil); status != 400 || !strings.Contains(raw, `"code":"invalid"`) {
		t.Fatalf("second use of a verification token = %d %s; want 400 invalid", status, raw)
	}
}

func login(t *testing.T, c *client, email string) {
	t.Helper()
	var out struct {
		CSRFToken string `json:"csrf_token"`
		Role      string `json:"role"`
	}
	c.must("POST", "/api/v1/auth/login", map[string]string{"email": email, "password": "correct horse battery staple"}, &out, 200)
	if out.CSRFToken == "" || out.Role != "owner" {
		t.Fatalf("login answered %+v", out)
	}
	c.csrf = out.CSRFToken
}

func TestAccountsEndToEnd(t *testing.T) {
	p, smtp := startAccounts(t)
	c := newClient(t, p)

	// Login before verifying is refused, with a reason only for the right password.
	c.must("POST", "/api/v1/register", map[string]string{
		"company_name": "Early Co", "email": "early@example.com", "password": "correct horse battery staple",
	}, nil, 201)
	c.must("POST", "/api/v1/auth/login", map[string]string{"email": "early@example.com", "password": "correct horse battery staple"}, nil, 403)
	wrong := c.must("POST", "/api/v1/auth/login", map[string]string{"email": "early@example.com", "password": "wrong horse battery staple"}, nil, 401)
	unknown := c.must("POST", "/api/v1/auth/login", map[string]string{"email": "nobody@example.com", "password": "wrong horse battery staple"}, nil, 401)
	if wrong != unknown {
		t.Fatalf("a wrong password (%s) and an unknown email (%s) must get the same answer", wrong, unknown)
	}

	register(t, c, smtp, "Acme", "Ada@Example.com")
	login(t, c, "ada@example.com")

	var me struct {
		Email, Role, CompanyName string
		EmailVerified            bool   `json:"email_verified"`
		Company                  string `json:"company_name"`
	}
	c.must("GET", "/api/v1/me", nil, &me, 200)
	if me.Email != "ada@example.com" || !me.EmailVerified || me.Company != "Acme" {
		t.Fatalf("me = %+v", me)
	}

	// A change without the CSRF header is refused.
	csrf := c.csrf
	c.csrf = ""
	c.must("POST", "/api/v1/tokens", map[string]string{"name": "ci"}, nil, 403)
	c.csrf = csrf

	var tok struct {
		TokenID string `json:"token_id"`
		Token   string `json:"token"`
	}
	c.must("POST", "/api/v1/tokens", map[string]string{"name": "ci"}, &tok, 201)
	if !strings.HasPrefix(tok.Token, "aegp_") {
		t.Fatalf("token = %q", tok.Token)
	}

	// The token works on its own, without cookies or CSRF.
	cli := newClient(t, p)
	cli.bearer, cli.revision = tok.Token, c.revision
	cli.must("GET", "/api/v1/me", nil, nil, 200)
	var list struct {
		Tokens []struct {
			TokenID string `json:"token_id"`
			Prefix  string `json:"prefix"`
		} `json:"tokens"`
	}
	cli.must("GET", "/api/v1/tokens", nil, &list, 200)
	if len(list.Tokens) != 1 || list.Tokens[0].TokenID != tok.TokenID || strings.Contains(fmt.Sprint(list), tok.Token) {
		t.Fatalf("tokens = %+v", list)
	}

	c.must("DELETE", "/api/v1/tokens/"+tok.TokenID, nil, nil, 200)
	cli.revision = c.revision // read after the revocation
	cli.must("GET", "/api/v1/me", nil, nil, 401)

	c.must("POST", "/api/v1/auth/logout", nil, nil, 200)
	c.must("GET", "/api/v1/me", nil, nil, 401)

	// Everything above is in the audit log, newest first.
	login(t, c, "ada@example.com")
	var audit struct {
		Events []struct {
			Revision uint64          `json:"revision"`
			Type     string          `json:"type"`
			Payload  json.RawMessage `json:"payload"`
			Actor    struct{ Kind, ID string }
		} `json:"events"`
		NextCursor string `json:"next_cursor"`
	}
	c.must("GET", "/api/v1/audit?limit=200", nil, &audit, 200)
	var types []string
	for i, e := range audit.Events {
		types = append(types, e.Type)
		if i > 0 && e.Revision >= audit.Events[i-1].Revision {
			t.Fatalf("audit not newest first: %v", audit.Events)
		}
		if strings.Contains(string(e.Payload), "_hash") {
			t.Fatalf("audit payload shows a hash: %s", e.Payload)
		}
	}
	want := []string{"member.logged_in", "member.logged_out", "member.token_revoked", "member.token_created",
		"member.logged_in", "member.email_verified", "member.verification_issued", "member.joined", "customer.registered"}
	if strings.Join(types, ",") != strings.Join(want, ",") {
		t.Fatalf("audit types = %v; want %v", types, want)
	}
	// Paging with the cursor walks the same list.
	var page struct {
		Events     []struct{ Type string } `json:"events"`
		NextCursor string                  `json:"next_cursor"`
	}
	c.must("GET", "/api/v1/audit?limit=4", nil, &page, 200)
	if len(page.Events) != 4 || page.NextCursor == "" {
		t.Fatalf("first page = %+v", page)
	}
	c.must("GET", "/api/v1/audit?limit=200&type=member.logged_in", nil, &audit, 200)
	if len(audit.Events) != 2 {
		t.Fatalf("filtered by type: %d events; want 2", len(audit.Events))
	}
}

func TestRegisterRejectsBadInputAndAppendsNothing(t *testing.T) {
	p, _ := startAccounts(t)
	c := newClient(t, p)
	before := lastRevision(t, p)
	tests := []struct {
		name string
		body string
		want int
	}{
		{"not JSON", `{`, 400},
		{"missing fields", `{}`, 400},
		{"wrong type", `{"company_name": 5, "email": "a@example.com", "password": "correct horse battery staple"}`, 400},
		{"unknown field", `{"company_name": "A", "email": "a@example.com", "password": "correct horse battery staple", "admin": true}`, 400},
		{"bad email", `{"company_name": "A", "email": "not-an-email", "password": "correct horse battery staple"}`, 400},
		{"short password", `{"company_name": "A", "email": "a@example.com", "password": "short"}`, 400},
		{"common password", `{"company_name": "A", "email": "a@example.com", "password": "qwertyuiop"}`, 400},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", c.base+"/api/v1/register", strings.NewReader(tt.body))
			req.Header.Set("Content-Type", "application/json")
			resp, err := c.http.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct{ Code, Message string }
			raw, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.want || json.Unmarshal(raw, &body) != nil || body.Code == "" || body.Message == "" {
				t.Fatalf("= %d %s; want %d with {code, message}", resp.StatusCode, raw, tt.want)
			}
		})
	}
	// An oversize body is refused from its Content-Length, before it is read.
	conn, err := net.Dial("tcp", p.AdminAddr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprintf(conn, "POST /api/v1/register HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n{", 2<<20)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 413 || !strings.Contains(string(raw), `"code":"too_large"`) {
		t.Fatalf("oversize body = %d %s; want 413 too_large", resp.StatusCode, raw)
	}
	if after := lastRevision(t, p); after != before {
		t.Fatalf("bad input appended events: revision %d → %d", before, after)
	}
	// The same email twice: the second is a conflict.
	c.must("POST", "/api/v1/register", map[string]string{"company_name": "A", "email": "dup@example.com", "password": "correct horse battery staple"}, nil, 201)
	c.must("POST", "/api/v1/register", map[string]string{"company_name": "B", "email": "DUP@example.com", "password": "correct horse battery staple"}, nil, 409)
}

func TestRegisterIdempotencyKey(t *testing.T) {
	p, smtp := startAccounts(t)
	c := newClient(t, p)
	body := map[string]string{"company_name": "Once", "email": "once@example.com", "password": "correct horse battery staple"}
	var first, again struct {
		Revision   uint64 `json:"revision"`
		CustomerID string `json:"customer_id"`
	}
	status, raw := c.do("POST", "/api/v1/register", body, &first, "Idempotency-Key", "signup-1")
	if status != 201 {
		t.Fatalf("register = %d %s", status, raw)
	}
	before := lastRevision(t, p)
	status, raw = c.do("POST", "/api/v1/register", body, &again, "Idempotency-Key", "signup-1")
	if status != 201 || again != first {
		t.Fatalf("retry = %d %s; want the first answer %+v", status, raw, first)
	}
	if after := lastRevision(t, p); after != before {
		t.Fatalf("retry appended events: %d → %d", before, after)
	}
	smtp.WaitFor(t, "once@example.com", 20*time.Second)
}

func lastRevision(t *testing.T, p *platform.Platform) uint64 {
	t.Helper()
	nc, err := platform.ConnectNATS(p.NATSURL(), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	l, err := eventlog.Attach(context.Background(), nc)
	if err != nil {
		t.Fatal(err)
	}
	rev, err := l.LastRevision(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return rev
}

// Customer A's credentials never reach customer B's things: B's ids answer
// 404 to A, and nothing A lists holds anything of B.
func TestCustomersAreIsolated(t *testing.T) {
	p, smtp := startAccounts(t)
	a, b := newClient(t, p), newClient(t, p)
	register(t, a, smtp, "Alpha", "a@alpha.example")
	register(t, b, smtp, "Beta", "b@beta.example")
	login(t, a, "a@alpha.example")
	login(t, b, "b@beta.example")
	var bTok struct {
		TokenID string `json:"token_id"`
	}
	b.must("POST", "/api/v1/tokens", map[string]string{"name": "beta-ci"}, &bTok, 201)
	var bMe struct {
		MemberID   string `json:"member_id"`
		CustomerID string `json:"customer_id"`
	}
	b.must("GET", "/api/v1/me", nil, &bMe, 200)

	a.revision = max(a.revision, b.revision)
	a.must("DELETE", "/api/v1/tokens/"+bTok.TokenID, nil, nil, 404)
	var list struct {
		Tokens []struct{ TokenID string } `json:"tokens"`
	}
	a.must("GET", "/api/v1/tokens", nil, &list, 200)
	if len(list.Tokens) != 0 {
		t.Fatalf("A lists tokens %v", list.Tokens)
	}
	raw := a.must("GET", "/api/v1/audit?limit=200", nil, nil, 200)
	for _, id := range []string{bTok.TokenID, bMe.MemberID, bMe.CustomerID, "beta"} {
		if strings.Contains(strings.ToLower(raw), strings.ToLower(id)) {
			t.Fatalf("A's audit log shows B's %q: %s", id, raw)
		}
	}
	// B's token is still there, unrevoked.
	b.must("GET", "/api/v1/tokens", nil, &list, 200)
	if len(list.Tokens) != 1 {
		t.Fatalf("B's tokens = %v", list.Tokens)
	}
}
