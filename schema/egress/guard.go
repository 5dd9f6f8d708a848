package egress

import (
	"errors"
	"fmt"
	"net/netip"
	"syscall"
)

// ErrRefused is wrapped by every error of an address, host or URL that a
// Guard refuses because it is, or may be, internal.
var ErrRefused = errors.New("egress refused")

// ErrBadURL is wrapped by CheckURL's errors for a URL that is not an
// http or https URL with a host and no user information.
var ErrBadURL = errors.New("bad egress URL")

// Error is the error of a refused address or URL. Its message says why,
// naming the address or host but nothing else of the URL (no user
// information, path or query), so it is safe to show and to log.
type Error struct {
	kind error // ErrRefused or ErrBadURL
	msg  string
}

// Error returns why the address or URL is refused.
func (e *Error) Error() string { return e.msg }

// Unwrap returns ErrRefused or ErrBadURL.
func (e *Error) Unwrap() error { return e.kind }

func refused(format string, args ...any) error {
	return &Error{kind: ErrRefused, msg: fmt.Sprintf(format, args...)}
}

func badURL(msg string) error { return &Error{kind: ErrBadURL, msg: msg} }

// Guard decides whether a connection to an address is allowed: every
// address but the special-purpose ones (see Check), and any address in
// the allowed networks. The zero Guard refuses the special-purpose
// addresses and allows nothing extra. A Guard is safe for concurrent use.
type Guard struct {
	allow []netip.Prefix
}

// New returns a guard that also allows the addresses in the networks
// allow, internal or not: say 10.20.0.0/16 for a key server on the
// operator's network, or 127.0.0.0/8 for tests. An IPv4-mapped IPv6
// prefix (::ffff:10.0.0.0/104) stands for its IPv4 network; invalid
// prefixes are ignored.
func New(allow ...netip.Prefix) *Guard {
	g := &Guard{}
	for _, p := range allow {
		if !p.IsValid() {
			continue
		}
		if a := p.Addr(); a.Is4In6() && p.Bits() >= 96 {
			p = netip.PrefixFrom(a.Unmap(), p.Bits()-96)
		}
		g.allow = append(g.allow, p.Masked())
	}
	return g
}

// Check returns nil if a connection to addr is allowed. It returns an
// *Error wrapping ErrRefused, naming addr and its kind, if addr is
// invalid or special-purpose (loopback, private, link-local, shared,
// multicast, unspecified, documentation, benchmarking, reserved, or in
// IPv6 anything outside global unicast 2000::/3) and in no allowed
// network. An IPv4-mapped IPv6 address is checked as its IPv4 address,
// and a NAT64 address (64:ff9b::/96) as the IPv4 address it reaches; a
// zone is ignored.
func (g *Guard) Check(addr netip.Addr) error {
	a := addr.WithZone("").Unmap()
	if !a.IsValid() {
		return refused("the address is not valid")
	}
	if g.allows(a) {
		return nil
	}
	if nat64.Contains(a) {
		b := a.As16()
		v4 := netip.AddrFrom4([4]byte(b[12:]))
		if g.allows(v4) {
			return nil
		}
		if what := special(v4); what != "" {
			return refused("%s reaches %s, %s", a, v4, what)
		}
		return nil
	}
	if what := special(a); what != "" {
		return refused("%s is %s", a, what)
	}
	return nil
}

// allows reports whether a, without zone and unmapped, is in an allowed
// network.
func (g *Guard) allows(a netip.Addr) bool {
	for _, p := range g.allow {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// Control is a net.Dialer Control function: it runs after name
// resolution, just before the connection to address ("ip:port") is made,
// and refuses it as Check does. Since it sees the address actually
// dialled, a name that resolves to an internal address (DNS rebinding
// included) or a redirect to one is refused too. Its error wraps
// ErrRefused.
func (g *Guard) Control(network, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return refused("refused by the egress guard: %q is not an IP address and port", address)
	}
	if err := g.Check(ap.Addr()); err != nil {
		return fmt.Errorf("refused by the egress guard: %w", err)
	}
	return nil
}
