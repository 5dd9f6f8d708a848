package commands

import (
	"context"
	"errors"
	"strings"

	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/schema"
)

// VerifyEmail proves a member owns their email with the token from the
// verification email.
type VerifyEmail struct {
	Token string
}

// verificationToken returns the token of a verification link: the ids it
// is about, in the clear, and a MAC of the verification id made with the
// master key. The ids let it be checked against the member's events alone,
// with no read model that might lag behind the email; only the MAC is
// secret, and only its hash is ever stored.
func verificationToken(masterKey []byte, customerID, memberID, verificationID string) string {
	return customerID + "." + memberID + "." + verificationID + "." + auth.VerificationToken(masterKey, verificationID)
}

// parseVerificationToken splits a verification token into its ids.
func parseVerificationToken(token string) (customerID, memberID, verificationID string, ok bool) {
	parts := strings.Split(token, ".")
	if len(token) > 256 || len(parts) != 4 {
		return "", "", "", false
	}
	for _, id := range parts[:3] {
		if _, err := schema.ParseID(id); err != nil {
			return "", "", "", false
		}
	}
	return parts[0], parts[1], parts[2], true
}

// errBadVerification is the one answer for a token that is unknown,
// expired or used: which of them it was is nobody's business.
var errBadVerification = schema.Errorf(schema.CodeInvalid, "this verification link is invalid, expired or already used")

// VerifyEmail runs the VerifyEmail command. A token works once, before it
// expires; the member aggregate, not the read model, decides, so two
// concurrent uses of one token cannot both succeed. It returns an invalid
// *Error for a bad token.
func (s *Service) VerifyEmail(ctx context.Context, c VerifyEmail, m Meta) (Result, error) {
	customerID, memberID, vid, ok := parseVerificationToken(c.Token)
	if !ok {
		return Result{}, errBadVerification
	}
	mem, err := s.loadMember(ctx, customerID, memberID)
	if errors.Is(err, schema.ErrNotFound) {
		return Result{}, errBadVerification
	}
	if err != nil {
		return Result{}, err
	}
	state, ok := mem.verifications[vid]
	if !ok || state.used || !s.now().Before(state.expiresAt) ||
		!auth.VerifyTokenMatches(c.Token, auth.HashSecret(verificationToken(s.keys.Master, customerID, memberID, vid))) {
		return Result{}, errBadVerification
	}
	cmdID := m.commandID()
	if m.Actor.Kind == "" {
		m.Actor = schema.Actor{Kind: schema.ActorMember, ID: mem.id}
	}
	e, err := newEvent(schema.EventMemberEmailVerified, mem.customerID, schema.AggregateMember, mem.id, m, cmdID,
		schema.MemberEmailVerified{VerificationID: vid})
	if err != nil {
		return Result{}, err
	}
	res, err := s.appendTo(ctx, mem.revision, cmdID, e)
	if errors.Is(err, schema.ErrConflict) {
		return Result{}, errBadVerification // used by a concurrent request
	}
	return res, err
}
