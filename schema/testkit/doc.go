// Package testkit starts the real servers tests run against: an in-process
// nats-server with JetStream on a random port, and fresh, migrated
// PostgreSQL databases on the test cluster. Nothing here is a mock.
package testkit
