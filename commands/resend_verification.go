package commands

import (
	"context"
	"errors"
	"time"

	"github.com/aegis-oss/aegis/schema"
)

// ResendVerification sends a new verification email to an unverified
// member.
type ResendVerification struct {
	Email string
}

// ResendVerification runs the ResendVerification command. It answers the
// same, with no revision, whether or not the email belongs to an
// unverified member and whether or not it sent an email, so that it
// reveals nothing: a member who was sent the most verification emails
// allowed in the last hour gets none.
func (s *Service) ResendVerification(ctx context.Context, c ResendVerification, m Meta) (Result, error) {
	email, err := normalizeEmail(c.Email)
	if err != nil {
		return Result{}, err
	}
	login, err := s.read.LoginByEmail(ctx, email)
	if errors.Is(err, schema.ErrNotFound) {
		return Result{}, nil
	}
	if err != nil {
		return Result{}, err
	}
	mem, err := s.loadMember(ctx, login.CustomerID, login.MemberID)
	if err != nil {
		return Result{}, err
	}
	if mem.verified {
		return Result{}, nil
	}
	if mem.issuedSince(s.now().Add(-time.Hour)) >= s.opts.VerificationsPerHour {
		return Result{}, nil
	}
	cmdID := m.commandID()
	if m.Actor.Kind == "" {
		m.Actor = schema.Actor{Kind: schema.ActorMember, ID: mem.id}
	}
	e, err := s.verificationEvent(mem.customerID, mem.id, mem.email, m, cmdID)
	if err != nil {
		return Result{}, err
	}
	_, err = s.appendTo(ctx, mem.revision, cmdID, e)
	return Result{}, err
}
