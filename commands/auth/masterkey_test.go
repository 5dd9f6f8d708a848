package auth_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/schema"
)

func TestParseMasterKey(t *testing.T) {
	// 0xfb and 0xff make '+' and '/' in standard base64, '-' and '_' in URL form.
	key := bytes.Repeat([]byte{0xfb, 0xff, 0x01, 0x02}, 8)

	tests := []struct {
		name string
		in   string
	}{
		{"standard, padded", base64.StdEncoding.EncodeToString(key)},
		{"standard, unpadded", base64.RawStdEncoding.EncodeToString(key)},
		{"url, padded", base64.URLEncoding.EncodeToString(key)},
		{"url, unpadded", base64.RawURLEncoding.EncodeToString(key)},
		{"trailing newline", base64.StdEncoding.EncodeToString(key) + "\n"},
	}
	for _, tt := range tests {
		got, err := auth.ParseMasterKey(tt.in)
		if err != nil {
			t.Errorf("%s: ParseMasterKey(%q): %v", tt.name, tt.in, err)
			continue
		}
		if !bytes.Equal(got, key) {
			t.Errorf("%s: ParseMasterKey(%q) = %x, want %x", tt.name, tt.in, got, key)
		}
	}
}

func TestParseMasterKeyRefuses(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"empty", ""},
		{"31 bytes", base64.StdEncoding.EncodeToString(make([]byte, 31))},
		{"33 bytes", base64.StdEncoding.EncodeToString(make([]byte, 33))},
		{"16 bytes", base64.StdEncoding.EncodeToString(make([]byte, 16))},
		{"hex of 32 bytes", strings.Repeat("ab", 32)},
		{"not base64", "this is not base64 at all, not even close!!"},
	}
	for _, tt := range tests {
		key, err := auth.ParseMasterKey(tt.in)
		if err == nil {
			t.Errorf("%s: ParseMasterKey(%q) = %x, want an error", tt.name, tt.in, key)
			continue
		}
		msg := schema.ErrorMessage(err)
		if !strings.Contains(msg, "AEGIS_MASTER_KEY") {
			t.Errorf("%s: message %q does not name AEGIS_MASTER_KEY", tt.name, msg)
		}
		if tt.in != "" && strings.Contains(err.Error(), tt.in) {
			t.Errorf("%s: error %q echoes the input", tt.name, err)
		}
	}
}

func TestNewMasterKey(t *testing.T) {
	a, b := auth.NewMasterKey(), auth.NewMasterKey()
	if a == b {
		t.Errorf("two new master keys are equal: %q", a)
	}
	key, err := auth.ParseMasterKey(a)
	if err != nil {
		t.Fatalf("ParseMasterKey(NewMasterKey()): %v", err)
	}
	if got, want := len(key), auth.MasterKeySize; got != want {
		t.Errorf("len(key) = %d, want %d", got, want)
	}
}
