package mail

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Sender delivers Messages to the SMTP server of its Config. It is safe
// for concurrent use: each Send dials its own connection.
type Sender struct {
	cfg     Config
	addr    string
	timeout time.Duration
	options []gomail.Option
}

// New returns a Sender for cfg. It returns an error if cfg is not valid;
// it does not dial the server.
func New(cfg Config) (*Sender, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("mail config: %w", err)
	}
	if cfg.From == "" {
		cfg.From = DefaultFrom
	}
	timeout := cfg.Timeout
	if timeout == 0 {
		timeout = DefaultTimeout
	}

	options := []gomail.Option{gomail.WithPort(cfg.Port), gomail.WithTimeout(timeout)}
	switch cfg.TLS {
	case TLSOpportunistic:
		options = append(options, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSStartTLS:
		options = append(options, gomail.WithTLSPolicy(gomail.TLSMandatory))
	case TLSImplicit:
		options = append(options, gomail.WithSSL())
	case TLSNone:
		options = append(options, gomail.WithTLSPolicy(gomail.NoTLS))
	}
	if cfg.Username != "" {
		// PLAIN and LOGIN refuse to send the password over a connection
		// that is not encrypted, unless the operator chose tls=none.
		mechs := []gomail.SMTPAuthType{gomail.SMTPAuthPlain, gomail.SMTPAuthLogin}
		if cfg.TLS == TLSNone {
			mechs = []gomail.SMTPAuthType{gomail.SMTPAuthPlainNoEnc, gomail.SMTPAuthLoginNoEnc}
		}
		options = append(options,
			gomail.WithUsername(cfg.Username),
			gomail.WithPassword(cfg.Password),
			gomail.WithOpportunisticSMTPAuth(mechs...))
	}
	if _, err := gomail.NewClient(cfg.Host, options...); err != nil {
		return nil, fmt.Errorf("mail client: %w", err)
	}
	return &Sender{
		cfg:     cfg,
		addr:    net.JoinHostPort(cfg.Host, strconv.Itoa(cfg.Port)),
		timeout: timeout,
		options: options,
	}, nil
}

// Send delivers m, or returns why it could not: an error wrapping
// ErrInvalidMessage if m is not valid, or the dial, TLS, authentication or
// SMTP failure. Dialing, and then the conversation, are each bounded by
// the Config's Timeout; ctx can cut the dial shorter.
func (s *Sender) Send(ctx context.Context, m Message) error {
	if err := m.validate(); err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	msg, err := s.message(m)
	if err != nil {
		return fmt.Errorf("send mail: %w", err)
	}
	// A client per Send: go-mail's Client keeps per-dial state, and
	// building one costs no I/O.
	client, err := gomail.NewClient(s.cfg.Host, s.options...)
	if err != nil {
		return fmt.Errorf("send mail: new client: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return fmt.Errorf("send mail via %s: %w", s.addr, err)
	}
	return nil
}

// message builds the MIME message for m.
func (s *Sender) message(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(s.cfg.From); err != nil {
		return nil, fmt.Errorf("from %q: %w", s.cfg.From, err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("%w: recipient %q: %w", ErrInvalidMessage, m.To, err)
	}
	msg.Subject(m.Subject)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}
