package gateway_test

import (
	"bytes"
	"testing"

	"github.com/aegis-oss/aegis/gateway"
)

var pathCases = []struct {
	raw  string
	want string // "" means rejected
}{
	{"/x/../admin", "/admin"},
	{"/x/%2e%2e/admin", "/admin"},
	{"/x/%2E%2E/admin", "/admin"},
	{"/a/.%2e/admin", "/admin"},
	{"//admin", "/admin"},
	{"/a///b", "/a/b"},
	{"/a/./b/", "/a/b/"},
	{"/a/b/.", "/a/b/"},
	{"/a/b/..", "/a/"},
	{"/a/..", "/"},
	{"/a/../", "/"},
	{"/", "/"},
	{"//", "/"},
	{"/.", "/"},
	{"/a/", "/a/"},
	{"/a//", "/a/"},
	{"/...", "/..."},
	{"/a.b/c", "/a.b/c"},
	{"/a%41", "/aA"},
	{"/%7euser/%5F", "/~user/_"},
	{"/a%3fb", "/a%3Fb"},
	{"/a%20b", "/a%20b"},
	{"/a b", "/a%20b"},
	{"/caf\xc3\xa9", "/caf%C3%A9"},
	{"/files/100%25", "/files/100%25"},
	{"/files/100%2541", "/files/100%2541"},
	{"/v1/users;id=1@x:y", "/v1/users;id=1@x:y"},

	{"", ""},
	{"a/b", ""},
	{"%2fadmin", ""},
	{"/%2f", ""},
	{"/a%2Fb", ""},
	{"/a%5cb", ""},
	{"/a%5Cb", ""},
	{"/a\\b", ""},
	{"/a%00", ""},
	{"/a\x00", ""},
	{"/a\nb", ""},
	{"/a\x7f", ""},
	{"/%252e%252e/", ""},
	{"/%252f", ""},
	{"/%255c", ""},
	{"/%2500", ""},
	{"/%252525", ""},
	{"/%25%32%65", ""},
	{"/..", ""},
	{"/%2e%2e", ""},
	{"/%2e%2e/admin", ""}, // ".." above the root, encoded or not
	{"/../admin", ""},
	{"/a/../..", ""},
	{"/a/../../b", ""},
	{"/a%zz", ""},
	{"/a%4", ""},
	{"/a%", ""},
	{"/a?b", ""},
	{"/a#b", ""},
}

func TestNormalizePath(t *testing.T) {
	for _, tc := range pathCases {
		got, ok := gateway.NormalizePath(nil, []byte(tc.raw))
		switch {
		case tc.want == "" && ok:
			t.Errorf("NormalizePath(%q) = %q, want rejected", tc.raw, got)
		case tc.want != "" && !ok:
			t.Errorf("NormalizePath(%q) rejected, want %q", tc.raw, tc.want)
		case tc.want != "" && string(got) != tc.want:
			t.Errorf("NormalizePath(%q) = %q, want %q", tc.raw, got, tc.want)
		}
	}
}

func TestNormalizePathReusesDst(t *testing.T) {
	dst := make([]byte, 0, 64)
	dst = append(dst, "leftover"...)
	got, ok := gateway.NormalizePath(dst, []byte("/a/../b"))
	if !ok || string(got) != "/b" {
		t.Fatalf("got %q, %v; want \"/b\", true", got, ok)
	}
	if &got[0] != &dst[:1][0] {
		t.Error("NormalizePath did not reuse dst")
	}
	if got, ok := gateway.NormalizePath(dst, []byte("/%2f")); ok || len(got) != 0 {
		t.Errorf("rejected path: got %q, %v; want \"\", false", got, ok)
	}
}

func TestNormalizePathDoesNotAllocate(t *testing.T) {
	raw := []byte("/v1//users/./42/../%7Ebob/%2e/caf\xc3\xa9/orders/")
	dst := make([]byte, 0, 3*len(raw))
	allocs := testing.AllocsPerRun(1000, func() {
		var ok bool
		dst, ok = gateway.NormalizePath(dst, raw)
		if !ok {
			t.Fatal("rejected")
		}
	})
	if allocs != 0 {
		t.Errorf("NormalizePath allocates %v times per call, want 0", allocs)
	}
}

func FuzzNormalizePath(f *testing.F) {
	for _, tc := range pathCases {
		f.Add(tc.raw)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		got, ok := gateway.NormalizePath(nil, []byte(raw))
		if !ok {
			if len(got) != 0 {
				t.Fatalf("rejected %q but returned %q", raw, got)
			}
			return
		}
		for _, bad := range []string{"//", "/./", "/../", "%2f", "%2F", "%5c", "%5C", "%00", "\\", "?", "#"} {
			if bytes.Contains(got, []byte(bad)) {
				t.Fatalf("NormalizePath(%q) = %q, holds %q", raw, got, bad)
			}
		}
		if len(got) == 0 || got[0] != '/' {
			t.Fatalf("NormalizePath(%q) = %q, does not start with /", raw, got)
		}
		if bytes.HasSuffix(got, []byte("/.")) || bytes.HasSuffix(got, []byte("/..")) {
			t.Fatalf("NormalizePath(%q) = %q, ends in a dot segment", raw, got)
		}
		for _, c := range got {
			if c < 0x21 || c >= 0x7f {
				t.Fatalf("NormalizePath(%q) = %q, holds byte %#x", raw, got, c)
			}
		}
		again, ok := gateway.NormalizePath(nil, got)
		if !ok || !bytes.Equal(again, got) {
			t.Fatalf("not idempotent: NormalizePath(%q) = %q, then %q, %v", raw, got, again, ok)
		}
	})
}
