package testkit

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// SMTPServer is an in-process SMTP server on a loopback port that keeps
// every message it accepts, for tests of code that sends mail.
type SMTPServer struct {
	addr string

	mu       sync.Mutex
	messages []Received
}

// Received is one message an SMTPServer accepted.
type Received struct {
	// From is the envelope sender (MAIL FROM).
	From string
	// To holds the envelope recipients (RCPT TO), in order.
	To []string
	// Username is the name the client authenticated as with AUTH PLAIN,
	// or empty if it did not authenticate.
	Username string
	// Data is the message exactly as sent: RFC 5322 headers and body.
	Data []byte

	// Header holds the message's headers, parsed from Data.
	Header mail.Header
	// Subject is the Subject header, with encoded words decoded.
	Subject string
	// Text is the decoded text/plain body: the whole body of a plain
	// message, or the first text/plain part of a multipart one.
	Text string
	// HTML is the decoded text/html part, or empty if there is none.
	HTML string
	// ParseErr is why Data could not be parsed into the fields above, or
	// nil. The message is kept either way.
	ParseErr error
}

// NewSMTP starts an SMTP server on 127.0.0.1 at a random port and stops it
// at the end of the test. The server offers no TLS; it accepts plain-text
// AUTH PLAIN with any username and password, or no authentication at all,
// and takes every sender and recipient. It fails the test if the server
// cannot listen.
func NewSMTP(t testing.TB) *SMTPServer {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("testkit: start smtp: %v", err)
	}
	s := &SMTPServer{addr: l.Addr().String()}

	logs := &smtpLog{t: t}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &smtpSession{server: s}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout = 10 * time.Second
	srv.WriteTimeout = 10 * time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 100
	srv.ErrorLog = log.New(logs, "smtp server: ", 0)

	served := make(chan struct{})
	go func() {
		defer close(served)
		if err := srv.Serve(l); err != nil {
			logs.Write([]byte("serve: " + err.Error()))
		}
	}()
	t.Cleanup(func() {
		srv.Close()
		// Close misses the listener if Serve has not registered it yet.
		l.Close()
		<-served
		logs.stop()
	})
	return s
}

// URL returns the server's address as smtp://127.0.0.1:<port>.
func (s *SMTPServer) URL() string { return "smtp://" + s.addr }

// Addr returns the server's host:port.
func (s *SMTPServer) Addr() string { return s.addr }

// Messages returns a copy of every message accepted so far, oldest first.
func (s *SMTPServer) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Received, len(s.messages))
	copy(out, s.messages)
	return out
}

// WaitFor returns the first message accepted for the envelope recipient
// to, compared without regard to case, polling until it arrives. It fails
// the test if none arrives within timeout.
func (s *SMTPServer) WaitFor(t testing.TB, to string, timeout time.Duration) Received {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		for _, m := range s.Messages() {
			for _, rcpt := range m.To {
				if strings.EqualFold(rcpt, to) {
					return m
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("testkit: no mail to %s within %s (%d other messages)", to, timeout, len(s.Messages()))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func (s *SMTPServer) add(m Received) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.messages = append(s.messages, m)
}

// smtpSession is one client connection's transaction state.
type smtpSession struct {
	server   *SMTPServer
	username string
	from     string
	to       []string
}

var _ smtp.AuthSession = (*smtpSession)(nil)

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpSession) Auth(mech string) (sasl.Server, error) {
	if mech != sasl.Plain {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	return sasl.NewPlainServer(func(_, username, _ string) error {
		s.username = username
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Received{
		From:     s.from,
		To:       append([]string(nil), s.to...),
		Username: s.username,
		Data:     data,
	}
	m.ParseErr = parseMessage(&m)
	s.server.add(m)
	return nil
}

func (s *smtpSession) Reset() {
	s.from = ""
	s.to = nil
}

func (s *smtpSession) Logout() error { return nil }

// parseMessage fills m's header, subject and bodies from m.Data.
func parseMessage(m *Received) error {
	msg, err := mail.ReadMessage(bytes.NewReader(m.Data))
	if err != nil {
		return fmt.Errorf("read message: %w", err)
	}
	m.Header = msg.Header
	var dec mime.WordDecoder
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return fmt.Errorf("decode subject: %w", err)
	}
	return parseBody(m, msg.Header, msg.Body)
}

// header is what parseBody reads of a message's or a part's headers, so
// that both are parsed alike.
type header interface{ Get(key string) string }

// parseBody decodes a body with the given headers into m.Text or m.HTML,
// descending into multipart bodies. The first part of each kind wins.
func parseBody(m *Received, h header, body io.Reader) error {
	mediaType, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		// RFC 2045: a missing or unreadable Content-Type is plain text.
		mediaType, params = "text/plain", nil
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		mr := multipart.NewReader(body, params["boundary"])
		for {
			part, err := mr.NextRawPart()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return fmt.Errorf("read %s part: %w", mediaType, err)
			}
			if err := parseBody(m, part.Header, part); err != nil {
				return err
			}
		}
	}
	if mediaType != "text/plain" && mediaType != "text/html" {
		return nil
	}
	text, err := decodeTransfer(h.Get("Content-Transfer-Encoding"), body)
	if err != nil {
		return fmt.Errorf("decode %s body: %w", mediaType, err)
	}
	switch {
	case mediaType == "text/plain" && m.Text == "":
		m.Text = text
	case mediaType == "text/html" && m.HTML == "":
		m.HTML = text
	}
	return nil
}

// decodeTransfer undoes a Content-Transfer-Encoding.
func decodeTransfer(encoding string, body io.Reader) (string, error) {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		body = quotedprintable.NewReader(body)
	case "base64":
		// The decoder skips the line breaks base64 bodies carry.
		body = base64.NewDecoder(base64.StdEncoding, body)
	}
	b, err := io.ReadAll(body)
	return string(b), err
}

// smtpLog sends the server's own error log to t.Log until the server has
// stopped, and drops it after, when t.Log would panic.
type smtpLog struct {
	t       testing.TB
	mu      sync.Mutex
	stopped bool
}

func (l *smtpLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.stopped {
		l.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

func (l *smtpLog) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.stopped = true
}
