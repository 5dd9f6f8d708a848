package commands

import (
	"context"
	"errors"

	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/schema"
)

// Login opens a dashboard session.
type Login struct {
	Email    string
	Password string
}

// Session is an open dashboard session.
type Session struct {
	Result
	// Token is the signed session, for the session cookie.
	Token      string `json:"-"`
	SessionID  string `json:"session_id"`
	MemberID   string `json:"member_id"`
	CustomerID string `json:"customer_id"`
	Role       string `json:"role"`
}

// errBadLogin is the one answer for an unknown email and a wrong password.
var errBadLogin = schema.Errorf(schema.CodeUnauthorized, "email or password is wrong")

// Login runs the Login command. The read model finds the member by email;
// their events and their customer's decide. An unknown email and a wrong
// password get the same answer in the same time. It returns a forbidden *Error for a
// member whose email is not verified yet or whose customer is suspended,
// told only to whoever knows the password.
func (s *Service) Login(ctx context.Context, c Login, m Meta) (Session, error) {
	email, err := normalizeEmail(c.Email)
	if err != nil {
		auth.DummyCheck(c.Password)
		return Session{}, errBadLogin
	}
	// The read model only finds the member; their events decide.
	login, err := s.read.LoginByEmail(ctx, email)
	if errors.Is(err, schema.ErrNotFound) {
		auth.DummyCheck(c.Password)
		return Session{}, errBadLogin
	}
	if err != nil {
		return Session{}, err
	}
	mem, err := s.loadMember(ctx, login.CustomerID, login.MemberID)
	if errors.Is(err, schema.ErrNotFound) {
		auth.DummyCheck(c.Password)
		return Session{}, errBadLogin
	}
	if err != nil {
		return Session{}, err
	}
	ok, err := auth.CheckPassword(mem.passwordHash, c.Password)
	if err != nil {
		return Session{}, err
	}
	if !ok {
		return Session{}, errBadLogin
	}
	cust, err := s.loadCustomer(ctx, mem.customerID)
	if err != nil {
		return Session{}, err
	}
	switch {
	case !mem.verified:
		return Session{}, schema.Errorf(schema.CodeForbidden, "verify your email address first: follow the link we sent you")
	case cust.suspended:
		return Session{}, schema.Errorf(schema.CodeForbidden, "this account is suspended")
	}
	sessionID := schema.NewID()
	expires := s.now().Add(s.opts.SessionTTL).UTC()
	token, err := auth.SignSession(s.keys.Session, auth.SessionClaims{
		SessionID: sessionID, MemberID: mem.id, CustomerID: mem.customerID, Role: mem.role, ExpiresAt: expires,
	})
	if err != nil {
		return Session{}, err
	}
	cmdID := m.commandID()
	m.Actor = schema.Actor{Kind: schema.ActorMember, ID: mem.id}
	e, err := newEvent(schema.EventMemberLoggedIn, mem.customerID, schema.AggregateMember, mem.id, m, cmdID,
		schema.MemberLoggedIn{SessionID: sessionID, ExpiresAt: expires, IP: m.IP, UserAgent: truncate(m.UserAgent, 256)})
	if err != nil {
		return Session{}, err
	}
	res, err := s.appendSecret(ctx, mem.revision, cmdID, e)
	if err != nil {
		return Session{}, err
	}
	return Session{Result: res, Token: token, SessionID: sessionID, MemberID: mem.id, CustomerID: mem.customerID, Role: mem.role}, nil
}

// Logout ends the session the command is sent with.
func (s *Service) Logout(ctx context.Context, customerID, memberID, sessionID string, m Meta) (Result, error) {
	mem, err := s.loadMember(ctx, customerID, memberID)
	if err != nil {
		return Result{}, err
	}
	if !mem.sessions[sessionID] {
		return Result{Revision: mem.revision}, nil // already ended
	}
	cmdID := m.commandID()
	e, err := newEvent(schema.EventMemberLoggedOut, mem.customerID, schema.AggregateMember, mem.id, m, cmdID,
		schema.MemberLoggedOut{SessionID: sessionID})
	if err != nil {
		return Result{}, err
	}
	return s.appendTo(ctx, mem.revision, cmdID, e)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n]
}
