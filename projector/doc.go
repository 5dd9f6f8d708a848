// Package projector turns the event log into read models: PostgreSQL tables
// that the admin API queries, and NATS KV buckets that gateway nodes watch.
//
// A Runner feeds one Projection from its durable consumer in batches. Each
// batch is applied in one PostgreSQL transaction together with the
// projection's checkpoint (the last revision applied), so a crash at any
// point leaves either the whole batch or none of it, and a restart resumes
// from the checkpoint. KV values carry the revision they were projected
// from and are never replaced by an older one, so re-applying a batch whose
// KV writes landed before the crash changes nothing. Rebuild replays a
// projection from revision 1 into fresh tables and swaps them in.
package projector
