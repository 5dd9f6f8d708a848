package mail_test

import (
	"context"
	"errors"
	"fmt"
	"net"
	netmail "net/mail"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/commands/mail"
	"github.com/aegis-oss/aegis/schema/testkit"
)

const password = "hunter2-Secret"

func newSender(t *testing.T, smtpURL string) *mail.Sender {
	t.Helper()
	cfg, err := mail.ParseURL(smtpURL)
	if err != nil {
		t.Fatalf("ParseURL(%q): %v", smtpURL, err)
	}
	s, err := mail.New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return s
}

// unix turns CRLF line ends, which SMTP puts on every line, back into LF.
func unix(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

func TestSendTextAndHTML(t *testing.T) {
	srv := testkit.NewSMTP(t)
	s := newSender(t, srv.URL()+"?from="+url.QueryEscape("Aegis <no-reply@aegis.test>"))

	text := "Hello Ada,\n\nopen https://aegis.test/verify?token=abc to verify your address. Grüße!\n"
	html := `<p>Hello Ada,</p><p><a href="https://aegis.test/verify?token=abc">Verify your address</a>. Grüße!</p>`
	err := s.Send(context.Background(), mail.Message{
		To:      "Ada Lovelace <ada@example.com>",
		Subject: "Verify your email address – Aegis",
		Text:    text,
		HTML:    html,
	})
	if err != nil {
		t.Fatalf("Send: %v", err)
	}

	got := srv.WaitFor(t, "ada@example.com", 5*time.Second)
	if got.ParseErr != nil {
		t.Fatalf("received message does not parse: %v\n%s", got.ParseErr, got.Data)
	}
	if len(got.To) != 1 || got.To[0] != "ada@example.com" {
		t.Errorf("envelope recipients: got %q, want [ada@example.com]", got.To)
	}
	if got.From != "no-reply@aegis.test" {
		t.Errorf("envelope sender: got %q, want %q", got.From, "no-reply@aegis.test")
	}
	from, err := netmail.ParseAddress(got.Header.Get("From"))
	if err != nil {
		t.Fatalf("From header %q: %v", got.Header.Get("From"), err)
	}
	if from.Name != "Aegis" || from.Address != "no-reply@aegis.test" {
		t.Errorf("From header: got %q <%s>, want %q <%s>", from.Name, from.Address, "Aegis", "no-reply@aegis.test")
	}
	to, err := netmail.ParseAddress(got.Header.Get("To"))
	if err != nil || to.Address != "ada@example.com" {
		t.Errorf("To header: got %q (%v), want ada@example.com", got.Header.Get("To"), err)
	}
	if got.Subject != "Verify your email address – Aegis" {
		t.Errorf("Subject: got %q, want %q", got.Subject, "Verify your email address – Aegis")
	}
	if ct := got.Header.Get("Content-Type"); !strings.HasPrefix(ct, "multipart/alternative;") {
		t.Errorf("Content-Type: got %q, want multipart/alternative", ct)
	}
	if unix(got.Text) != text {
		t.Errorf("text part: got %q, want %q", got.Text, text)
	}
	if unix(got.HTML) != html {
		t.Errorf("HTML part: got %q, want %q", got.HTML, html)
	}
	for _, h := range []string{"Date", "Message-Id"} {
		if got.Header.Get(h) == "" {
			t.Errorf("header %s missing", h)
		}
	}
}

func TestSendTextOnly(t *testing.T) {
	srv := testkit.NewSMTP(t)
	s := newSender(t, srv.URL())

	msg := mail.Message{To: "bob@example.com", Subject: "Welcome", Text: "Welcome to Aegis.\n"}
	if err := s.Send(context.Background(), msg); err != nil {
		t.Fatalf("Send: %v", err)
	}

	got := srv.WaitFor(t, "bob@example.com", 5*time.Second)
	if ct := got.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type: got %q, want text/plain", ct)
	}
	if unix(got.Text) != msg.Text || got.HTML != "" {
		t.Errorf("body: got text %q and HTML %q, want text %q only", got.Text, got.HTML, msg.Text)
	}
	if addr, err := netmail.ParseAddress(got.Header.Get("From")); err != nil || addr.String() != mustAddress(t, mail.DefaultFrom) {
		t.Errorf("From header: got %q, want %q", got.Header.Get("From"), mail.DefaultFrom)
	}
}

func mustAddress(t *testing.T, s string) string {
	t.Helper()
	a, err := netmail.ParseAddress(s)
	if err != nil {
		t.Fatalf("ParseAddress(%q): %v", s, err)
	}
	return a.String()
}

func TestSendAuthenticates(t *testing.T) {
	srv := testkit.NewSMTP(t)
	s := newSender(t, "smtp://ada:"+password+"@"+srv.Addr()+"?tls=none")

	if err := s.Send(context.Background(), mail.Message{To: "c@example.com", Subject: "Hi", Text: "hi"}); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if got := srv.WaitFor(t, "c@example.com", 5*time.Second); got.Username != "ada" {
		t.Errorf("authenticated as %q, want %q", got.Username, "ada")
	}
}

