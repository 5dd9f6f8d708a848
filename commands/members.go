package commands

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/schema"
)

// invitationTTL is how long an invitation link works.
const invitationTTL = 7 * 24 * time.Hour

// Inviter is the member who sends a command about other members.
type Inviter struct {
	CustomerID, MemberID, Role string
}

// Invited is the outcome of InviteMember.
type Invited struct {
	Result
	MemberID string `json:"member_id"`
}

var roles = []string{schema.RoleOwner, schema.RoleAdmin, schema.RoleDeveloper, schema.RoleViewer}

func checkRole(role string, by Inviter) error {
	switch {
	case !slices.Contains(roles, role):
		return schema.Errorf(schema.CodeInvalid, "role must be owner, admin, developer or viewer")
	case role == schema.RoleOwner && by.Role != schema.RoleOwner:
		return schema.Errorf(schema.CodeForbidden, "only an owner can make someone an owner")
	}
	return nil
}

// InviteMember invites a person by email to join the inviter's customer
// with a role; they get an email with a link to accept. The email is
// claimed platform-wide, like at registration. It returns a conflict
// *Error if the email belongs to an account already.
func (s *Service) InviteMember(ctx context.Context, by Inviter, email, role string, m Meta) (Invited, error) {
	email, err := normalizeEmail(email)
	if err != nil {
		return Invited{}, err
	}
	if err := checkRole(role, by); err != nil {
		return Invited{}, err
	}
	cmdID := m.commandID()
	memberID := schema.NewID()
	owner := "member:" + by.CustomerID + ":" + memberID
	if _, err := s.log.Claim(ctx, schema.ClaimEmail, email, owner, m.Actor, cmdID); err != nil {
		if !errors.Is(err, schema.ErrConflict) {
			return Invited{}, err
		}
		h, herr := s.log.Holder(ctx, schema.ClaimEmail, email)
		if herr != nil {
			return Invited{}, herr
		}
		if h.CommandID != cmdID {
			return Invited{}, schema.Errorf(schema.CodeConflict, "%s already has an account or an invitation", email)
		}
		memberID = h.Owner[strings.LastIndexByte(h.Owner, ':')+1:]
	}
	invitationID := schema.NewID()
	e, err := newEvent(schema.EventMemberInvited, by.CustomerID, schema.AggregateMember, memberID, m, cmdID, schema.MemberInvited{
		Email: email, Role: role, InvitationID: invitationID,
		TokenHash: auth.HashSecret(verificationToken(s.keys.Master, by.CustomerID, memberID, invitationID)),
		ExpiresAt: s.now().Add(invitationTTL).UTC(), InvitedBy: by.MemberID,
	})
	if err != nil {
		return Invited{}, err
	}
	res, err := s.appendTo(ctx, 0, cmdID, e)
	if err != nil {
		return Invited{}, err
	}
	return Invited{Result: res, MemberID: memberID}, nil
}

// errBadInvitation is the one answer for an invitation token that is
// unknown, expired or used.
var errBadInvitation = schema.Errorf(schema.CodeInvalid, "this invitation link is invalid, expired or already used")

// AcceptInvitation lets an invited person join with the token from their
// invitation email and a password of their choosing. Following the link
// proves they own the email. It returns an invalid *Error for a bad token
// or password.
func (s *Service) AcceptInvitation(ctx context.Context, token, password string, m Meta) (Invited, error) {
	customerID, memberID, invitationID, ok := parseVerificationToken(token)
	if !ok {
		return Invited{}, errBadInvitation
	}
	mem, err := s.loadMemberState(ctx, customerID, memberID)
	if err != nil {
		return Invited{}, err
	}
	if !mem.invited || mem.invitationID != invitationID || mem.invitation.used || !s.now().Before(mem.invitation.expiresAt) ||
		!auth.VerifyTokenMatches(token, auth.HashSecret(verificationToken(s.keys.Master, customerID, memberID, invitationID))) {
		return Invited{}, errBadInvitation
	}
	if err := auth.ValidatePassword(password, mem.email); err != nil {
		return Invited{}, err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return Invited{}, err
	}
	cmdID := m.commandID()
	m.Actor = schema.Actor{Kind: schema.ActorMember, ID: memberID}
	joined, err := newEvent(schema.EventMemberJoined, customerID, schema.AggregateMember, memberID, m, cmdID,
		schema.MemberJoined{Email: mem.email, Role: mem.role, PasswordHash: hash, InvitedBy: "invitation:" + invitationID})
	if err != nil {
		return Invited{}, err
	}
	verified, err := newEvent(schema.EventMemberEmailVerified, customerID, schema.AggregateMember, memberID, m, cmdID,
		schema.MemberEmailVerified{VerificationID: invitationID})
	if err != nil {
		return Invited{}, err
	}
	res, err := s.appendTo(ctx, mem.revision, cmdID, joined, verified)
	if errors.Is(err, schema.ErrConflict) {
		return Invited{}, errBadInvitation // accepted by a concurrent request
	}
	if err != nil {
		return Invited{}, err
	}
	return Invited{Result: res, MemberID: memberID}, nil
}

