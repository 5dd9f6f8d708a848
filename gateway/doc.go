// Package gateway is Aegis's data plane: fasthttp nodes that watch the KV
// buckets the projector writes into an in-memory view and answer every
// request from it — routing by host and path prefix, API key
// authentication with tenant context, and proxying to the app's upstreams
// — and report the revision they have applied. It holds no database
// connection: it depends only on schema, NATS and fasthttp.
package gateway
