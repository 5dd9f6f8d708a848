package commands

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"time"

	"github.com/aegis-oss/aegis/commands/mail"
	"github.com/aegis-oss/aegis/commands/readmodel"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
)

// ReactorMailer names the mailer's durable consumer.
const ReactorMailer = "mailer"

// Mailer sends the emails that events call for: the verification email of
// member.verification_issued, the invitation of member.invited, the reset
// link of member.password_reset_requested and the notice of
// member.password_reset, and the notifications each customer's settings
// ask for. It sends at least once; an email whose sending was interrupted
// may be sent again.
type Mailer struct {
	log       *eventlog.Log
	read      *readmodel.Store
	sender    *mail.Sender
	masterKey []byte
	publicURL string
	logger    *slog.Logger
	now       func() time.Time
}

// NewMailer returns a mailer that sends through sender, with links to the
// dashboard at publicURL; read finds who the customers' notification
// settings name.
func NewMailer(log *eventlog.Log, read *readmodel.Store, sender *mail.Sender, masterKey []byte, publicURL string, logger *slog.Logger) *Mailer {
	return &Mailer{log: log, read: read, sender: sender, masterKey: masterKey, publicURL: publicURL, logger: logger, now: time.Now}
}

// Run sends emails until ctx is done. It returns an error if its consumer
// cannot be set up.
func (m *Mailer) Run(ctx context.Context) error {
	handlers := map[string]eventlog.Handler{
		schema.EventMemberVerificationIssued:     m.verification,
		schema.EventMemberPasswordResetRequested: m.passwordReset,
		schema.EventMemberPasswordReset:          m.passwordChanged,
	}
	for _, t := range schema.NotifiableEvents {
		handlers[t] = m.notify
	}
	handlers[schema.EventMemberInvited] = func(ctx context.Context, e schema.Event) error {
		if err := m.invitation(ctx, e); err != nil {
			return err
		}
		return m.notify(ctx, e)
	}
	return m.log.React(ctx, schema.ReactorConsumer(ReactorMailer), handlers, 5*time.Second, m.logger)
}

// notify emails the members the customer's notification settings name for
// the event's type, if any.
func (m *Mailer) notify(ctx context.Context, e schema.Event) error {
	rule, ok, err := m.read.NotificationRule(ctx, e.Customer, e.Type)
	if err != nil || !ok || len(rule.Roles) == 0 {
		return err
	}
	to, err := m.read.Recipients(ctx, e.Customer, rule.Roles)
	if err != nil {
		return err
	}
	actor := e.Actor.Kind
	if e.Actor.ID != "" {
		actor += " " + e.Actor.ID
	}
	for _, addr := range to {
		err := m.sender.Send(ctx, mail.Message{
			To:      addr,
			Subject: "Aegis: " + e.Type,
			Text: fmt.Sprintf("%s happened in your Aegis account.\n\n%s %s\nby %s\nat %s (revision %d)\n\n"+
				"Your audit log has the details (aegis audit, or GET /api/v1/audit on %s).\n\n"+
				"Change which events email you in the notification settings.\n",
				e.Type, e.Aggregate, e.AggregateID, actor, e.OccurredAt.UTC().Format(time.RFC1123), e.Revision,
				m.publicURL),
		})
		if err != nil {
			return fmt.Errorf("send %s notification: %w", e.Type, err)
		}
	}
	return nil
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

func (m *Mailer) passwordReset(ctx context.Context, e schema.Event) error {
	var p schema.MemberPasswordResetRequested
	if err := e.Decode(&p); err != nil {
		return err
	}
	if !m.now().Before(p.ExpiresAt) {
		return nil
	}
	link := m.publicURL + "/reset-password?token=" + url.QueryEscape(passwordResetToken(m.masterKey, e.Customer, e.AggregateID, p.ResetID))
	err := m.sender.Send(ctx, mail.Message{
		To:      p.Email,
		Subject: "Reset your Aegis password",
		Text: fmt.Sprintf("Someone, hopefully you, asked to reset the password of the Aegis account of %s.\n\n"+
			"Choose a new password here:\n\n%s\n\n"+
			"The link works once, until %s. Resetting the password logs you out of the dashboard everywhere.\n"+
			"If you did not ask for this, ignore this email: your password stays as it is.\n",
			p.Email, link, p.ExpiresAt.UTC().Format(time.RFC1123)),
	})
	if err != nil {
		return fmt.Errorf("send password reset email: %w", err)
	}
	m.logger.Info("password reset email sent", "member", e.AggregateID, "revision", e.Revision)
	return nil
}

// passwordChanged tells the member their password was reset, whatever the
// customer's notification settings say: if it was not them, this is how
// they learn of it.
func (m *Mailer) passwordChanged(ctx context.Context, e schema.Event) error {
	var p schema.MemberPasswordReset
	if err := e.Decode(&p); err != nil {
		return err
	}
	err := m.sender.Send(ctx, mail.Message{
		To:      p.Email,
		Subject: "Your Aegis password was changed",
		Text: fmt.Sprintf("The password of the Aegis account of %s was changed at %s with a reset link sent to this address.\n"+
			"Every dashboard session was logged out; personal access tokens keep working.\n\n"+
			"If this was not you, get a new link at once at %s/reset-password, and revoke your personal access tokens.\n",
			p.Email, e.OccurredAt.UTC().Format(time.RFC1123), m.publicURL),
	})
	if err != nil {
		return fmt.Errorf("send password changed email: %w", err)
	}
	m.logger.Info("password changed email sent", "member", e.AggregateID, "revision", e.Revision)
	return nil
}