// The test server offers no TLS at all, so each of these must refuse to
// go on rather than send in plain text.
func TestSendNeverDowngradesTLS(t *testing.T) {
	srv := testkit.NewSMTP(t)
	tests := []struct{ name, url string }{
		{"credentials require STARTTLS", "smtp://ada:" + password + "@" + srv.Addr()},
		{"tls=starttls requires STARTTLS", srv.URL() + "?tls=starttls"},
		{"smtps speaks TLS from the start", "smtps://ada:" + password + "@" + srv.Addr()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSender(t, tt.url)
			err := s.Send(context.Background(), mail.Message{To: "d@example.com", Subject: "Hi", Text: "hi"})
			if err == nil {
				t.Fatal("Send: got nil error, want a TLS failure")
			}
			if strings.Contains(err.Error(), password) {
				t.Errorf("Send error shows the password: %v", err)
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server received %d messages, want none", n)
	}
}

func TestSendToClosedPortFails(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()

	s := newSender(t, "smtp://"+addr)
	start := time.Now()
	err = s.Send(context.Background(), mail.Message{To: "e@example.com", Subject: "Hi", Text: "hi"})
	if err == nil {
		t.Fatal("Send: got nil error, want a dial failure")
	}
	if elapsed := time.Since(start); elapsed > mail.DefaultTimeout {
		t.Errorf("Send took %s, more than the %s timeout", elapsed, mail.DefaultTimeout)
	}
	if !strings.Contains(err.Error(), "send mail via "+addr) {
		t.Errorf("Send error %q does not name the server %s", err, addr)
	}
}

func TestSendGivesUpOnASilentServer(t *testing.T) {
	// A server that accepts connections and never greets.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() })
		}
	})

	cfg, err := mail.ParseURL("smtp://" + l.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	cfg.Timeout = 300 * time.Millisecond
	s, err := mail.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = s.Send(context.Background(), mail.Message{To: "f@example.com", Subject: "Hi", Text: "hi"})
	if err == nil {
		t.Fatal("Send: got nil error, want a timeout")
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("Send took %s with a %s timeout", elapsed, cfg.Timeout)
	}
}

func TestSendRefusesInvalidMessages(t *testing.T) {
	srv := testkit.NewSMTP(t)
	s := newSender(t, srv.URL())
	tests := []struct {
		name string
		msg  mail.Message
		want string
	}{
		{"no recipient", mail.Message{Subject: "Hi", Text: "hi"}, "missing recipient"},
		{"bad recipient", mail.Message{To: "not an address", Subject: "Hi", Text: "hi"}, "recipient"},
		{"two recipients", mail.Message{To: "a@example.com, b@example.com", Subject: "Hi", Text: "hi"}, "recipient"},
		{"no subject", mail.Message{To: "a@example.com", Text: "hi"}, "missing subject"},
		{"header injection", mail.Message{To: "a@example.com", Subject: "Hi\r\nBcc: eve@example.com", Text: "hi"}, "one line"},
		{"no text", mail.Message{To: "a@example.com", Subject: "Hi", HTML: "<p>hi</p>"}, "missing text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := s.Send(context.Background(), tt.msg)
			if !errors.Is(err, mail.ErrInvalidMessage) {
				t.Fatalf("Send: got %v, want ErrInvalidMessage", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Send: got %q, want it to mention %q", err, tt.want)
			}
		})
	}
	if n := len(srv.Messages()); n != 0 {
		t.Errorf("server received %d messages, want none", n)
	}
}

func TestSendConcurrently(t *testing.T) {
	srv := testkit.NewSMTP(t)
	s := newSender(t, srv.URL())
	const n = 8
	errs := make(chan error, n)
	for i := range n {
		go func() {
			errs <- s.Send(context.Background(), mail.Message{
				To: fmt.Sprintf("user%d@example.com", i), Subject: fmt.Sprintf("message %d", i), Text: "hi",
			})
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Errorf("Send: %v", err)
		}
	}
	for i := range n {
		if got := srv.WaitFor(t, fmt.Sprintf("user%d@example.com", i), 5*time.Second); got.Subject != fmt.Sprintf("message %d", i) {
			t.Errorf("user%d: got subject %q", i, got.Subject)
		}
	}
}

