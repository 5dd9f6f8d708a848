// Package platform starts and stops a whole Aegis server: the embedded
// NATS server (or a connection to an external one), PostgreSQL and its
// migrations, the event log, and each configured role. Start fails with
// one clear error naming the first problem it meets.
package platform
