package auth_test

import (
	"bytes"
	"encoding/base64"
	"testing"

	"github.com/aegis-oss/aegis/commands/auth"
)

func TestPasswordResetToken(t *testing.T) {
	keyA := bytes.Repeat([]byte{1}, 32)
	keyB := bytes.Repeat([]byte{2}, 32)
	base := auth.PasswordResetToken(keyA, "rst_1")

	if again := auth.PasswordResetToken(keyA, "rst_1"); again != base {
		t.Errorf("same key and id gave %q then %q, want equal", base, again)
	}
	if b, err := base64.RawURLEncoding.Strict().DecodeString(base); err != nil || len(b) != 32 {
		t.Errorf("token %q is not unpadded base64url of 32 bytes (err %v)", base, err)
	}
	if !auth.VerifyTokenMatches(base, auth.HashSecret(base)) {
		t.Errorf("VerifyTokenMatches refuses a reset token against its own hash")
	}

	differs := []struct {
		name  string
		token string
	}{
		{"other id", auth.PasswordResetToken(keyA, "rst_2")},
		{"other key", auth.PasswordResetToken(keyB, "rst_1")},
		{"verification token of the same id", auth.VerificationToken(keyA, "rst_1")},
	}
	for _, tt := range differs {
		if tt.token == base {
			t.Errorf("%s: token = %q, want it to differ from %q", tt.name, tt.token, base)
		}
	}
}