// ChangeRole gives a member another role. Only an owner can grant the
// owner role or change an owner's role, and nobody changes their own. It
// returns a not-found *Error for an unknown member.
func (s *Service) ChangeRole(ctx context.Context, by Inviter, memberID, role string, m Meta) (Result, error) {
	if err := checkRole(role, by); err != nil {
		return Result{}, err
	}
	if memberID == by.MemberID {
		return Result{}, schema.Errorf(schema.CodeForbidden, "you cannot change your own role")
	}
	mem, err := s.loadMemberState(ctx, by.CustomerID, memberID)
	if err != nil {
		return Result{}, err
	}
	if !mem.exists && !mem.invited {
		return Result{}, schema.Errorf(schema.CodeNotFound, "member not found")
	}
	if mem.role == schema.RoleOwner && by.Role != schema.RoleOwner {
		return Result{}, schema.Errorf(schema.CodeForbidden, "only an owner can change an owner's role")
	}
	if mem.role == role {
		return Result{Revision: mem.revision}, nil
	}
	cmdID := m.commandID()
	e, err := newEvent(schema.EventMemberRoleChanged, by.CustomerID, schema.AggregateMember, memberID, m, cmdID,
		schema.MemberRoleChanged{Role: role, Previous: mem.role})
	if err != nil {
		return Result{}, err
	}
	return s.appendTo(ctx, mem.revision, cmdID, e)
}

// RemoveMember removes a member (or withdraws an invitation): their
// sessions and tokens stop working and their email is free again. Only an
// owner removes an owner, and owners cannot remove themselves, so a
// customer always keeps one. It returns a not-found *Error for an unknown
// member.
func (s *Service) RemoveMember(ctx context.Context, by Inviter, memberID string, m Meta) (Result, error) {
	mem, err := s.loadMemberState(ctx, by.CustomerID, memberID)
	if err != nil {
		return Result{}, err
	}
	if !mem.exists && !mem.invited {
		return Result{}, schema.Errorf(schema.CodeNotFound, "member not found")
	}
	switch {
	case mem.role == schema.RoleOwner && by.Role != schema.RoleOwner:
		return Result{}, schema.Errorf(schema.CodeForbidden, "only an owner can remove an owner")
	case mem.role == schema.RoleOwner && memberID == by.MemberID:
		return Result{}, schema.Errorf(schema.CodeForbidden, "an owner cannot remove themselves; make someone else owner first")
	}
	cmdID := m.commandID()
	e, err := newEvent(schema.EventMemberRemoved, by.CustomerID, schema.AggregateMember, memberID, m, cmdID, schema.MemberRemoved{Email: mem.email})
	if err != nil {
		return Result{}, err
	}
	res, err := s.appendTo(ctx, mem.revision, cmdID, e)
	if err != nil {
		return Result{}, err
	}
	owner := "member:" + by.CustomerID + ":" + memberID
	if _, err := s.log.Release(context.WithoutCancel(ctx), schema.ClaimEmail, mem.email, owner, m.Actor, cmdID); err != nil {
		return res, fmt.Errorf("member removed, but their email stays taken: %w", err)
	}
	return res, nil
}
