// Package schema holds the contracts every part of Aegis shares: the event
// envelope and the event catalog, identifiers, error codes, NATS subject,
// stream, bucket and consumer names, and the records kept in NATS KV.
//
// It imports only the standard library, so that every module can depend on
// it without dragging in an adapter. A test keeps it that way.
package schema
