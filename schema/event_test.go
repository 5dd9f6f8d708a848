package schema_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/schema"
)

// validEvent returns an event that passes Validate.
func validEvent(t *testing.T) schema.Event {
	t.Helper()
	e := schema.Event{
		ID:          "0190b6c4-3c1e-7b2a-8f00-0123456789ab",
		Type:        schema.EventClaimAcquired,
		Version:     1,
		Customer:    schema.PlatformCustomer,
		Aggregate:   schema.AggregateClaim,
		AggregateID: schema.ClaimID(schema.ClaimEmail, "ada@example.com"),
		Actor:       schema.SystemActor,
		OccurredAt:  time.Date(2025, 3, 1, 12, 30, 0, 123456789, time.UTC),
		Payload:     json.RawMessage(`{"kind":"email","value":"ada@example.com","owner":"customer:c1"}`),
	}
	if err := e.Validate(); err != nil {
		t.Fatalf("validEvent does not validate: %v", err)
	}
	return e
}

func TestNewEvent(t *testing.T) {
	payload := schema.ClaimAcquired{Kind: schema.ClaimAppSlug, Value: "shop", Owner: "app:a1"}
	aggID := schema.ClaimID(payload.Kind, payload.Value)
	actor := schema.Actor{Kind: schema.ActorMember, ID: "m1"}

	before := time.Now()
	e, err := schema.NewEvent(schema.EventClaimAcquired, schema.PlatformCustomer, schema.AggregateClaim, aggID, actor, payload)
	after := time.Now()
	if err != nil {
		t.Fatalf("NewEvent: %v", err)
	}

	if _, err := schema.IDTime(e.ID); err != nil {
		t.Errorf("ID = %q, want a UUIDv7: %v", e.ID, err)
	}
	et, _ := schema.Catalog().Lookup(schema.EventClaimAcquired)
	for _, c := range []struct {
		field     string
		got, want any
	}{
		{"Type", e.Type, schema.EventClaimAcquired},
		{"Version", e.Version, et.Version},
		{"Customer", e.Customer, schema.PlatformCustomer},
		{"Aggregate", e.Aggregate, schema.AggregateClaim},
		{"AggregateID", e.AggregateID, aggID},
		{"Actor", e.Actor, actor},
		{"CorrelationID", e.CorrelationID, ""},
		{"CausationID", e.CausationID, ""},
		{"Revision", e.Revision, uint64(0)},
		{"OccurredAt.Location", e.OccurredAt.Location(), time.UTC},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.field, c.got, c.want)
		}
	}
	if e.OccurredAt.Before(before.Truncate(0)) || e.OccurredAt.After(after) {
		t.Errorf("OccurredAt = %v, want between %v and %v", e.OccurredAt, before, after)
	}
	var got schema.ClaimAcquired
	if err := json.Unmarshal(e.Payload, &got); err != nil {
		t.Fatalf("payload %s is not JSON: %v", e.Payload, err)
	}
	if got != payload {
		t.Errorf("payload = %+v, want %+v", got, payload)
	}
	if err := e.Validate(); err != nil {
		t.Errorf("NewEvent made an invalid event: %v", err)
	}
}

func TestNewEventTakesTheCatalogVersion(t *testing.T) {
	for _, et := range schema.Catalog().Types() {
		e, err := schema.NewEvent(et.Name, "c1", et.Aggregate(), "x1", schema.SystemActor, struct{}{})
		if err != nil {
			t.Fatalf("NewEvent(%s): %v", et.Name, err)
		}
		if e.Version != et.Version {
			t.Errorf("NewEvent(%s).Version = %d, want the catalog's %d", et.Name, e.Version, et.Version)
		}
	}

	e, err := schema.NewEvent("nothing.happened", "c1", "nothing", "x1", schema.SystemActor, struct{}{})
	if err != nil {
		t.Fatalf("NewEvent of an unknown type: %v", err)
	}
	if e.Version != 1 {
		t.Errorf("NewEvent of an unknown type: Version = %d, want 1", e.Version)
	}
}

func TestNewEventUnencodablePayload(t *testing.T) {
	_, err := schema.NewEvent(schema.EventClaimAcquired, "c1", "claim", "x1", schema.SystemActor, make(chan int))
	if err == nil {
		t.Fatal("NewEvent with a channel payload succeeded, want an error")
	}
	if got, want := schema.ErrorCode(err), schema.CodeInternal; got != want {
		t.Errorf("code = %q, want %q", got, want)
	}
}

func TestEventValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*schema.Event)
		want   string // part of the message; "" means valid
	}{
		{"valid", func(*schema.Event) {}, ""},
		{"null payload is JSON", func(e *schema.Event) { e.Payload = json.RawMessage(`null`) }, ""},
		{"no actor id", func(e *schema.Event) { e.Actor.ID = "" }, ""},
		{"128-character aggregate id", func(e *schema.Event) { e.AggregateID = strings.Repeat("a", 128) }, ""},
		{"no id", func(e *schema.Event) { e.ID = "" }, "has no id"},
		{"no type", func(e *schema.Event) { e.Type = "" }, "has no type"},
		{"version 0", func(e *schema.Event) { e.Version = 0 }, "has version 0"},
		{"negative version", func(e *schema.Event) { e.Version = -2 }, "has version -2"},
		{"no customer", func(e *schema.Event) { e.Customer = "" }, `customer "" is not a subject token`},
		{"customer with a dot", func(e *schema.Event) { e.Customer = "c.1" }, `customer "c.1" is not`},
		{"no aggregate", func(e *schema.Event) { e.Aggregate = "" }, `aggregate "" is not a subject token`},
		{"aggregate with a wildcard", func(e *schema.Event) { e.Aggregate = "*" }, `aggregate "*" is not`},
		{"no aggregate id", func(e *schema.Event) { e.AggregateID = "" }, `aggregate id "" is not a subject token`},
		{"aggregate id with a space", func(e *schema.Event) { e.AggregateID = "a 1" }, `aggregate id "a 1" is not`},
		{"129-character aggregate id", func(e *schema.Event) { e.AggregateID = strings.Repeat("a", 129) }, "aggregate id"},
		{"no actor", func(e *schema.Event) { e.Actor = schema.Actor{ID: "m1"} }, "has no actor"},
		{"no time", func(e *schema.Event) { e.OccurredAt = time.Time{} }, "has no time"},
		{"no payload", func(e *schema.Event) { e.Payload = nil }, "has no valid JSON payload"},
		{"broken payload", func(e *schema.Event) { e.Payload = json.RawMessage(`{"kind":`) }, "has no valid JSON payload"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := validEvent(t)
			tc.change(&e)
			err := e.Validate()
			if tc.want == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error containing %q", tc.want)
			}
			if !errors.Is(err, schema.ErrInvalid) {
				t.Errorf("Validate() = %v, want an invalid error", err)
			}
			if got := schema.ErrorMessage(err); !strings.Contains(got, tc.want) {
				t.Errorf("Validate() message = %q, want it to contain %q", got, tc.want)
			}
		})
	}
}

func TestEventSubject(t *testing.T) {
	e := validEvent(t)
	want := "aegis.evt.platform.claim." + e.AggregateID
	if got := e.Subject(); got != want {
		t.Errorf("Subject() = %q, want %q", got, want)
	}
	customer, aggregate, id, ok := schema.ParseEventSubject(e.Subject())
	if !ok || customer != e.Customer || aggregate != e.Aggregate || id != e.AggregateID {
		t.Errorf("ParseEventSubject(%q) = %q, %q, %q, %v; want the event's customer, aggregate and id",
			e.Subject(), customer, aggregate, id, ok)
	}
}

func TestEventDecode(t *testing.T) {
	e := validEvent(t)
	var got schema.ClaimAcquired
	if err := e.Decode(&got); err != nil {
		t.Fatalf("Decode: %v", err)
	}
	want := schema.ClaimAcquired{Kind: "email", Value: "ada@example.com", Owner: "customer:c1"}
	if got != want {
		t.Errorf("Decode = %+v, want %+v", got, want)
	}
}

func TestEventDecodeError(t *testing.T) {
	for _, tc := range []struct {
		name    string
		payload string
	}{
		{"wrong field type", `{"kind":5}`},
		{"not an object", `["email"]`},
		{"broken JSON", `{"kind":`},
		{"empty", ``},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := validEvent(t)
			e.Payload = json.RawMessage(tc.payload)
			var got schema.ClaimAcquired
			err := e.Decode(&got)
			if err == nil {
				t.Fatalf("Decode(%s) = nil, want an error", tc.payload)
			}
			if code := schema.ErrorCode(err); code != schema.CodeInvalid {
				t.Errorf("Decode(%s): code %q, want %q", tc.payload, code, schema.CodeInvalid)
			}
			if got, want := schema.ErrorMessage(err), "decode claim.acquired payload"; got != want {
				t.Errorf("Decode(%s): message %q, want %q", tc.payload, got, want)
			}
		})
	}
}

func TestEventJSONRoundTrip(t *testing.T) {
	in := validEvent(t)
	in.Actor = schema.Actor{Kind: schema.ActorToken, ID: "pat_1"}
	in.Version = 2
	in.CorrelationID = "corr-1"
	in.CausationID = "0190b6c4-3c1e-7b2a-8f00-000000000001"
	in.Revision = 42

	data, err := json.Marshal(in)
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}

	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil {
		t.Fatalf("Unmarshal into a map: %v", err)
	}
	var keys []string
	for k := range fields {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	wantKeys := []string{"actor", "aggregate", "aggregate_id", "causation_id", "correlation_id", "customer",
		"id", "occurred_at", "payload", "type", "version"}
	if !slices.Equal(keys, wantKeys) {
		t.Errorf("JSON keys = %v, want %v (no revision)", keys, wantKeys)
	}

	var out schema.Event
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatalf("Unmarshal: %v", err)
	}
	for _, c := range []struct {
		field     string
		got, want any
	}{
		{"ID", out.ID, in.ID},
		{"Type", out.Type, in.Type},
		{"Version", out.Version, in.Version},
		{"Customer", out.Customer, in.Customer},
		{"Aggregate", out.Aggregate, in.Aggregate},
		{"AggregateID", out.AggregateID, in.AggregateID},
		{"Actor", out.Actor, in.Actor},
		{"CorrelationID", out.CorrelationID, in.CorrelationID},
		{"CausationID", out.CausationID, in.CausationID},
		{"Payload", string(out.Payload), string(in.Payload)},
		{"Revision", out.Revision, uint64(0)},
	} {
		if c.got != c.want {
			t.Errorf("%s = %v after a round trip, want %v", c.field, c.got, c.want)
		}
	}
	if !out.OccurredAt.Equal(in.OccurredAt) {
		t.Errorf("OccurredAt = %v after a round trip, want %v", out.OccurredAt, in.OccurredAt)
	}
}

func TestEventJSONOmitsEmptyCorrelation(t *testing.T) {
	data, err := json.Marshal(validEvent(t))
	if err != nil {
		t.Fatalf("Marshal: %v", err)
	}
	for _, key := range []string{`"correlation_id"`, `"causation_id"`} {
		if strings.Contains(string(data), key) {
			t.Errorf("JSON %s has %s, want it omitted when empty", data, key)
		}
	}
}
