package schema

import (
	"encoding/json"
	"time"
)

// Event is the envelope of every fact in the event log. It is stored as
// JSON on the subject EventSubject(Customer, Aggregate, AggregateID); its
// Type and Version also travel as message headers so that consumers can
// filter without decoding.
type Event struct {
	// ID is a UUIDv7, unique per event.
	ID string `json:"id"`
	// Type names the fact, "<aggregate>.<past-tense verb>", e.g. "app.created".
	Type string `json:"type"`
	// Version is the payload's schema version; old versions are upcast on read.
	Version int `json:"version"`
	// Customer owns the aggregate, or is PlatformCustomer for platform aggregates.
	Customer string `json:"customer"`
	// Aggregate is the kind of thing the event changes, e.g. "app".
	Aggregate string `json:"aggregate"`
	// AggregateID identifies the thing changed.
	AggregateID string `json:"aggregate_id"`
	// Actor is who caused the change.
	Actor Actor `json:"actor"`
	// OccurredAt is when the command was decided, in UTC.
	OccurredAt time.Time `json:"occurred_at"`
	// CorrelationID ties together every event of one user action.
	CorrelationID string `json:"correlation_id,omitempty"`
	// CausationID is the ID of the command or event that caused this one.
	CausationID string `json:"causation_id,omitempty"`
	// Payload is the type-specific body.
	Payload json.RawMessage `json:"payload"`

	// Revision is the event's sequence in the stream, set when it is read
	// back or appended; it is not part of the stored JSON.
	Revision uint64 `json:"-"`
}

// Actor kinds.
const (
	ActorMember   = "member"   // a person logged in to the dashboard
	ActorToken    = "token"    // a personal access token (CLI, scripts)
	ActorCLI      = "cli"      // the aegis binary acting locally, e.g. migrations
	ActorSystem   = "system"   // Aegis itself: reactors, sagas, schedulers
	ActorProvider = "provider" // a marketplace provider's API call
)

// Actor names who caused an event.
type Actor struct {
	Kind string `json:"kind"`
	ID   string `json:"id,omitempty"`
}

// SystemActor is the actor of events Aegis appends on its own.
var SystemActor = Actor{Kind: ActorSystem, ID: "aegis"}

// NewEvent returns an event of type t for the aggregate, with a new ID, the
// type's current catalog version, the current time and payload marshalled to
// JSON. It returns an error if payload cannot be marshalled.
func NewEvent(t, customer, aggregate, aggregateID string, actor Actor, payload any) (Event, error) {
	body, err := json.Marshal(payload)
	if err != nil {
		return Event{}, Wrap(CodeInternal, err, "encode event payload")
	}
	version := 1
	if et, ok := Catalog().Lookup(t); ok {
		version = et.Version
	}
	return Event{
		ID:          NewID(),
		Type:        t,
		Version:     version,
		Customer:    customer,
		Aggregate:   aggregate,
		AggregateID: aggregateID,
		Actor:       actor,
		OccurredAt:  time.Now().UTC(),
		Payload:     body,
	}, nil
}

// Subject returns the subject the event is stored on.
func (e Event) Subject() string {
	return EventSubject(e.Customer, e.Aggregate, e.AggregateID)
}

// Validate checks the envelope: every field that routing and audit rely on
// is set and fits in a subject token. It returns an invalid *Error naming
// the first problem.
func (e Event) Validate() error {
	switch {
	case e.ID == "":
		return Errorf(CodeInvalid, "event has no id")
	case e.Type == "":
		return Errorf(CodeInvalid, "event %s has no type", e.ID)
	case e.Version < 1:
		return Errorf(CodeInvalid, "event %s has version %d", e.ID, e.Version)
	case !ValidToken(e.Customer):
		return Errorf(CodeInvalid, "event %s: customer %q is not a subject token", e.ID, e.Customer)
	case !ValidToken(e.Aggregate):
		return Errorf(CodeInvalid, "event %s: aggregate %q is not a subject token", e.ID, e.Aggregate)
	case !ValidToken(e.AggregateID):
		return Errorf(CodeInvalid, "event %s: aggregate id %q is not a subject token", e.ID, e.AggregateID)
	case e.Actor.Kind == "":
		return Errorf(CodeInvalid, "event %s has no actor", e.ID)
	case e.OccurredAt.IsZero():
		return Errorf(CodeInvalid, "event %s has no time", e.ID)
	case len(e.Payload) == 0 || !json.Valid(e.Payload):
		return Errorf(CodeInvalid, "event %s has no valid JSON payload", e.ID)
	}
	return nil
}

// Decode unmarshals the payload into v. It returns an invalid *Error if the
// payload does not fit v.
func (e Event) Decode(v any) error {
	if err := json.Unmarshal(e.Payload, v); err != nil {
		return Wrap(CodeInvalid, err, "decode "+e.Type+" payload")
	}
	return nil
}
