package schema

import "time"

// Password resets: a member who forgot their password asks for a link by
// email and chooses a new password with it. Both events live on the
// member's subject, aegis.evt.<customer id>.member.<member id>.
const (
	EventMemberPasswordResetRequested = "member.password_reset_requested"
	EventMemberPasswordReset          = "member.password_reset"
)

// MemberPasswordResetRequested is the payload of
// member.password_reset_requested: a reset link was issued to Email. The
// token in the link is derived from ResetID with the master key; only its
// SHA-256 is kept here.
type MemberPasswordResetRequested struct {
	ResetID   string    `json:"reset_id"`
	Email     string    `json:"email"`
	TokenHash string    `json:"token_hash"`
	ExpiresAt time.Time `json:"expires_at"`
}

// MemberPasswordReset is the payload of member.password_reset: the member
// chose a new password with the link of reset ResetID. PasswordHash is an
// argon2id hash, never the password. Every reset link of the member still
// pending is used up with it, and every dashboard session the member had
// open ends; personal access tokens are not touched.
type MemberPasswordReset struct {
	ResetID      string `json:"reset_id"`
	Email        string `json:"email"`
	PasswordHash string `json:"password_hash"`
}

func init() {
	catalogTypes = append(catalogTypes, []EventType{
		{Name: EventMemberPasswordResetRequested, Version: 1, Doc: "A member asked for a password reset link (the token is derived, only its hash is kept)."},
		{Name: EventMemberPasswordReset, Version: 1, Doc: "A member chose a new password with a reset link; their pending links and open sessions ended with it."},
	})
}
