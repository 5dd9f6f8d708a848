package auth_test

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/aegis-oss/aegis/commands/auth"
)

func TestVerificationToken(t *testing.T) {
	keyA := bytes.Repeat([]byte{1}, 32)
	keyB := bytes.Repeat([]byte{2}, 32)
	base := auth.VerificationToken(keyA, "ver_1")

	if again := auth.VerificationToken(keyA, "ver_1"); again != base {
		t.Errorf("same key and id gave %q then %q, want equal", base, again)
	}
	if b, err := base64.RawURLEncoding.Strict().DecodeString(base); err != nil || len(b) != 32 {
		t.Errorf("token %q is not unpadded base64url of 32 bytes (err %v)", base, err)
	}

	differs := []struct {
		name  string
		token string
	}{
		{"other id", auth.VerificationToken(keyA, "ver_2")},
		{"other key", auth.VerificationToken(keyB, "ver_1")},
		{"id that only looks like a continuation", auth.VerificationToken(keyA, "ver_1 ")},
	}
	for _, tt := range differs {
		if tt.token == base {
			t.Errorf("%s: token = %q, want it to differ from %q", tt.name, tt.token, base)
		}
	}
}

func TestVerifyTokenMatches(t *testing.T) {
	key := bytes.Repeat([]byte{7}, 32)
	token := auth.VerificationToken(key, "ver_1")
	hash := auth.HashSecret(token)

	tests := []struct {
		name  string
		token string
		hash  string
		want  bool
	}{
		{"right token", token, hash, true},
		{"other token", auth.VerificationToken(key, "ver_2"), hash, false},
		{"token for hash itself", hash, hash, false},
		{"empty token", "", auth.HashSecret(""), false},
		{"empty hash", token, "", false},
		{"truncated hash", token, hash[:63], false},
	}
	for _, tt := range tests {
		if got := auth.VerifyTokenMatches(tt.token, tt.hash); got != tt.want {
			t.Errorf("%s: VerifyTokenMatches = %v, want %v", tt.name, got, tt.want)
		}
	}
}
