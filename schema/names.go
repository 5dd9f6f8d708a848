package schema

import "strings"

// Streams. Renaming one loses every consumer's position: these change only
// with a migration note.
const (
	// StreamEvents holds every admin event, forever.
	StreamEvents = "AEGIS_EVENTS"
	// StreamUsage holds the gateways' usage batches.
	StreamUsage = "AEGIS_USAGE"
)

// Subjects.
const (
	// SubjectEventsPrefix starts every event subject:
	// aegis.evt.<customer>.<aggregate>.<aggregate id>.
	SubjectEventsPrefix = "aegis.evt"
	// SubjectEventsAll matches every event subject.
	SubjectEventsAll = SubjectEventsPrefix + ".>"
	// SubjectUsagePrefix starts every usage subject: aegis.usage.<node id>.
	SubjectUsagePrefix = "aegis.usage"
	// SubjectUsageAll matches every usage subject.
	SubjectUsageAll = SubjectUsagePrefix + ".>"
)

// SubjectGatewayControl carries the platform's commands to every gateway
// node (core NATS, not stored): ControlResync or ControlInvalidate.
const SubjectGatewayControl = "aegis.gateway.control"

// The commands on SubjectGatewayControl.
const (
	// ControlResync makes every node load every KV bucket again.
	ControlResync = "resync"
	// ControlInvalidate also makes every node forget its cached JWKS and
	// verified JWTs.
	ControlInvalidate = "invalidate"
)

// PlatformCustomer stands in for the customer in subjects of aggregates that
// belong to the platform, such as providers and uniqueness claims.
const PlatformCustomer = "platform"

// Message headers set on every event.
const (
	HeaderEventType    = "Aegis-Event-Type"
	HeaderEventVersion = "Aegis-Event-Version"
)

// KV buckets, written only by projectors (and, for BucketGateways, by each
// gateway node about itself). Every value carries the revision it was
// projected from.
const (
	BucketRoutes   = "aegis_routes"   // host + path prefix → app
	BucketApps     = "aegis_apps"     // app gateway config
	BucketKeys     = "aegis_keys"     // SHA-256 of an API key → key record
	BucketRBAC     = "aegis_rbac"     // compiled RBAC per app
	BucketLimits   = "aegis_limits"   // rate-limit policies
	BucketQuotas   = "aegis_quotas"   // quota state per customer and tenant
	BucketCerts    = "aegis_certs"    // TLS certificates per hostname
	BucketACME     = "aegis_acme"     // pending ACME HTTP-01 challenges
	BucketGateways = "aegis_gateways" // each gateway node's heartbeat
)

// Buckets returns every KV bucket name, in a fixed order.
func Buckets() []string {
	return []string{
		BucketRoutes, BucketApps, BucketKeys, BucketRBAC, BucketLimits,
		BucketQuotas, BucketCerts, BucketACME, BucketGateways,
	}
}

// Durable consumer names are "aegis_proj_<projection>" for projections and
// "aegis_react_<reactor>" for reactors.
const (
	consumerProjectionPrefix = "aegis_proj_"
	consumerReactorPrefix    = "aegis_react_"
)

// ProjectionConsumer returns the durable consumer name of a projection.
func ProjectionConsumer(projection string) string { return consumerProjectionPrefix + projection }

// ReactorConsumer returns the durable consumer name of a reactor.
func ReactorConsumer(reactor string) string { return consumerReactorPrefix + reactor }

// Projection names. They name checkpoints and durable consumers, so they
// are stable like stream names.
const (
	// ProjectionAudit keeps every event as a row: the audit log read model.
	ProjectionAudit = "audit"
	// ProjectionAccounts keeps customers, their members, and the members'
	// verifications, sessions and access tokens.
	ProjectionAccounts = "accounts"
	// ProjectionApps keeps apps, their routes, and their API keys.
	ProjectionApps = "apps"
)

// EventSubject returns the subject of an aggregate's events.
func EventSubject(customer, aggregate, id string) string {
	return SubjectEventsPrefix + "." + customer + "." + aggregate + "." + id
}

// ParseEventSubject splits an event subject into its customer, aggregate
// and aggregate id. ok is false if subject is not an event subject.
func ParseEventSubject(subject string) (customer, aggregate, id string, ok bool) {
	rest, found := strings.CutPrefix(subject, SubjectEventsPrefix+".")
	if !found {
		return "", "", "", false
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 3 || !ValidToken(parts[0]) || !ValidToken(parts[1]) || !ValidToken(parts[2]) {
		return "", "", "", false
	}
	return parts[0], parts[1], parts[2], true
}

// ValidToken reports whether s can be one token of a NATS subject and of a
// KV key: 1 to 128 characters from [A-Za-z0-9_-].
func ValidToken(s string) bool {
	if s == "" || len(s) > 128 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
