package testkit_test

import (
	"fmt"
	"net"
	"net/smtp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/schema/testkit"
)

func TestSMTPKeepsAPlainMessage(t *testing.T) {
	srv := testkit.NewSMTP(t)
	if want := "smtp://" + srv.Addr(); srv.URL() != want {
		t.Errorf("URL: got %q, want %q", srv.URL(), want)
	}
	if !strings.HasPrefix(srv.URL(), "smtp://127.0.0.1:") {
		t.Errorf("URL: got %q, want smtp://127.0.0.1:<port>", srv.URL())
	}

	msg := "From: Aegis <no-reply@aegis.test>\r\n" +
		"To: ada@example.com\r\n" +
		"Subject: Verify your email\r\n" +
		"\r\n" +
		"Open the link to verify.\r\n"
	if err := smtp.SendMail(srv.Addr(), nil, "no-reply@aegis.test", []string{"ada@example.com"}, []byte(msg)); err != nil {
		t.Fatalf("SendMail: %v", err)
	}

	got := srv.WaitFor(t, "ada@example.com", 5*time.Second)
	if got.ParseErr != nil {
		t.Fatalf("ParseErr: %v", got.ParseErr)
	}
	if got.From != "no-reply@aegis.test" {
		t.Errorf("From: got %q, want %q", got.From, "no-reply@aegis.test")
	}
	if len(got.To) != 1 || got.To[0] != "ada@example.com" {
		t.Errorf("To: got %q, want [ada@example.com]", got.To)
	}
	if got.Username != "" {
		t.Errorf("Username: got %q, want none", got.Username)
	}
	if got.Subject != "Verify your email" {
		t.Errorf("Subject: got %q, want %q", got.Subject, "Verify your email")
	}
	if got.Text != "Open the link to verify.\r\n" {
		t.Errorf("Text: got %q, want %q", got.Text, "Open the link to verify.\r\n")
	}
	if got.HTML != "" {
		t.Errorf("HTML: got %q, want none", got.HTML)
	}
	if h := got.Header.Get("From"); h != "Aegis <no-reply@aegis.test>" {
		t.Errorf("From header: got %q", h)
	}
	if !strings.Contains(string(got.Data), "Subject: Verify your email\r\n") {
		t.Errorf("Data does not hold the raw headers:\n%s", got.Data)
	}
}

func TestSMTPAcceptsAnyPlainAuth(t *testing.T) {
	srv := testkit.NewSMTP(t)
	host, _, _ := net.SplitHostPort(srv.Addr())
	auth := smtp.PlainAuth("", "mallory", "any password", host)
	msg := "Subject: hi\r\n\r\nhello\r\n"
	if err := smtp.SendMail(srv.Addr(), auth, "a@aegis.test", []string{"b@example.com"}, []byte(msg)); err != nil {
		t.Fatalf("SendMail: %v", err)
	}
	if got := srv.WaitFor(t, "b@example.com", 5*time.Second); got.Username != "mallory" {
		t.Errorf("Username: got %q, want %q", got.Username, "mallory")
	}
}

func TestSMTPDecodesMultipartAlternative(t *testing.T) {
	srv := testkit.NewSMTP(t)
	msg := strings.Join([]string{
		"From: no-reply@aegis.test",
		"To: ada@example.com",
		"Subject: =?UTF-8?q?Willkommen_bei_=C3=84gis?=",
		"MIME-Version: 1.0",
		`Content-Type: multipart/alternative; boundary="b1"`,
		"",
		"--b1",
		"Content-Type: text/plain; charset=UTF-8",
		"Content-Transfer-Encoding: quoted-printable",
		"",
		"Gr=C3=BC=C3=9Fe, a line that is long enough to be soft-=",
		"broken.",
		"--b1",
		"Content-Type: text/html; charset=UTF-8",
		"Content-Transfer-Encoding: base64",
		"",
		"PHA+R3LDvMOfZTwvcD4=",
		"--b1--",
		"",
	}, "\r\n")
	if err := smtp.SendMail(srv.Addr(), nil, "no-reply@aegis.test", []string{"ada@example.com"}, []byte(msg)); err != nil {
		t.Fatalf("SendMail: %v", err)
	}

	got := srv.WaitFor(t, "ada@example.com", 5*time.Second)
	if got.ParseErr != nil {
		t.Fatalf("ParseErr: %v", got.ParseErr)
	}
	tests := []struct{ field, got, want string }{
		{"Subject", got.Subject, "Willkommen bei Ägis"},
		{"Text", got.Text, "Grüße, a line that is long enough to be soft-broken."},
		{"HTML", got.HTML, "<p>Grüße</p>"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s: got %q, want %q", tt.field, tt.got, tt.want)
		}
	}
}

func TestSMTPKeepsEveryMessageInOrder(t *testing.T) {
	srv := testkit.NewSMTP(t)
	for i, to := range [][]string{{"one@example.com"}, {"two@example.com", "three@example.com"}} {
		msg := fmt.Sprintf("Subject: message %d\r\n\r\nbody\r\n", i)
		if err := smtp.SendMail(srv.Addr(), nil, "a@aegis.test", to, []byte(msg)); err != nil {
			t.Fatalf("SendMail %d: %v", i, err)
		}
	}

	if got := srv.WaitFor(t, "THREE@example.com", 5*time.Second); got.Subject != "message 1" {
		t.Errorf("WaitFor three: got subject %q, want %q", got.Subject, "message 1")
	}
	msgs := srv.Messages()
	if len(msgs) != 2 {
		t.Fatalf("Messages: got %d, want 2", len(msgs))
	}
	if msgs[0].Subject != "message 0" || strings.Join(msgs[1].To, ",") != "two@example.com,three@example.com" {
		t.Errorf("Messages: got %q to %q and %q to %q", msgs[0].Subject, msgs[0].To, msgs[1].Subject, msgs[1].To)
	}
}

func TestSMTPWaitForFailsWhenNothingArrives(t *testing.T) {
	srv := testkit.NewSMTP(t)
	rec := &fatalRecorder{TB: t}
	done := make(chan struct{})
	start := time.Now()
	go func() {
		defer close(done)
		srv.WaitFor(rec, "nobody@example.com", 100*time.Millisecond)
	}()
	<-done
	if !strings.Contains(rec.msg, "nobody@example.com") {
		t.Errorf("WaitFor: got failure %q, want one naming the recipient", rec.msg)
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("WaitFor: took %s for a 100ms timeout", elapsed)
	}
}

func TestSMTPStopsAtCleanup(t *testing.T) {
	var addr string
	t.Run("server", func(t *testing.T) {
		addr = testkit.NewSMTP(t).Addr()
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			t.Fatalf("dial running server: %v", err)
		}
		conn.Close()
	})
	if conn, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		conn.Close()
		t.Errorf("dial %s after cleanup: got a connection, want the server gone", addr)
	}
}

// fatalRecorder keeps what a helper reports through Fatalf and stops the
// goroutine that called it, as the testing package does.
type fatalRecorder struct {
	testing.TB
	msg string
}

func (r *fatalRecorder) Helper() {}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}
