package readmodel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aegis-oss/aegis/schema"
)

// Profile is a member and their customer.
type Profile struct {
	MemberID      string    `json:"member_id"`
	Email         string    `json:"email"`
	Role          string    `json:"role"`
	EmailVerified bool      `json:"email_verified"`
	CustomerID    string    `json:"customer_id"`
	CompanyName   string    `json:"company_name"`
	Status        string    `json:"status"`
	JoinedAt      time.Time `json:"joined_at"`
}

// MemberProfile returns the member memberID of the customer tx is bound
// to. It returns a not-found *Error if there is none.
func MemberProfile(ctx context.Context, tx pgx.Tx, memberID string) (Profile, error) {
	var me Profile
	err := tx.QueryRow(ctx, `
		SELECT m.member_id, m.email, m.role, m.email_verified, c.customer_id, c.company_name, c.status, m.created_at
		FROM members m JOIN customers c USING (customer_id) WHERE m.member_id = $1`, memberID).
		Scan(&me.MemberID, &me.Email, &me.Role, &me.EmailVerified, &me.CustomerID, &me.CompanyName, &me.Status, &me.JoinedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return me, schema.Errorf(schema.CodeNotFound, "member not found")
	}
	if err != nil {
		return me, fmt.Errorf("me: %w", err)
	}
	return me, nil
}

// Token is a personal access token as listed: never its secret.
type Token struct {
	TokenID   string     `json:"token_id"`
	Name      string     `json:"name"`
	Prefix    string     `json:"prefix"`
	CreatedAt time.Time  `json:"created_at"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	RevokedAt *time.Time `json:"revoked_at,omitempty"`
}

// Tokens returns a member's access tokens, newest first, in the customer
// tx is bound to.
func Tokens(ctx context.Context, tx pgx.Tx, memberID string) ([]Token, error) {
	rows, err := tx.Query(ctx, `
		SELECT token_id, name, prefix, created_at, expires_at, revoked_at
		FROM access_tokens WHERE member_id = $1 ORDER BY created_at DESC, token_id DESC`, memberID)
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Token, error) {
		var t Token
		err := r.Scan(&t.TokenID, &t.Name, &t.Prefix, &t.CreatedAt, &t.ExpiresAt, &t.RevokedAt)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	return out, nil
}

// AuditEvent is one entry of a customer's audit log.
type AuditEvent struct {
	Revision    uint64          `json:"revision"`
	ID          string          `json:"id"`
	Type        string          `json:"type"`
	Aggregate   string          `json:"aggregate"`
	AggregateID string          `json:"aggregate_id"`
	Actor       schema.Actor    `json:"actor"`
	OccurredAt  time.Time       `json:"occurred_at"`
	Payload     json.RawMessage `json:"payload"`
}

// AuditFilter selects audit entries. Zero fields select everything.
type AuditFilter struct {
	Type, Aggregate, AggregateID, ActorID string
	Since, Until                          time.Time
	// Before continues a listing: only revisions below it (a cursor).
	Before uint64
	Limit  int
}

// Audit returns the audit entries of the customer tx is bound to, newest
// first, at most f.Limit of them.
func Audit(ctx context.Context, tx pgx.Tx, f AuditFilter) ([]AuditEvent, error) {
	q := `SELECT revision, id, type, aggregate, aggregate_id, actor_kind, actor_id, occurred_at, payload
		FROM audit_events WHERE true`
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		q += fmt.Sprintf(" AND "+cond, len(args))
	}
	if f.Type != "" {
		add("type = $%d", f.Type)
	}
	if f.Aggregate != "" {
		add("aggregate = $%d", f.Aggregate)
	}
	if f.AggregateID != "" {
		add("aggregate_id = $%d", f.AggregateID)
	}
	if f.ActorID != "" {
		add("actor_id = $%d", f.ActorID)
	}
	if !f.Since.IsZero() {
		add("occurred_at >= $%d", f.Since)
	}
	if !f.Until.IsZero() {
		add("occurred_at < $%d", f.Until)
	}
	if f.Before > 0 {
		add("revision < $%d", int64(f.Before))
	}
	args = append(args, f.Limit)
	q += fmt.Sprintf(" ORDER BY revision DESC LIMIT $%d", len(args))
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (AuditEvent, error) {
		var e AuditEvent
		var rev int64
		err := r.Scan(&rev, &e.ID, &e.Type, &e.Aggregate, &e.AggregateID, &e.Actor.Kind, &e.Actor.ID, &e.OccurredAt, &e.Payload)
		e.Revision = uint64(rev)
		e.Payload = redactHashes(e.Payload)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	return out, nil
}

// redactHashes removes password and token hashes and sealed secrets from
// a payload, at any depth: they are no secret in the clear, but nobody
// reading an audit log needs them.
func redactHashes(payload json.RawMessage) json.RawMessage {
	var v any
	if json.Unmarshal(payload, &v) != nil || !redact(v) {
		return payload
	}
	out, err := json.Marshal(v)
	if err != nil {
		return payload
	}
	return out
}

// redact deletes the hash and sealed fields of v in place and reports
// whether it deleted any.
func redact(v any) bool {
	changed := false
	switch t := v.(type) {
	case map[string]any:
		for k, sub := range t {
			if strings.HasSuffix(k, "_hash") || strings.HasSuffix(k, "_sealed") {
				delete(t, k)
				changed = true
			} else if redact(sub) {
				changed = true
			}
		}
	case []any:
		for _, sub := range t {
			if redact(sub) {
				changed = true
			}
		}
	}
	return changed
}

// Member is a member as listed.
type Member struct {
	MemberID      string    `json:"member_id"`
	Email         string    `json:"email"`
	Role          string    `json:"role"`
	Status        string    `json:"status" doc:"invited or active"`
	EmailVerified bool      `json:"email_verified"`
	CreatedAt     time.Time `json:"created_at"`
}

// Members returns the members of the customer tx is bound to, oldest
// first, invitations included.
func Members(ctx context.Context, tx pgx.Tx) ([]Member, error) {
	rows, err := tx.Query(ctx, `
		SELECT member_id, email, role, status, email_verified, created_at FROM members ORDER BY created_at, member_id`)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Member, error) {
		var m Member
		err := r.Scan(&m.MemberID, &m.Email, &m.Role, &m.Status, &m.EmailVerified, &m.CreatedAt)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	return out, nil
}
