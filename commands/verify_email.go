package commands

import (
	"context"
	"errors"

	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/schema"
)

// VerifyEmail proves a member owns their email with the token from the
// verification email.
type VerifyEmail struct {
	Token string
}

// errBadVerification is the one answer for a token that is unknown,
// expired or used: which of them it was is nobody's business.
var errBadVerification = schema.Errorf(schema.CodeInvalid, "this verification link is invalid, expired or already used")

// VerifyEmail runs the VerifyEmail command. A token works once, before it
// expires; the member aggregate, not the read model, decides, so two
// concurrent uses of one token cannot both succeed. It returns an invalid
// *Error for a bad token.
func (s *Service) VerifyEmail(ctx context.Context, c VerifyEmail, m Meta) (Result, error) {
	if c.Token == "" || len(c.Token) > 128 {
		return Result{}, errBadVerification
	}
	v, err := s.read.VerificationByTokenHash(ctx, auth.HashSecret(c.Token))
	if errors.Is(err, schema.ErrNotFound) {
		return Result{}, errBadVerification
	}
	if err != nil {
		return Result{}, err
	}
	mem, err := s.loadMember(ctx, v.CustomerID, v.MemberID)
	if err != nil {
		return Result{}, err
	}
	state, ok := mem.verifications[v.VerificationID]
	if !ok || state.used || !s.now().Before(state.expiresAt) ||
		!auth.VerifyTokenMatches(c.Token, auth.HashSecret(auth.VerificationToken(s.keys.Master, v.VerificationID))) {
		return Result{}, errBadVerification
	}
	cmdID := m.commandID()
	if m.Actor.Kind == "" {
		m.Actor = schema.Actor{Kind: schema.ActorMember, ID: mem.id}
	}
	e, err := newEvent(schema.EventMemberEmailVerified, mem.customerID, schema.AggregateMember, mem.id, m, cmdID,
		schema.MemberEmailVerified{VerificationID: v.VerificationID})
	if err != nil {
		return Result{}, err
	}
	res, err := s.appendTo(ctx, mem.revision, cmdID, e)
	if errors.Is(err, schema.ErrConflict) {
		return Result{}, errBadVerification // used by a concurrent request
	}
	return res, err
}
