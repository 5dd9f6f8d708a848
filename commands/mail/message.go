package mail

import (
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
)

// ErrInvalidMessage is wrapped by the error Send returns for a Message it
// refuses before dialing.
var ErrInvalidMessage = errors.New("invalid message")

// Message is one transactional email to one recipient.
type Message struct {
	// To is the recipient's address, such as "ada@example.com" or
	// "Ada <ada@example.com>". Required.
	To string
	// Subject is the subject line, on one line. Required.
	Subject string
	// Text is the plain-text body. Required: every message can be read
	// without HTML.
	Text string
	// HTML, if set, is an HTML rendering of Text; the message is then
	// multipart/alternative with the text part first.
	HTML string
}

// validate returns every problem with m, wrapped in ErrInvalidMessage.
func (m Message) validate() error {
	var problems []error
	if m.To == "" {
		problems = append(problems, errors.New("missing recipient"))
	} else if _, err := netmail.ParseAddress(m.To); err != nil {
		problems = append(problems, fmt.Errorf("recipient %q: %w", m.To, err))
	}
	switch {
	case m.Subject == "":
		problems = append(problems, errors.New("missing subject"))
	case strings.ContainsAny(m.Subject, "\r\n"):
		problems = append(problems, errors.New("subject spans more than one line"))
	}
	if m.Text == "" {
		problems = append(problems, errors.New("missing text body"))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %w", ErrInvalidMessage, errors.Join(problems...))
	}
	return nil
}