func TestSendHonoursACanceledContext(t *testing.T) {
	srv := testkit.NewSMTP(t)
	s := newSender(t, srv.URL())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := s.Send(ctx, mail.Message{To: "g@example.com", Subject: "Hi", Text: "hi"})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Send: got %v, want context.Canceled", err)
	}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		url  string
		want mail.Config
	}{
		{"smtp://127.0.0.1:1025", mail.Config{
			Host: "127.0.0.1", Port: 1025, TLS: mail.TLSOpportunistic, From: mail.DefaultFrom}},
		{"smtp://localhost", mail.Config{
			Host: "localhost", Port: 25, TLS: mail.TLSOpportunistic, From: mail.DefaultFrom}},
		{"smtp://ada:p%40ss@smtp.example.com:587", mail.Config{
			Host: "smtp.example.com", Port: 587, Username: "ada", Password: "p@ss", TLS: mail.TLSStartTLS, From: mail.DefaultFrom}},
		{"smtp://ada:pass@smtp.example.com", mail.Config{
			Host: "smtp.example.com", Port: 587, Username: "ada", Password: "pass", TLS: mail.TLSStartTLS, From: mail.DefaultFrom}},
		{"smtp://ada:pass@10.0.0.5:25?tls=none", mail.Config{
			Host: "10.0.0.5", Port: 25, Username: "ada", Password: "pass", TLS: mail.TLSNone, From: mail.DefaultFrom}},
		{"smtp://relay.internal:25?tls=starttls", mail.Config{
			Host: "relay.internal", Port: 25, TLS: mail.TLSStartTLS, From: mail.DefaultFrom}},
		{"smtps://ada:pass@smtp.example.com:465", mail.Config{
			Host: "smtp.example.com", Port: 465, Username: "ada", Password: "pass", TLS: mail.TLSImplicit, From: mail.DefaultFrom}},
		{"SMTPS://ada:pass@smtp.example.com/", mail.Config{
			Host: "smtp.example.com", Port: 465, Username: "ada", Password: "pass", TLS: mail.TLSImplicit, From: mail.DefaultFrom}},
		{"smtp://[::1]:1025?from=" + url.QueryEscape("Aegis Cloud <hello@aegis.example>"), mail.Config{
			Host: "::1", Port: 1025, TLS: mail.TLSOpportunistic, From: "Aegis Cloud <hello@aegis.example>"}},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			got, err := mail.ParseURL(tt.url)
			if err != nil {
				t.Fatalf("ParseURL: %v", err)
			}
			if got != tt.want {
				t.Errorf("ParseURL:\n got %+v\nwant %+v", got, tt.want)
			}
			if _, err := mail.New(got); err != nil {
				t.Errorf("New: %v", err)
			}
		})
	}
}

func TestParseURLRefuses(t *testing.T) {
	tests := []struct{ url, want string }{
		{"", "empty"},
		{"127.0.0.1:1025", "want smtp://host:port"},
		{"http://ada:" + password + "@smtp.example.com:587", `scheme "http"`},
		{"smtp://ada:" + password + "@:587", "missing host"},
		{"smtp://", "missing host"},
		{"smtp://ada:" + password + "@smtp.example.com:99999", "port 99999"},
		{"smtp://ada:" + password + "@smtp.example.com:0", "port 0"},
		{"smtp://ada:" + password + "@smtp.example.com:port", "port"},
		{"smtp://ada:" + password + "@smtp example.com:25", "invalid"},
		{"smtp://ada:" + password + "@smtp.example.com:25/inbox", "path"},
		{"smtp://ada:" + password + "@smtp.example.com:25?tls=maybe", "tls="},
		{"smtps://ada:" + password + "@smtp.example.com:465?tls=none", "smtps"},
		{"smtp://ada:" + password + "@smtp.example.com:25?form=x@example.com", `unknown query parameter "form"`},
		{"smtp://ada:" + password + "@smtp.example.com:25?from=not+an+address", "from address"},
		{"smtp://ada@smtp.example.com:25", "both a user name and a password"},
		{"smtp://ada:" + url.PathEscape(password+"/%") + "@smtp.example.com:99999", "port"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			_, err := mail.ParseURL(tt.url)
			if err == nil {
				t.Fatal("ParseURL: got nil error")
			}
			msg := err.Error()
			if !strings.Contains(msg, "SMTP_URL") {
				t.Errorf("error %q does not name SMTP_URL", msg)
			}
			if !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not mention %q", msg, tt.want)
			}
			if strings.Contains(msg, password) {
				t.Errorf("error %q shows the password", msg)
			}
		})
	}
}

func TestConfigStringHidesThePassword(t *testing.T) {
	cfg, err := mail.ParseURL("smtps://ada:" + password + "@smtp.example.com:465?from=" + url.QueryEscape("a@example.com"))
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.String()
	if strings.Contains(got, password) {
		t.Errorf("String: got %q, shows the password", got)
	}
	if want := "smtps://ada:xxxxx@smtp.example.com:465?from=a%40example.com"; got != want {
		t.Errorf("String: got %q, want %q", got, want)
	}
	if fmt.Sprintf("%v %+v", cfg, cfg) != got+" "+got {
		t.Errorf("formatting a Config does not go through String")
	}
}

func TestNewRefusesAnInvalidConfig(t *testing.T) {
	_, err := mail.New(mail.Config{Port: 70000, Username: "ada"})
	if err == nil {
		t.Fatal("New: got nil error")
	}
	for _, want := range []string{"missing host", "port 70000", "TLS mode", "user name and a password"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("New error %q does not mention %q", err, want)
		}
	}
}
