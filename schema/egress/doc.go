// Package egress decides which addresses Aegis may connect to on a
// customer's behalf. A URL that a customer configures, such as an app's
// JWKS URL, is fetched from inside the operator's network; left alone it
// could reach the loopback interface, private networks or a cloud
// metadata service (server-side request forgery).
//
// A Guard refuses loopback, private, link-local, shared (carrier-grade
// NAT), multicast, unspecified, documentation and other special-purpose
// addresses, in IPv4, IPv6 and IPv4-mapped form, unless the operator
// allows their network. Its Control method checks the address a dialer is
// about to connect to, after name resolution and on every redirect, and is
// what enforces the rule; CheckURL refuses an obviously internal URL early,
// when it is configured, with a message that says why.
//
// It imports only the standard library.
package egress
