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
		schema.EventCustomerNotificationsSet,
		schema.EventMemberJoined,
		schema.EventMemberVerificationIssued,
		schema.EventMemberEmailVerified,
		schema.EventMemberLoggedIn,
		schema.EventMemberLoggedOut,
		schema.EventMemberTokenCreated,
		schema.EventMemberTokenRevoked,
		schema.EventMemberInvited,
		schema.EventMemberRoleChanged,
		schema.EventMemberRemoved,
		schema.EventMemberPasswordResetRequested,
		schema.EventMemberPasswordReset,
	}
}

// Tables implements Projection.
func (Accounts) Tables() []string {
	return []string{"customers", "members", "member_verifications", "sessions", "access_tokens"}
}

// Rows are created with Insert (COPY) where each is created once, by the
// first event of its aggregate (customers) or under an id the command
// minted for it (verifications, sessions, tokens). Members are written with
// statements: an invited member's row exists before member.joined and the
// owner's does not, so joining is an upsert. A member's email is unique
// because it is claimed before the member is invited or joins; removing the
// member deletes the row, which frees it. Changes are statements.
var (
	customerColumns = []string{
		"customer_id", "company_name", "status", "owner_id", "created_at", "suspended_reason", "revision",
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

	case schema.EventCustomerNotificationsSet:
		w.Exec(`UPDATE customers SET notifications = $2, revision = $3 WHERE customer_id = $1`,
			e.Customer, string(e.Payload), rev)

	case schema.EventMemberInvited:
		var p schema.MemberInvited
		if err := e.Decode(&p); err != nil {
			return err
		}
		w.Exec(`INSERT INTO members (member_id, customer_id, email, role, password_hash, email_verified,
			invited_by, status, invitation_id, invitation_expires_at, created_at, revision)
			VALUES ($1, $2, $3, $4, '', false, $5, 'invited', $6, $7, $8, $9)`,
			e.AggregateID, e.Customer, strings.ToLower(p.Email), p.Role, p.InvitedBy, p.InvitationID,
			p.ExpiresAt, e.OccurredAt, rev)

	case schema.EventMemberJoined:
		// The owner joins with no row yet; an invited member accepts into
		// the invitation's row, which keeps its created_at and invited_by.
		var p schema.MemberJoined
		if err := e.Decode(&p); err != nil {
			return err
		}
		w.Exec(`INSERT INTO members (member_id, customer_id, email, role, password_hash, email_verified,
			invited_by, status, created_at, revision)
			VALUES ($1, $2, $3, $4, $5, false, $6, 'active', $7, $8)
			ON CONFLICT (member_id) DO UPDATE SET role = EXCLUDED.role, password_hash = EXCLUDED.password_hash,
				status = 'active', invitation_id = '', invitation_expires_at = NULL, revision = EXCLUDED.revision`,
			e.AggregateID, e.Customer, strings.ToLower(p.Email), p.Role, p.PasswordHash, p.InvitedBy,
			e.OccurredAt, rev)

	case schema.EventMemberRoleChanged:
		var p schema.MemberRoleChanged
		if err := e.Decode(&p); err != nil {
			return err
		}
		w.Exec(`UPDATE members SET role = $2, revision = $3 WHERE member_id = $1`, e.AggregateID, p.Role, rev)

	case schema.EventMemberRemoved:
		// The row goes, freeing the email; the member's open sessions end
		// and their valid tokens are revoked with it.
		w.Exec(`DELETE FROM members WHERE member_id = $1 AND customer_id = $2`, e.AggregateID, e.Customer)
		w.Exec(`UPDATE sessions SET ended_at = $3, revision = $4
			WHERE customer_id = $1 AND member_id = $2 AND ended_at IS NULL`,
			e.Customer, e.AggregateID, e.OccurredAt, rev)
		w.Exec(`UPDATE access_tokens SET revoked_at = $3, revision = $4
			WHERE customer_id = $1 AND member_id = $2 AND revoked_at IS NULL`,
			e.Customer, e.AggregateID, e.OccurredAt, rev)

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

	case schema.EventMemberPasswordResetRequested:
		// Nothing to keep: the member's events decide on a reset link, and
		// the audit log records the request.

	case schema.EventMemberPasswordReset:
		// The new hash replaces the old one, and the member's open sessions
		// end; their tokens stay valid.
		var p schema.MemberPasswordReset
		if err := e.Decode(&p); err != nil {
			return err
		}
		w.Exec(`UPDATE members SET password_hash = $2, revision = $3 WHERE member_id = $1`,
			e.AggregateID, p.PasswordHash, rev)
		w.Exec(`UPDATE sessions SET ended_at = $3, revision = $4
			WHERE customer_id = $1 AND member_id = $2 AND ended_at IS NULL`,
			e.Customer, e.AggregateID, e.OccurredAt, rev)

	default:
		return fmt.Errorf("accounts: unexpected event type %q", e.Type)
	}
	return nil
}
