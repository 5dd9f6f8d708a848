// Package commands holds Aegis's command side: command handlers that load
// an aggregate, decide, and append events, and the admin API that serves
// them. It reads read models but never writes PostgreSQL: every change is
// an event.
package commands
