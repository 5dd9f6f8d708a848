// Package eventlog is the JetStream adapter of the event log: it sets up
// the AEGIS_EVENTS stream and the KV buckets, appends events with
// deduplication and optimistic concurrency, loads an aggregate's events,
// holds uniqueness claims, and feeds durable consumers.
//
// Every event is a message on aegis.evt.<customer>.<aggregate>.<id>; its
// stream sequence is its revision. Appends name the aggregate's revision
// they were decided on (Nats-Expected-Last-Subject-Sequence), so two
// commands that raced on stale state cannot both land.
package eventlog
