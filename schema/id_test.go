package schema_test

import (
	"testing"
	"time"

	"github.com/aegis-oss/aegis/schema"
)

// isHex reports whether c is a lowercase hexadecimal digit.
func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' }

func TestNewIDIsCanonicalUUIDv7(t *testing.T) {
	for range 100 {
		id := schema.NewID()
		if len(id) != 36 {
			t.Fatalf("NewID() = %q: length %d, want 36", id, len(id))
		}
		for i := 0; i < len(id); i++ {
			switch i {
			case 8, 13, 18, 23:
				if id[i] != '-' {
					t.Fatalf("NewID() = %q: byte %d is %q, want '-'", id, i, id[i])
				}
			default:
				if !isHex(id[i]) {
					t.Fatalf("NewID() = %q: byte %d is %q, want a lowercase hex digit", id, i, id[i])
				}
			}
		}
		if got, want := id[14], byte('7'); got != want {
			t.Fatalf("NewID() = %q: version nibble %q, want %q", id, got, want)
		}
		// The variant is 10xx: the first hex digit of the fourth group is 8, 9, a or b.
		if got := id[19]; got != '8' && got != '9' && got != 'a' && got != 'b' {
			t.Fatalf("NewID() = %q: variant digit %q, want one of 8, 9, a, b", id, got)
		}
		if got, err := schema.ParseID(id); err != nil || got != id {
			t.Fatalf("ParseID(NewID() = %q) = %q, %v; want the id back and no error", id, got, err)
		}
	}
}

func TestNewIDsAreUniqueAndIncreasing(t *testing.T) {
	const n = 10000
	seen := make(map[string]bool, n)
	prev := ""
	for i := range n {
		id := schema.NewID()
		if seen[id] {
			t.Fatalf("id %d: %q made twice", i, id)
		}
		seen[id] = true
		if id <= prev {
			t.Fatalf("id %d: %q does not sort after the previous %q", i, id, prev)
		}
		prev = id
	}
}

func TestIDTime(t *testing.T) {
	before := time.Now()
	id := schema.NewID()
	after := time.Now()

	got, err := schema.IDTime(id)
	if err != nil {
		t.Fatalf("IDTime(%q): %v", id, err)
	}
	// The id keeps milliseconds; allow a little for that and for a borrowed millisecond.
	const slack = 5 * time.Millisecond
	if got.Before(before.Add(-slack)) || got.After(after.Add(slack)) {
		t.Errorf("IDTime(%q) = %v, want between %v and %v", id, got, before, after)
	}
}

func TestIDTimeRejects(t *testing.T) {
	for _, tc := range []struct {
		name string
		id   string
	}{
		{"not a UUID", "not-a-uuid"},
		{"version 4", "0190b6c4-3c1e-4b2a-8f00-0123456789ab"},
		{"uppercase", "0190B6C4-3C1E-7B2A-8F00-0123456789AB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := schema.IDTime(tc.id); err == nil {
				t.Errorf("IDTime(%q) = %v, nil; want an error", tc.id, got)
			}
		})
	}
}

func TestIDTimeReadsTheTimestamp(t *testing.T) {
	// 0x0190b6c43c1e ms since the Unix epoch.
	const id = "0190b6c4-3c1e-7b2a-8f00-0123456789ab"
	got, err := schema.IDTime(id)
	if err != nil {
		t.Fatalf("IDTime(%q): %v", id, err)
	}
	if want := time.UnixMilli(0x0190b6c43c1e); !got.Equal(want) {
		t.Errorf("IDTime(%q) = %v, want %v", id, got, want)
	}
}

func TestParseID(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   string
		ok   bool
	}{
		{"v7", "0190b6c4-3c1e-7b2a-8f00-0123456789ab", true},
		{"v4", "f47ac10b-58cc-4372-a567-0e02b2c3d479", true},
		{"nil UUID", "00000000-0000-0000-0000-000000000000", true},
		{"uppercase", "F47AC10B-58CC-4372-A567-0E02B2C3D479", false},
		{"one uppercase digit", "f47ac10b-58cc-4372-a567-0e02b2c3d47A", false},
		{"empty", "", false},
		{"one short", "f47ac10b-58cc-4372-a567-0e02b2c3d47", false},
		{"one long", "f47ac10b-58cc-4372-a567-0e02b2c3d4790", false},
		{"no dashes", "f47ac10b58cc4372a5670e02b2c3d479", false},
		{"braces", "{f47ac10b-58cc-4372-a567-0e02b2c3d47}", false},
		{"dash moved left", "f47ac10-b58cc-4372-a567-0e02b2c3d479", false},
		{"dash moved right", "f47ac10b-58cc4-372-a567-0e02b2c3d479", false},
		{"dash in last group", "f47ac10b-58cc-4372-a5670-e02b2c3d479", false},
		{"digit for the first dash", "f47ac10b058cc-4372-a567-0e02b2c3d479", false},
		{"digit for the second dash", "f47ac10b-58cc04372-a567-0e02b2c3d479", false},
		{"digit for the third dash", "f47ac10b-58cc-43720a567-0e02b2c3d479", false},
		{"digit for the fourth dash", "f47ac10b-58cc-4372-a56700e02b2c3d479", false},
		{"non-hex letter", "g47ac10b-58cc-4372-a567-0e02b2c3d479", false},
		{"non-hex punctuation", "f47ac10b-58cc-4372-a567-0e02b2c3d47.", false},
		{"dash where a digit goes", "f47ac10b-58cc-4372-a567-0e02b2c3d4-9", false},
		{"multibyte", "f47ac10b-58cc-4372-a567-0e02b2c3d4é", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := schema.ParseID(tc.in)
			if tc.ok {
				if err != nil || got != tc.in {
					t.Errorf("ParseID(%q) = %q, %v; want %q, nil", tc.in, got, err, tc.in)
				}
				return
			}
			if err == nil {
				t.Fatalf("ParseID(%q) = %q, nil; want an error", tc.in, got)
			}
			if code := schema.ErrorCode(err); code != schema.CodeInvalid {
				t.Errorf("ParseID(%q): code %q, want %q", tc.in, code, schema.CodeInvalid)
			}
			if got != "" {
				t.Errorf("ParseID(%q) = %q with an error, want \"\"", tc.in, got)
			}
		})
	}
}
