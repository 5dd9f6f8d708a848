package egress

import (
	"net/netip"
	"net/url"
	"strings"
)

// internalDomains are domains whose names only resolve inside a network:
// RFC 6762's .local, RFC 8375's .home.arpa, ICANN's .internal (cloud
// metadata services live there) and the .localdomain of /etc/hosts.
var internalDomains = []string{".internal", ".local", ".localdomain", ".home.arpa"}

// CheckURL checks a URL that a customer configures for Aegis to fetch,
// before anything is fetched. It returns an *Error wrapping ErrBadURL if
// raw is not an http or https URL with a host and without user
// information, and one wrapping ErrRefused if its host is refused:
//
//   - an IP address that Check refuses;
//   - an IP address in a form other than dotted decimal or bracketed
//     IPv6 (2130706433, 0x7f.1, 0177.0.0.1, 127.1), which resolvers read
//     differently, whatever g allows;
//   - localhost or a name under .localhost, unless g allows 127.0.0.1 or
//     ::1;
//   - a name of one label (metadata) or under .internal, .local,
//     .localdomain or .home.arpa, unless g allows some network: such a
//     name can only resolve to an internal address.
//
// Any other name passes; what it resolves to is for Control to check when
// it is dialled. The error names the host but nothing else of raw.
func (g *Guard) CheckURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil {
		return badURL("the URL does not parse") // url's error repeats the URL
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return badURL("the URL's scheme must be http or https")
	}
	if u.User != nil {
		return badURL("the URL must not hold a user name or password")
	}
	if u.Hostname() == "" {
		return badURL("the URL has no host")
	}
	return g.checkHost(u.Hostname())
}

// checkHost applies CheckURL's rules to a URL's host, without brackets.
func (g *Guard) checkHost(host string) error {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	if a, err := netip.ParseAddr(h); err == nil {
		if err := g.Check(a); err != nil {
			return refused("the host %v", err)
		}
		return nil
	}
	if strings.ContainsAny(h, ":%[]") {
		return badURL("the URL's host is not a valid IP address or name")
	}
	last := h[strings.LastIndexByte(h, '.')+1:]
	if numeric(last) {
		return refused("the host %q is an IP address in a non-standard form; write it as dotted decimal", host)
	}
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		if g.allows(netip.AddrFrom4([4]byte{127, 0, 0, 1})) || g.allows(netip.IPv6Loopback()) {
			return nil
		}
		return refused("the host %q is a loopback name", host)
	}
	if len(g.allow) > 0 {
		return nil
	}
	if !strings.Contains(h, ".") {
		return refused("the host %q is a single-label name, which only resolves inside a network", host)
	}
	for _, d := range internalDomains {
		if strings.HasSuffix(h, d) {
			return refused("the host %q is under %s, which only resolves inside a network", host, d)
		}
	}
	return nil
}

// numeric reports whether a name's last label is a number (decimal,
// octal or 0x hexadecimal), which makes the name an IPv4 address to
// inet_aton and to many resolvers: no top-level domain is numeric.
func numeric(label string) bool {
	if label == "" {
		return false
	}
	if rest, ok := strings.CutPrefix(label, "0x"); ok {
		return strings.Trim(rest, "0123456789abcdef") == ""
	}
	return strings.Trim(label, "0123456789") == ""
}
