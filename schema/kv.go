package schema

import "time"

// Stamp is embedded in every value a projector writes to KV: the revision
// of the event the value was projected from. A writer never replaces a value
// with one of a lower revision, so replays and redeliveries are harmless.
// A removed thing stays as a tombstone, a Stamp with Deleted set, so that a
// late, older write cannot bring it back.
type Stamp struct {
	Revision uint64 `json:"rev"`
	Deleted  bool   `json:"deleted,omitempty"`
}

// StampRevision returns the stamp's revision; KV writers use it through the
// Stamped interface.
func (s Stamp) StampRevision() uint64 { return s.Revision }

// Stamped is a KV value that carries its source revision.
type Stamped interface {
	StampRevision() uint64
}

// GatewayHeartbeat is what a gateway node writes about itself to
// BucketGateways under its node id, every few seconds.
type GatewayHeartbeat struct {
	// NodeID names the node, stable across restarts when configured.
	NodeID string `json:"node_id"`
	// Revision is the highest event revision the node has applied.
	Revision uint64 `json:"revision"`
	// Stale is true when the node has lost NATS for longer than its bound.
	Stale bool `json:"stale"`
	// Version is the node's aegis version.
	Version string `json:"version"`
	// At is when the heartbeat was written.
	At time.Time `json:"at"`
}
