package readmodel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aegis-oss/aegis/schema"
)

// Login names the member with an email, found before anyone is
// authenticated.
type Login struct {
	MemberID   string
	CustomerID string
}

// LoginByEmail returns the active member with email (lowercase). It
// returns a not-found *Error if there is none.
func (s *Store) LoginByEmail(ctx context.Context, email string) (Login, error) {
	var l Login
	err := s.pool.QueryRow(ctx, `
		SELECT member_id, customer_id FROM members WHERE email = $1 AND status = 'active'`, email).
		Scan(&l.MemberID, &l.CustomerID)
	if errors.Is(err, pgx.ErrNoRows) {
		return l, schema.Errorf(schema.CodeNotFound, "no member with that email")
	}
	if err != nil {
		return l, fmt.Errorf("member by email: %w", err)
	}
	return l, nil
}

// Principal is who an authenticated request acts as.
type Principal struct {
	CustomerID string
	MemberID   string
	Role       string
	// Kind is schema.ActorMember for a dashboard session, schema.ActorToken
	// for a personal access token; ID is the session or token id.
	Kind string
	ID   string
}

// Actor returns the principal as an event actor: the member behind a
// session, or the token used.
func (p Principal) Actor() schema.Actor {
	if p.Kind == schema.ActorMember {
		return schema.Actor{Kind: schema.ActorMember, ID: p.MemberID}
	}
	return schema.Actor{Kind: p.Kind, ID: p.ID}
}

// SessionPrincipal returns who holds session sessionID, if the session is
// open and unexpired and its member and customer are in good standing. It
// returns an unauthorized *Error otherwise.
func (s *Store) SessionPrincipal(ctx context.Context, sessionID string, now time.Time) (Principal, error) {
	p := Principal{Kind: schema.ActorMember, ID: sessionID}
	err := s.pool.QueryRow(ctx, `
		SELECT s.customer_id, s.member_id, m.role
		FROM sessions s
		JOIN members m USING (member_id)
		JOIN customers c ON c.customer_id = s.customer_id
		WHERE s.session_id = $1 AND s.ended_at IS NULL AND s.expires_at > $2 AND c.status = 'active'`,
		sessionID, now).Scan(&p.CustomerID, &p.MemberID, &p.Role)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, schema.Errorf(schema.CodeUnauthorized, "session is invalid or expired")
	}
	if err != nil {
		return p, fmt.Errorf("session: %w", err)
	}
	return p, nil
}

// TokenPrincipal returns who holds the access token whose hash is hash, if
// the token is neither revoked nor expired and its member and customer are
// in good standing. It returns an unauthorized *Error otherwise.
func (s *Store) TokenPrincipal(ctx context.Context, hash string, now time.Time) (Principal, error) {
	p := Principal{Kind: schema.ActorToken}
	err := s.pool.QueryRow(ctx, `
		SELECT t.token_id, t.customer_id, t.member_id, m.role
		FROM access_tokens t
		JOIN members m USING (member_id)
		JOIN customers c ON c.customer_id = t.customer_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > $2)
		  AND c.status = 'active'`,
		hash, now).Scan(&p.ID, &p.CustomerID, &p.MemberID, &p.Role)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, schema.Errorf(schema.CodeUnauthorized, "access token is invalid, expired or revoked")
	}
	if err != nil {
		return p, fmt.Errorf("access token: %w", err)
	}
	return p, nil
}
