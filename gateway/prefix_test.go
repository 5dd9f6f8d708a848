package gateway_test

import (
	"testing"

	"github.com/aegis-oss/aegis/gateway"
)

func TestPrefixMatches(t *testing.T) {
	for _, tc := range []struct {
		path, prefix string
		want         bool
	}{
		{"/", "/", true},
		{"/anything/at/all", "/", true},
		{"/v1", "/v1", true},
		{"/v1/", "/v1", true},
		{"/v1/users", "/v1", true},
		{"/v10", "/v1", false},
		{"/v1x/users", "/v1", false},
		{"/v", "/v1", false},
		{"/", "/v1", false},
		{"/api/v1/x", "/api/v1", true},
		{"/api/v2/x", "/api/v1", false},
		{"/v1/x", "/v1/", true},
		{"/v1", "/v1/", false},
		{"/v1", "", false},
	} {
		if got := gateway.PrefixMatches(tc.path, tc.prefix); got != tc.want {
			t.Errorf("PrefixMatches(%q, %q) = %v, want %v", tc.path, tc.prefix, got, tc.want)
		}
	}
}

func TestPrefixMatchesDoesNotAllocate(t *testing.T) {
	path, prefix := "/v1/users/42", "/v1"
	allocs := testing.AllocsPerRun(1000, func() {
		if !gateway.PrefixMatches(path, prefix) {
			t.Fatal("no match")
		}
	})
	if allocs != 0 {
		t.Errorf("PrefixMatches allocates %v times per call, want 0", allocs)
	}
}
