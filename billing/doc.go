// Package billing turns the gateways' usage into aggregates, quota state
// (written back to KV for the gateways), invoices and the add-on
// revenue-share ledger. It builds on the projector's runner.
package billing
