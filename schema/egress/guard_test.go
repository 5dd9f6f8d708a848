package egress_test

import (
	"errors"
	"net/netip"
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/schema/egress"
)

func prefixes(t *testing.T, ss ...string) []netip.Prefix {
	t.Helper()
	var out []netip.Prefix
	for _, s := range ss {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	return out
}

func TestCheckRefusesSpecialPurposeAddresses(t *testing.T) {
	g := egress.New()
	for _, tc := range []struct {
		addr string
		why  string // part of the error
	}{
		{"0.0.0.0", "unspecified"},
		{"0.1.2.3", "this network"},
		{"10.1.2.3", "private"},
		{"100.64.0.1", "carrier-grade NAT"},
		{"100.127.255.254", "carrier-grade NAT"},
		{"127.0.0.1", "loopback"},
		{"127.255.255.254", "loopback"},
		{"169.254.169.254", "link-local"}, // cloud metadata
		{"172.16.0.1", "private"},
		{"172.31.255.255", "private"},
		{"192.0.0.8", "IETF"},
		{"192.0.2.10", "documentation"},
		{"192.88.99.1", "6to4"},
		{"192.168.1.1", "private"},
		{"198.18.0.1", "benchmarking"},
		{"198.51.100.7", "documentation"},
		{"203.0.113.9", "documentation"},
		{"224.0.0.251", "multicast"},
		{"239.255.255.250", "multicast"},
		{"240.0.0.1", "reserved"},
		{"255.255.255.255", "broadcast"},

		{"::", "unspecified"},
		{"::1", "loopback"},
		{"fe80::1", "link-local"},
		{"fe80::1%eth0", "link-local"},
		{"fd00:ec2::254", "unique local"}, // AWS metadata over IPv6
		{"fc00::1", "unique local"},
		{"fec0::1", "site-local"},
		{"ff02::1", "multicast"},
		{"100::1", "discard-only"},
		{"2001:db8::1", "documentation"},
		{"2001::1", "Teredo"},
		{"2001:2::1", "IETF"},
		{"2002:7f00:1::1", "6to4"},
		{"3fff::1", "documentation"},
		{"64:ff9b:1::1", "local-use NAT64"},
		{"::7f00:1", "outside the IPv6 global unicast range"}, // IPv4-compatible, deprecated
		{"5f00::1", "outside the IPv6 global unicast range"},

		// IPv4-mapped forms are their IPv4 address.
		{"::ffff:127.0.0.1", "loopback"},
		{"::ffff:169.254.169.254", "link-local"},
		{"::ffff:10.0.0.1", "private"},
		{"::ffff:0.0.0.0", "unspecified"},
		{"::ffff:100.64.0.1", "carrier-grade NAT"},
		// NAT64 addresses are the IPv4 address they reach.
		{"64:ff9b::7f00:1", "reaches 127.0.0.1, a loopback address"},
		{"64:ff9b::a9fe:a9fe", "reaches 169.254.169.254, a link-local address"},
	} {
		t.Run(tc.addr, func(t *testing.T) {
			err := g.Check(netip.MustParseAddr(tc.addr))
			if err == nil {
				t.Fatalf("Check(%s) = nil, want refused as %s", tc.addr, tc.why)
			}
			if !errors.Is(err, egress.ErrRefused) {
				t.Errorf("Check(%s) = %v, want it to wrap ErrRefused", tc.addr, err)
			}
			if !strings.Contains(err.Error(), tc.why) {
				t.Errorf("Check(%s) = %q, want it to say %q", tc.addr, err, tc.why)
			}
		})
	}
}

func TestCheckAllowsPublicAddresses(t *testing.T) {
	g := egress.New()
	for _, addr := range []string{
		"1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.1", "100.63.255.255", "100.128.0.1",
		"126.255.255.255", "128.0.0.1", "169.253.255.255", "172.15.255.255", "172.32.0.1",
		"192.167.255.255", "192.169.0.1", "198.20.0.1", "223.255.255.255",
		"2606:4700:4700::1111", "2001:4860:4860::8888", "2a00:1450:4001::1",
		"::ffff:8.8.8.8", "64:ff9b::808:808",
	} {
		if err := g.Check(netip.MustParseAddr(addr)); err != nil {
			t.Errorf("Check(%s) = %v, want nil", addr, err)
		}
	}
	if err := g.Check(netip.Addr{}); !errors.Is(err, egress.ErrRefused) {
		t.Errorf("Check(zero Addr) = %v, want refused", err)
	}
}

func TestAllowListOverridesTheRefusal(t *testing.T) {
	g := egress.New(prefixes(t, "127.0.0.0/8", "10.20.0.0/16", "fd00:1::/64", "::ffff:192.168.7.0/120")...)
	for _, tc := range []struct {
		addr    string
		allowed bool
	}{
		{"127.0.0.1", true},
		{"127.9.9.9", true},
		{"::ffff:127.0.0.1", true},
		{"64:ff9b::7f00:1", true},
		{"10.20.3.4", true},
		{"10.21.0.1", false},
		{"fd00:1::5", true},
		{"fd00:1::5%eth0", true},
		{"fd00:2::5", false},
		{"192.168.7.9", true}, // the mapped prefix is its IPv4 network
		{"192.168.8.1", false},
		{"::1", false}, // 127.0.0.0/8 is IPv4 loopback only
		{"169.254.169.254", false},
		{"8.8.8.8", true},
	} {
		err := g.Check(netip.MustParseAddr(tc.addr))
		if got := err == nil; got != tc.allowed {
			t.Errorf("Check(%s) = %v, want allowed %v", tc.addr, err, tc.allowed)
		}
	}
}

func TestZeroGuardRefusesInternalAddresses(t *testing.T) {
	var g egress.Guard
	if err := g.Check(netip.MustParseAddr("127.0.0.1")); err == nil {
		t.Error("the zero Guard allowed 127.0.0.1")
	}
	if err := g.Check(netip.MustParseAddr("8.8.8.8")); err != nil {
		t.Errorf("the zero Guard refused 8.8.8.8: %v", err)
	}
}
