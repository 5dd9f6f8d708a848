package commands

import (
	"context"
	"errors"

	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/schema"
)

// ResetPassword sets a new password with the token of a password reset
// link.
type ResetPassword struct {
	Token    string
	Password string
}

// errBadReset is the one answer for a reset token that is unknown,
// expired or used, as for verification links.
var errBadReset = schema.Errorf(schema.CodeInvalid, "this password reset link is invalid, expired or already used")

// ResetPassword runs the ResetPassword command. A link works once, before
// it expires, and using one uses up every other link of the member still
// pending. The member aggregate decides, not the read model, so a link
// works as soon as it is mailed and two uses of one link cannot both
// succeed. The new password follows the registration's rules. The event
// ends every dashboard session of the member; personal access tokens stay
// valid (a member who fears they leaked revokes them). It returns an
// invalid *Error for a bad token or password.
func (s *Service) ResetPassword(ctx context.Context, c ResetPassword, m Meta) (Result, error) {
	customerID, memberID, resetID, ok := parseVerificationToken(c.Token)
	if !ok {
		return Result{}, errBadReset
	}
	mem, err := s.loadResettable(ctx, customerID, memberID, resetID, c.Token)
	if err != nil {
		return Result{}, err
	}
	if err := auth.ValidatePassword(c.Password, mem.email); err != nil {
		return Result{}, err
	}
	hash, err := auth.HashPassword(c.Password)
	if err != nil {
		return Result{}, err
	}
	cmdID := m.commandID()
	if m.Actor.Kind == "" {
		m.Actor = schema.Actor{Kind: schema.ActorMember, ID: mem.id}
	}
	e, err := newEvent(schema.EventMemberPasswordReset, mem.customerID, schema.AggregateMember, mem.id, m, cmdID,
		schema.MemberPasswordReset{ResetID: resetID, Email: mem.email, PasswordHash: hash})
	if err != nil {
		return Result{}, err
	}
	for attempt := 1; ; attempt++ {
		res, err := s.appendTo(ctx, mem.revision, cmdID, e)
		if !errors.Is(err, schema.ErrConflict) {
			return res, err
		}
		if attempt == conflictAttempts {
			return Result{}, err
		}
		// The member moved on (a login, this link used by a concurrent
		// request): decide again on what they are now.
		if mem, err = s.loadResettable(ctx, customerID, memberID, resetID, c.Token); err != nil {
			return Result{}, err
		}
	}
}

// loadResettable returns the member a reset token is about, if the token
// names a reset of theirs that is pending, unexpired and matches. It
// returns errBadReset otherwise.
func (s *Service) loadResettable(ctx context.Context, customerID, memberID, resetID, token string) (*member, error) {
	mem, err := s.loadMember(ctx, customerID, memberID)
	if errors.Is(err, schema.ErrNotFound) {
		return nil, errBadReset
	}
	if err != nil {
		return nil, err
	}
	r, ok := mem.resets[resetID]
	if !ok || r.used || !s.now().Before(r.expiresAt) ||
		!auth.VerifyTokenMatches(token, auth.HashSecret(passwordResetToken(s.keys.Master, customerID, memberID, resetID))) {
		return nil, errBadReset
	}
	return mem, nil
}
