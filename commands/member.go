package commands

import (
	"context"
	"time"

	"github.com/aegis-oss/aegis/schema"
)

// member is the state of one member, rebuilt from its events.
type member struct {
	id, customerID string
	exists         bool // joined and not removed
	invited        bool // invited, not yet joined
	removed        bool
	invitation     verification
	invitationID   string
	email, role    string
	passwordHash   string
	verified       bool
	verifications  map[string]verification
	issued         []time.Time // when each verification was issued
	resets         map[string]verification
	resetsIssued   []time.Time // when each password reset was requested
	sessions       map[string]bool
	tokens         map[string]bool // token id → still valid
	revision       uint64
}

type verification struct {
	expiresAt time.Time
	used      bool
}

func (m *member) apply(e schema.Event) error {
	m.revision = e.Revision
	switch e.Type {
	case schema.EventMemberInvited:
		var p schema.MemberInvited
		if err := e.Decode(&p); err != nil {
			return err
		}
		m.invited, m.email, m.role = true, p.Email, p.Role
		m.invitationID, m.invitation = p.InvitationID, verification{expiresAt: p.ExpiresAt}
	case schema.EventMemberJoined:
		var p schema.MemberJoined
		if err := e.Decode(&p); err != nil {
			return err
		}
		m.exists, m.invited, m.email, m.role, m.passwordHash = true, false, p.Email, p.Role, p.PasswordHash
		m.invitation.used = true
	case schema.EventMemberRoleChanged:
		var p schema.MemberRoleChanged
		if err := e.Decode(&p); err != nil {
			return err
		}
		m.role = p.Role
	case schema.EventMemberRemoved:
		m.exists, m.invited, m.removed = false, false, true
	case schema.EventMemberVerificationIssued:
		var p schema.MemberVerificationIssued
		if err := e.Decode(&p); err != nil {
			return err
		}
		m.verifications[p.VerificationID] = verification{expiresAt: p.ExpiresAt}
		m.issued = append(m.issued, e.OccurredAt)
	case schema.EventMemberEmailVerified:
		var p schema.MemberEmailVerified
		if err := e.Decode(&p); err != nil {
			return err
		}
		v := m.verifications[p.VerificationID]
		v.used = true
		m.verifications[p.VerificationID] = v
		m.verified = true
	case schema.EventMemberLoggedIn:
		var p schema.MemberLoggedIn
		if err := e.Decode(&p); err != nil {
			return err
		}
		m.sessions[p.SessionID] = true
	case schema.EventMemberLoggedOut:
		var p schema.MemberLoggedOut
		if err := e.Decode(&p); err != nil {
			return err
		}
		m.sessions[p.SessionID] = false
	case schema.EventMemberTokenCreated:
		var p schema.MemberTokenCreated
		if err := e.Decode(&p); err != nil {
			return err
		}
		m.tokens[p.TokenID] = true
	case schema.EventMemberTokenRevoked:
		var p schema.MemberTokenRevoked
		if err := e.Decode(&p); err != nil {
			return err
		}
		m.tokens[p.TokenID] = false
	case schema.EventMemberPasswordResetRequested:
		var p schema.MemberPasswordResetRequested
		if err := e.Decode(&p); err != nil {
			return err
		}
		m.resets[p.ResetID] = verification{expiresAt: p.ExpiresAt}
		m.resetsIssued = append(m.resetsIssued, e.OccurredAt)
	case schema.EventMemberPasswordReset:
		var p schema.MemberPasswordReset
		if err := e.Decode(&p); err != nil {
			return err
		}
		m.passwordHash = p.PasswordHash
		for id, r := range m.resets { // one reset uses up every pending link
			r.used = true
			m.resets[id] = r
		}
		for id := range m.sessions {
			m.sessions[id] = false
		}
	}
	return nil
}

// loadMember returns a member's state at its latest revision. It returns a
// not-found *Error if the member does not exist (an invited member who has
// not joined yet, or one removed, does not).
func (s *Service) loadMember(ctx context.Context, customerID, memberID string) (*member, error) {
	m, err := s.loadMemberState(ctx, customerID, memberID)
	if err != nil {
		return nil, err
	}
	if !m.exists {
		return nil, schema.Errorf(schema.CodeNotFound, "member not found")
	}
	return m, nil
}

// loadMemberState returns a member's state, whatever it is.
func (s *Service) loadMemberState(ctx context.Context, customerID, memberID string) (*member, error) {
	if _, err := schema.ParseID(memberID); err != nil {
		return nil, schema.Errorf(schema.CodeNotFound, "member not found")
	}
	events, _, err := s.log.Load(ctx, customerID, schema.AggregateMember, memberID)
	if err != nil {
		return nil, err
	}
	m := &member{id: memberID, customerID: customerID,
		verifications: map[string]verification{}, resets: map[string]verification{},
		sessions: map[string]bool{}, tokens: map[string]bool{}}
	for _, e := range events {
		if err := m.apply(e); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// issuedSince counts the verifications issued after t.
func (m *member) issuedSince(t time.Time) int {
	return countAfter(m.issued, t)
}

// countAfter counts the times after t.
func countAfter(times []time.Time, t time.Time) int {
	n := 0
	for _, at := range times {
		if at.After(t) {
			n++
		}
	}
	return n
}
