package projector

import (
	"context"
	"fmt"
	"strings"

	"github.com/aegis-oss/aegis/schema"
)

// Accounts is the read model of customers and their members: the
// customers, members, member_verifications, sessions and access_tokens
// tables, which the admin API reads under row-level security. Every row
// carries its customer and the revision of the event that last changed it.
type Accounts struct{}

// Name implements Projection.
func (Accounts) Name() string { return schema.ProjectionAccounts }

// Handles implements Projection: every customer and member event type.
func (Accounts) Handles() []string {
	return []string{
		schema.EventCustomerRegistered,
		schema.EventCustomerSuspended,
		schema.EventCustomerReactivated,
		schema.EventMemberJoined,
		schema.EventMemberVerificationIssued,
		schema.EventMemberEmailVerified,
		schema.EventMemberLoggedIn,
		schema.EventMemberLoggedOut,
		schema.EventMemberTokenCreated,
		schema.EventMemberTokenRevoked,
	}
}

// Tables implements Projection.
func (Accounts) Tables() []string {
	return []string{"customers", "members", "member_verifications", "sessions", "access_tokens"}
}

// Rows are created with Insert (COPY): each is created once, by the first
// event of its aggregate (customers, members) or under an id the command
// minted for it (verifications, sessions, tokens), and a member's email is
// unique because it is claimed before the member joins. Changes are
// statements.
var (
	customerColumns = []string{
		"customer_id", "company_name", "status", "owner_id", "created_at", "suspended_reason", "revision",
	}
	memberColumns = []string{
		"member_id", "customer_id", "email", "role", "password_hash", "email_verified", "invited_by",
		"created_at", "revision",
	}
	verificationColumns = []string{
		"verification_id", "customer_id", "member_id", "email", "token_hash", "expires_at", "issued_at",
		"revision",
	}
	sessionColumns = []string{
		"session_id", "customer_id", "member_id", "started_at", "expires_at", "ip", "user_agent", "revision",
	}
	tokenColumns = []string{
		"token_id", "customer_id", "member_id", "name", "token_hash", "prefix", "created_at", "expires_at",
		"revision",
	}
)

// Apply implements Projection. It returns an error if the payload does not
// decode.
func (Accounts) Apply(_ context.Context, w *Writer, e schema.Event) error {
	rev := int64(e.Revision)
	switch e.Type {
	case schema.EventCustomerRegistered:
		var p schema.CustomerRegistered
		if err := e.Decode(&p); err != nil {
			return err
		}
		w.Insert("customers", customerColumns,
			e.Customer, p.CompanyName, "active", p.OwnerID, e.OccurredAt, "", rev)

	case schema.EventCustomerSuspended:
		var p schema.CustomerSuspended
		if err := e.Decode(&p); err != nil {
			return err
		}
		w.Exec(`UPDATE customers SET status = 'suspended', suspended_reason = $2, revision = $3
			WHERE customer_id = $1`, e.Customer, p.Reason, rev)

	case schema.EventCustomerReactivated:
		w.Exec(`UPDATE customers SET status = 'active', suspended_reason = '', revision = $2
			WHERE customer_id = $1`, e.Customer, rev)

	case schema.EventMemberJoined:
		var p schema.MemberJoined
		if err := e.Decode(&p); err != nil {
			return err
		}
		w.Insert("members", memberColumns,
			e.AggregateID, e.Customer, strings.ToLower(p.Email), p.Role, p.PasswordHash, false, p.InvitedBy,
			e.OccurredAt, rev)

	case schema.EventMemberVerificationIssued:
		var p schema.MemberVerificationIssued
		if err := e.Decode(&p); err != nil {
			return err
		}
		w.Insert("member_verifications", verificationColumns,
			p.VerificationID, e.Customer, e.AggregateID, strings.ToLower(p.Email), p.TokenHash, p.ExpiresAt,
			e.OccurredAt, rev)

	case schema.EventMemberEmailVerified:
		var p schema.MemberEmailVerified
		if err := e.Decode(&p); err != nil {
			return err
		}
		w.Exec(`UPDATE members SET email_verified = true, revision = $2 WHERE member_id = $1`,
			e.AggregateID, rev)
		w.Exec(`UPDATE member_verifications SET used_at = $3, revision = $4
			WHERE verification_id = $1 AND member_id = $2`, p.VerificationID, e.AggregateID, e.OccurredAt, rev)

	case schema.EventMemberLoggedIn:
		var p schema.MemberLoggedIn
		if err := e.Decode(&p); err != nil {
			return err
		}
		w.Insert("sessions", sessionColumns,
			p.SessionID, e.Customer, e.AggregateID, e.OccurredAt, p.ExpiresAt, p.IP, p.UserAgent, rev)

	case schema.EventMemberLoggedOut:
		var p schema.MemberLoggedOut
		if err := e.Decode(&p); err != nil {
			return err
		}
		w.Exec(`UPDATE sessions SET ended_at = $3, revision = $4 WHERE session_id = $1 AND member_id = $2`,
			p.SessionID, e.AggregateID, e.OccurredAt, rev)

	case schema.EventMemberTokenCreated:
		var p schema.MemberTokenCreated
		if err := e.Decode(&p); err != nil {
			return err
		}
		w.Insert("access_tokens", tokenColumns,
			p.TokenID, e.Customer, e.AggregateID, p.Name, p.TokenHash, p.Prefix, e.OccurredAt, p.ExpiresAt, rev)

	case schema.EventMemberTokenRevoked:
		var p schema.MemberTokenRevoked
		if err := e.Decode(&p); err != nil {
			return err
		}
		w.Exec(`UPDATE access_tokens SET revoked_at = $3, revision = $4 WHERE token_id = $1 AND member_id = $2`,
			p.TokenID, e.AggregateID, e.OccurredAt, rev)

	default:
		return fmt.Errorf("accounts: unexpected event type %q", e.Type)
	}
	return nil
}
