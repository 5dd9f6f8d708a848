package schema

import (
	"crypto/sha256"
	"encoding/hex"
)

// Uniqueness claims. A claim lives on its own subject,
// aegis.evt.platform.claim.<ClaimID(kind, value)>, and is appended with an
// expected subject sequence, so two writers can never both hold one value.
const (
	AggregateClaim = "claim"

	EventClaimAcquired = "claim.acquired"
	EventClaimReleased = "claim.released"
)

// Claim kinds.
const (
	ClaimEmail    = "email"
	ClaimAppSlug  = "app_slug"
	ClaimHostname = "hostname"
)

// ClaimChange is the payload of both claim events: Owner took Value
// (claim.acquired) or gave it back (claim.released).
type ClaimChange struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
	// Owner is what holds the value, e.g. "customer:<id>" or "app:<id>".
	Owner string `json:"owner"`
}

// ClaimAcquired is the payload of claim.acquired.
type ClaimAcquired = ClaimChange

// ClaimReleased is the payload of claim.released.
type ClaimReleased = ClaimChange

func init() {
	catalogTypes = append(catalogTypes, []EventType{
		{Name: EventClaimAcquired, Version: 1, Doc: "An owner took a unique value (an email, an app slug, a hostname)."},
		{Name: EventClaimReleased, Version: 1, Doc: "The owner gave a unique value back; it can be claimed again."},
	})
}

// ClaimID returns the aggregate id of the claim on value of kind: the kind
// and the SHA-256 of the value, so that any value fits in a subject token.
// Callers normalise value first (lowercase emails and hostnames).
func ClaimID(kind, value string) string {
	sum := sha256.Sum256([]byte(value))
	return kind + "-" + hex.EncodeToString(sum[:16])
}
