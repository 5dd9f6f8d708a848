// Package gateway is Aegis's data plane: fasthttp nodes that watch the KV
// buckets the projector writes into an in-memory snapshot and answer every
// request from it — routing, API key and JWT authentication with tenant
// context, rate limits, quotas, authorization, proxying — and publish usage
// in batches. It holds no database connection: it depends only on schema
// and NATS.
package gateway
