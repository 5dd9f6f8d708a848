package commands

import (
	"context"
	"errors"
	"time"

	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/schema"
)

// RequestPasswordReset sends a member who forgot their password a link to
// choose a new one.
type RequestPasswordReset struct {
	Email string
}

// conflictAttempts bounds how often a command that found its aggregate
// changed under it loads it again and decides again.
const conflictAttempts = 3

// passwordResetToken returns the token of a password reset link. It has
// the verification token's form, the ids in the clear and then a MAC of
// the reset id made with the master key, so that it is checked against
// the member's events alone; the MAC has its own context (see
// auth.PasswordResetToken), so a verification or invitation token is never
// a reset token.
func passwordResetToken(masterKey []byte, customerID, memberID, resetID string) string {
	return customerID + "." + memberID + "." + resetID + "." + auth.PasswordResetToken(masterKey, resetID)
}

// RequestPasswordReset runs the RequestPasswordReset command. It answers
// the same, with no revision, whatever it did, so that it reveals nothing
// about the address: only a verified member gets a link (an unverified
// one verifies first, with the verification email), and a member who was
// sent the most reset links allowed in the last hour gets none. It returns
// an invalid *Error only for a malformed address.
func (s *Service) RequestPasswordReset(ctx context.Context, c RequestPasswordReset, m Meta) (Result, error) {
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
	cmdID := m.commandID()
	// A login or a link used meanwhile moves the member on: decide again.
	// If it keeps moving, give up as quietly as for an unknown address.
	for range conflictAttempts {
		mem, err := s.loadMember(ctx, login.CustomerID, login.MemberID)
		if errors.Is(err, schema.ErrNotFound) {
			return Result{}, nil // removed since the read model saw it
		}
		if err != nil {
			return Result{}, err
		}
		if !mem.verified || countAfter(mem.resetsIssued, s.now().Add(-time.Hour)) >= s.opts.PasswordResetsPerHour {
			return Result{}, nil
		}
		if m.Actor.Kind == "" {
			m.Actor = schema.Actor{Kind: schema.ActorMember, ID: mem.id}
		}
		resetID := schema.NewID()
		e, err := newEvent(schema.EventMemberPasswordResetRequested, mem.customerID, schema.AggregateMember, mem.id, m, cmdID,
			schema.MemberPasswordResetRequested{
				ResetID:   resetID,
				Email:     mem.email,
				TokenHash: auth.HashSecret(passwordResetToken(s.keys.Master, mem.customerID, mem.id, resetID)),
				ExpiresAt: s.now().Add(s.opts.PasswordResetTTL).UTC(),
			})
		if err != nil {
			return Result{}, err
		}
		if _, err := s.appendTo(ctx, mem.revision, cmdID, e); !errors.Is(err, schema.ErrConflict) {
			return Result{}, err
		}
	}
	return Result{}, nil
}
