package schema

import "time"

// Customers: a SaaS company with an account. Its events live on
// aegis.evt.<customer id>.customer.<customer id>.
const (
	AggregateCustomer = "customer"

	EventCustomerRegistered  = "customer.registered"
	EventCustomerSuspended   = "customer.suspended"
	EventCustomerReactivated = "customer.reactivated"

	EventCustomerNotificationsSet = "customer.notifications_set"
)

// NotificationSettings says which events email whom: for each rule, every
// member holding one of Roles gets an email when an event of EventType
// happens in the customer's account.
type NotificationSettings struct {
	Rules []NotificationRule `json:"rules"`
}

// NotificationRule is one line of NotificationSettings.
type NotificationRule struct {
	EventType string   `json:"event_type"`
	Roles     []string `json:"roles"`
}

// NotifiableEvents are the event types a customer can be emailed about.
var NotifiableEvents = []string{
	EventAppCreated, EventAppUpdated, EventAppDeleted,
	EventAPIKeyCreated, EventAPIKeyRotated, EventAPIKeyRevoked,
	EventMemberInvited, EventMemberJoined, EventMemberRoleChanged, EventMemberRemoved,
	EventCustomerSuspended, EventCustomerReactivated,
}

// CustomerRegistered is the payload of customer.registered: a company
// signed up. Its owner joins in the member.joined event that follows.
type CustomerRegistered struct {
	CompanyName string `json:"company_name"`
	OwnerID     string `json:"owner_id"`
}

// CustomerSuspended is the payload of customer.suspended: a platform
// admin stopped the customer's access (dashboard, API and gateway).
type CustomerSuspended struct {
	Reason string `json:"reason,omitempty"`
}

// CustomerReactivated is the payload of customer.reactivated.
type CustomerReactivated struct{}

// Members: people of a customer who log in to the dashboard. Their events
// live on aegis.evt.<customer id>.member.<member id>.
const (
	AggregateMember = "member"

	EventMemberJoined             = "member.joined"
	EventMemberVerificationIssued = "member.verification_issued"
	EventMemberEmailVerified      = "member.email_verified"
	EventMemberLoggedIn           = "member.logged_in"
	EventMemberLoggedOut          = "member.logged_out"
	EventMemberTokenCreated       = "member.token_created"
	EventMemberTokenRevoked       = "member.token_revoked"
	EventMemberInvited            = "member.invited"
	EventMemberRoleChanged        = "member.role_changed"
	EventMemberRemoved            = "member.removed"
)

// Member roles, from most to least powerful.
const (
	RoleOwner     = "owner"
	RoleAdmin     = "admin"
	RoleDeveloper = "developer"
	RoleViewer    = "viewer"
)

// MemberJoined is the payload of member.joined. PasswordHash is an
// argon2id hash, never the password.
type MemberJoined struct {
	Email        string `json:"email"`
	Role         string `json:"role"`
	PasswordHash string `json:"password_hash"`
	// InvitedBy is the member who invited this one; empty for the owner
	// who registered the customer.
	InvitedBy string `json:"invited_by,omitempty"`
}

// MemberVerificationIssued is the payload of member.verification_issued:
// an email verification was sent. The token in the email is derived from
// VerificationID with the master key; only its SHA-256 is kept here.
type MemberVerificationIssued struct {
	VerificationID string    `json:"verification_id"`
	Email          string    `json:"email"`
	TokenHash      string    `json:"token_hash"`
	ExpiresAt      time.Time `json:"expires_at"`
}

// MemberEmailVerified is the payload of member.email_verified.
type MemberEmailVerified struct {
	VerificationID string `json:"verification_id"`
}

// MemberLoggedIn is the payload of member.logged_in: a dashboard session
// began.
type MemberLoggedIn struct {
	SessionID string    `json:"session_id"`
	ExpiresAt time.Time `json:"expires_at"`
	IP        string    `json:"ip,omitempty"`
	UserAgent string    `json:"user_agent,omitempty"`
}

// MemberLoggedOut is the payload of member.logged_out: the session ended.
type MemberLoggedOut struct {
	SessionID string `json:"session_id"`
}

// MemberTokenCreated is the payload of member.token_created: a personal
// access token for the CLI and scripts. Only the SHA-256 of the token is
// kept; Prefix is its first characters, for recognising it in lists.
type MemberTokenCreated struct {
	TokenID   string     `json:"token_id"`
	Name      string     `json:"name"`
	TokenHash string     `json:"token_hash"`
	Prefix    string     `json:"prefix"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

// MemberTokenRevoked is the payload of member.token_revoked.
type MemberTokenRevoked struct {
	TokenID string `json:"token_id"`
}

// MemberInvited is the payload of member.invited: an admin invited Email
// to join with Role. The invitation link's token is derived from
// InvitationID with the master key; only its SHA-256 is kept. The invited
// person joins (member.joined, then member.email_verified) by accepting.
type MemberInvited struct {
	Email        string    `json:"email"`
	Role         string    `json:"role"`
	InvitationID string    `json:"invitation_id"`
	TokenHash    string    `json:"token_hash"`
	ExpiresAt    time.Time `json:"expires_at"`
	InvitedBy    string    `json:"invited_by"`
}

// MemberRoleChanged is the payload of member.role_changed.
type MemberRoleChanged struct {
	Role     string `json:"role"`
	Previous string `json:"previous"`
}

// MemberRemoved is the payload of member.removed: the member lost access;
// their sessions and tokens end with it, and their email is free again.
type MemberRemoved struct {
	Email string `json:"email"`
}

func init() {
	catalogTypes = append(catalogTypes, []EventType{
		{Name: EventCustomerRegistered, Version: 1, Doc: "A company signed up; its owner joins next."},
		{Name: EventCustomerSuspended, Version: 1, Doc: "A platform admin suspended the customer."},
		{Name: EventCustomerReactivated, Version: 1, Doc: "A platform admin lifted the customer's suspension."},
		{Name: EventCustomerNotificationsSet, Version: 1, Doc: "The customer's notification settings (which events email whom) were replaced."},
		{Name: EventMemberJoined, Version: 1, Doc: "A person joined a customer with a role (the owner at registration, or an invited member)."},
		{Name: EventMemberVerificationIssued, Version: 1, Doc: "An email verification was issued (the token is derived, only its hash is kept)."},
		{Name: EventMemberEmailVerified, Version: 1, Doc: "The member proved they own their email address."},
		{Name: EventMemberLoggedIn, Version: 1, Doc: "A dashboard session began."},
		{Name: EventMemberLoggedOut, Version: 1, Doc: "A dashboard session ended."},
		{Name: EventMemberTokenCreated, Version: 1, Doc: "A personal access token was created (only its hash is kept)."},
		{Name: EventMemberTokenRevoked, Version: 1, Doc: "A personal access token was revoked."},
		{Name: EventMemberInvited, Version: 1, Doc: "A person was invited to join with a role (the token is derived, only its hash is kept)."},
		{Name: EventMemberRoleChanged, Version: 1, Doc: "A member's role changed."},
		{Name: EventMemberRemoved, Version: 1, Doc: "A member was removed; their sessions and tokens ended with them."},
	})
}
