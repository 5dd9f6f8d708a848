package commands

import (
	"context"
	"net/netip"
	"time"

	"github.com/aegis-oss/aegis/commands/readmodel"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/egress"
	"github.com/aegis-oss/aegis/schema/eventlog"
)

// Keys are the secrets the commands use.
type Keys struct {
	// Master derives email verification tokens and seals stored secrets
	// (AEGIS_MASTER_KEY, 32 bytes).
	Master []byte
	// Session signs dashboard sessions (JWT_SECRET, at least 32 bytes).
	Session []byte
}

// Options tune the commands. Zero values take the defaults.
type Options struct {
	// VerificationTTL is how long an email verification link works
	// (default 24h).
	VerificationTTL time.Duration
	// VerificationsPerHour bounds how many verification emails one member
	// can be sent in an hour (default 3, the first one included).
	VerificationsPerHour int
	// SessionTTL is how long a dashboard session lasts (default 12h).
	SessionTTL time.Duration
	// PasswordResetTTL is how long a password reset link works (default
	// 1h).
	PasswordResetTTL time.Duration
	// PasswordResetsPerHour bounds how many password reset emails one
	// member can be sent in an hour (default 3).
	PasswordResetsPerHour int
	// EgressAllow lists the internal networks an app's jwks_url may point
	// into, as the gateway allows them (AEGIS_EGRESS_ALLOW). By default a
	// jwks_url naming a loopback, private, link-local or other
	// special-purpose address, or localhost, is refused (see
	// egress.Guard.CheckURL).
	EgressAllow []netip.Prefix
}

// Service runs commands: it loads the aggregate a command touches from the
// event log, decides, and appends the resulting events. It reads read
// models only to find things (a member by email), never to decide.
type Service struct {
	log  *eventlog.Log
	read *readmodel.Store
	keys Keys
	opts Options
	// egress checks the URLs that apps configure for the gateway to fetch.
	egress *egress.Guard
	now    func() time.Time
}

// New returns a service on the event log and read models.
func New(log *eventlog.Log, read *readmodel.Store, keys Keys, opts Options) *Service {
	if opts.VerificationTTL == 0 {
		opts.VerificationTTL = 24 * time.Hour
	}
	if opts.VerificationsPerHour == 0 {
		opts.VerificationsPerHour = 3
	}
	if opts.SessionTTL == 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	if opts.PasswordResetTTL == 0 {
		opts.PasswordResetTTL = time.Hour
	}
	if opts.PasswordResetsPerHour == 0 {
		opts.PasswordResetsPerHour = 3
	}
	return &Service{log: log, read: read, keys: keys, opts: opts, egress: egress.New(opts.EgressAllow...), now: time.Now}
}

// Meta is what every command carries besides its own fields.
type Meta struct {
	// CommandID deduplicates retries: the client's Idempotency-Key, or a
	// new id.
	CommandID string
	// Actor is who sends the command.
	Actor schema.Actor
	// IP and UserAgent describe the client, for sessions.
	IP, UserAgent string
}

// commandID returns m's command id, or a new one.
func (m Meta) commandID() string {
	if m.CommandID != "" {
		return m.CommandID
	}
	return schema.NewID()
}

// Result is what every command answers: the revision its last event got,
// which a client passes as Aegis-Min-Revision to read its own write.
type Result struct {
	Revision uint64 `json:"revision"`
	// Propagated, when the client asked to wait for it, says how many live
	// gateway nodes had applied the change when the answer was sent.
	Propagated *Propagation `json:"propagated,omitempty"`
}

// newEvent builds an event with the command's correlation.
func newEvent(t, customer, aggregate, id string, m Meta, cmdID string, payload any) (schema.Event, error) {
	e, err := schema.NewEvent(t, customer, aggregate, id, m.Actor, payload)
	e.CorrelationID = cmdID
	e.CausationID = cmdID
	return e, err
}

// appendTo appends events to one aggregate at revision expected.
func (s *Service) appendTo(ctx context.Context, expected uint64, cmdID string, events ...schema.Event) (Result, error) {
	res, err := s.log.Append(ctx, expected, cmdID, events...)
	if err != nil {
		return Result{}, err
	}
	return Result{Revision: res.Revision}, nil
}

// appendSecret appends the events of a command that hands out a secret (a
// session, a token, a key). Its retry cannot answer as the first time did,
// since the secret exists nowhere any more, so a duplicate is a conflict.
func (s *Service) appendSecret(ctx context.Context, expected uint64, cmdID string, events ...schema.Event) (Result, error) {
	res, err := s.log.Append(ctx, expected, cmdID, events...)
	if err != nil {
		return Result{}, err
	}
	if res.Duplicate {
		return Result{}, schema.Errorf(schema.CodeConflict,
			"an earlier request with this Idempotency-Key already did this; the secret was in that answer only")
	}
	return Result{Revision: res.Revision}, nil
}
