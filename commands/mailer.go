package commands

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/aegis-oss/aegis/commands/mail"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
)

// ReactorMailer names the mailer's durable consumer.
const ReactorMailer = "mailer"

// Mailer sends the emails that events call for: the verification email of
// member.verification_issued and the invitation of member.invited. It sends at least once; an email
// whose sending was interrupted may be sent again.
type Mailer struct {
	log       *eventlog.Log
	sender    *mail.Sender
	masterKey []byte
	publicURL string
	logger    *slog.Logger
	now       func() time.Time
}

// NewMailer returns a mailer that sends through sender, with links to the
// dashboard at publicURL.
func NewMailer(log *eventlog.Log, sender *mail.Sender, masterKey []byte, publicURL string, logger *slog.Logger) *Mailer {
	return &Mailer{log: log, sender: sender, masterKey: masterKey, publicURL: publicURL, logger: logger, now: time.Now}
}

// Run sends emails until ctx is done. It returns an error if its consumer
// cannot be set up.
func (m *Mailer) Run(ctx context.Context) error {
	return m.log.React(ctx, schema.ReactorConsumer(ReactorMailer), map[string]eventlog.Handler{
		schema.EventMemberVerificationIssued: m.verification,
		schema.EventMemberInvited:            m.invitation,
	}, 5*time.Second, m.logger)
}

func (m *Mailer) verification(ctx context.Context, e schema.Event) error {
	var p schema.MemberVerificationIssued
	if err := e.Decode(&p); err != nil {
		return err
	}
	if !m.now().Before(p.ExpiresAt) {
		return nil // too late to be of use
	}
	link := m.publicURL + "/verify?token=" + url.QueryEscape(verificationToken(m.masterKey, e.Customer, e.AggregateID, p.VerificationID))
	err := m.sender.Send(ctx, mail.Message{
		To:      p.Email,
		Subject: "Verify your email address for Aegis",
		Text: fmt.Sprintf("Welcome to Aegis.\n\nConfirm that %s is your email address by opening this link:\n\n%s\n\n"+
			"The link works once, until %s. If you did not sign up, ignore this email.\n",
			p.Email, link, p.ExpiresAt.UTC().Format(time.RFC1123)),
	})
	if err != nil {
		return fmt.Errorf("send verification email: %w", err)
	}
	m.logger.Info("verification email sent", "member", e.AggregateID, "revision", e.Revision)
	return nil
}

func (m *Mailer) invitation(ctx context.Context, e schema.Event) error {
	var p schema.MemberInvited
	if err := e.Decode(&p); err != nil {
		return err
	}
	if !m.now().Before(p.ExpiresAt) {
		return nil
	}
	link := m.publicURL + "/accept-invite?token=" + url.QueryEscape(verificationToken(m.masterKey, e.Customer, e.AggregateID, p.InvitationID))
	err := m.sender.Send(ctx, mail.Message{
		To:      p.Email,
		Subject: "You are invited to join a team on Aegis",
		Text: fmt.Sprintf("You have been invited to join a team on Aegis as %s.\n\nAccept the invitation and choose your password here:\n\n%s\n\n"+
			"The link works once, until %s. If you did not expect this, ignore this email.\n",
			p.Role, link, p.ExpiresAt.UTC().Format(time.RFC1123)),
	})
	if err != nil {
		return fmt.Errorf("send invitation email: %w", err)
	}
	m.logger.Info("invitation email sent", "member", e.AggregateID, "revision", e.Revision)
	return nil
}
