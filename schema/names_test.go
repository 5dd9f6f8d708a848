package schema_test

import (
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/schema"
)

func TestEventSubjectRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		customer, aggregate, id string
		want                    string
	}{
		{"c1", "app", "a1", "aegis.evt.c1.app.a1"},
		{schema.PlatformCustomer, schema.AggregateClaim, "email-00ff", "aegis.evt.platform.claim.email-00ff"},
		{"Cust_9", "api_key", "0190b6c4-3c1e-7b2a-8f00-0123456789ab", "aegis.evt.Cust_9.api_key.0190b6c4-3c1e-7b2a-8f00-0123456789ab"},
	} {
		got := schema.EventSubject(tc.customer, tc.aggregate, tc.id)
		if got != tc.want {
			t.Errorf("EventSubject(%q, %q, %q) = %q, want %q", tc.customer, tc.aggregate, tc.id, got, tc.want)
		}
		customer, aggregate, id, ok := schema.ParseEventSubject(got)
		if !ok || customer != tc.customer || aggregate != tc.aggregate || id != tc.id {
			t.Errorf("ParseEventSubject(%q) = %q, %q, %q, %v; want %q, %q, %q, true",
				got, customer, aggregate, id, ok, tc.customer, tc.aggregate, tc.id)
		}
	}
}

func TestParseEventSubjectRejects(t *testing.T) {
	for _, tc := range []struct {
		name    string
		subject string
	}{
		{"empty", ""},
		{"usage subject", "aegis.usage.c1.app.a1"},
		{"prefix without a dot", "aegis.evtc1.app.a1"},
		{"longer prefix token", "aegis.evts.c1.app.a1"},
		{"other root", "other.evt.c1.app.a1"},
		{"prefix alone", "aegis.evt"},
		{"prefix and dot", "aegis.evt."},
		{"two tokens", "aegis.evt.c1.app"},
		{"four tokens", "aegis.evt.c1.app.a1.extra"},
		{"empty token", "aegis.evt.c1..a1"},
		{"trailing dot", "aegis.evt.c1.app.a1."},
		{"wildcard", "aegis.evt.c1.*.a1"},
		{"full wildcard", schema.SubjectEventsAll},
		{"space in a token", "aegis.evt.c1.app.a 1"},
		{"129-character id", "aegis.evt.c1.app." + strings.Repeat("a", 129)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			customer, aggregate, id, ok := schema.ParseEventSubject(tc.subject)
			if ok || customer != "" || aggregate != "" || id != "" {
				t.Errorf("ParseEventSubject(%q) = %q, %q, %q, %v; want \"\", \"\", \"\", false",
					tc.subject, customer, aggregate, id, ok)
			}
		})
	}
}

func TestValidToken(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    string
		want bool
	}{
		{"letters", "abcXYZ", true},
		{"digits", "0123456789", true},
		{"underscore and dash", "api_key-1", true},
		{"one character", "a", true},
		{"128 characters", strings.Repeat("a", 128), true},
		{"UUID", "0190b6c4-3c1e-7b2a-8f00-0123456789ab", true},
		{"empty", "", false},
		{"129 characters", strings.Repeat("a", 129), false},
		{"dot", "a.b", false},
		{"star", "*", false},
		{"greater than", ">", false},
		{"space", "a b", false},
		{"tab", "a\tb", false},
		{"slash", "a/b", false},
		{"colon", "customer:c1", false},
		{"at sign", "ada@example.com", false},
		{"non-ASCII letter", "café", false},
		{"NUL", "a\x00", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := schema.ValidToken(tc.s); got != tc.want {
				t.Errorf("ValidToken(%q) = %v, want %v", tc.s, got, tc.want)
			}
		})
	}
}

func TestClaimID(t *testing.T) {
	const value = "ada@example.com"
	id := schema.ClaimID(schema.ClaimEmail, value)

	if again := schema.ClaimID(schema.ClaimEmail, value); again != id {
		t.Errorf("ClaimID twice = %q then %q, want the same", id, again)
	}
	if !strings.HasPrefix(id, schema.ClaimEmail+"-") {
		t.Errorf("ClaimID = %q, want it to start with %q", id, schema.ClaimEmail+"-")
	}

	others := map[string]string{
		"other kind":  schema.ClaimID(schema.ClaimHostname, value),
		"other value": schema.ClaimID(schema.ClaimEmail, "bob@example.com"),
		"other case":  schema.ClaimID(schema.ClaimEmail, "Ada@example.com"),
		"empty value": schema.ClaimID(schema.ClaimEmail, ""),
	}
	for name, other := range others {
		if other == id {
			t.Errorf("%s: ClaimID = %q, the same as for %s %q", name, other, schema.ClaimEmail, value)
		}
	}

	for _, tc := range []struct{ kind, value string }{
		{schema.ClaimEmail, value},
		{schema.ClaimAppSlug, "shop"},
		{schema.ClaimHostname, "api.example.com"},
		{schema.ClaimEmail, ""},
		{schema.ClaimHostname, strings.Repeat("very-long-label.", 40) + "example.com"},
		{schema.ClaimAppSlug, "naïve café · ✓"},
	} {
		if got := schema.ClaimID(tc.kind, tc.value); !schema.ValidToken(got) {
			t.Errorf("ClaimID(%q, %q) = %q, not a subject token", tc.kind, tc.value, got)
		}
	}
}

func TestBuckets(t *testing.T) {
	buckets := schema.Buckets()
	if len(buckets) == 0 {
		t.Fatal("Buckets() is empty")
	}
	seen := make(map[string]bool, len(buckets))
	for _, b := range buckets {
		if seen[b] {
			t.Errorf("bucket %q listed twice", b)
		}
		seen[b] = true
		if !schema.ValidToken(b) {
			t.Errorf("bucket %q is not a valid token", b)
		}
	}
	for _, b := range []string{
		schema.BucketRoutes, schema.BucketApps, schema.BucketKeys, schema.BucketRBAC, schema.BucketLimits,
		schema.BucketQuotas, schema.BucketCerts, schema.BucketACME, schema.BucketGateways,
	} {
		if !seen[b] {
			t.Errorf("Buckets() lacks %q", b)
		}
	}

	// Each call returns a fresh slice: a caller that changes its copy does not
	// change the next caller's.
	buckets[0] = "changed"
	if got := schema.Buckets()[0]; got == "changed" {
		t.Error("Buckets() returned a shared slice, want a fresh one each call")
	}
}

func TestConsumerNames(t *testing.T) {
	for _, tc := range []struct {
		name string
		got  string
		want string
	}{
		{"projection", schema.ProjectionConsumer(schema.ProjectionAudit), "aegis_proj_audit"},
		{"reactor", schema.ReactorConsumer("mailer"), "aegis_react_mailer"},
	} {
		if tc.got != tc.want {
			t.Errorf("%s consumer = %q, want %q", tc.name, tc.got, tc.want)
		}
		if !schema.ValidToken(tc.got) {
			t.Errorf("%s consumer %q is not a valid token", tc.name, tc.got)
		}
	}
	if schema.ProjectionConsumer("x") == schema.ReactorConsumer("x") {
		t.Error("a projection and a reactor of the same name share a consumer")
	}
}
