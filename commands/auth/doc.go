// Package auth holds the admin API's credential primitives: password
// hashing and rules, dashboard session tokens, personal access tokens,
// email verification and password reset tokens, and CSRF tokens. (The
// master key and sealing with it are in package schema, which the gateway
// shares.) Everything here is a pure function over its inputs (and
// crypto/rand): no HTTP framework, no database. Failures are *schema.Error
// values whose messages are safe to show.
package auth
