// Package api is the admin API's HTTP server (Fiber): routing, the JSON
// error format, and the liveness and readiness endpoints.
package api
