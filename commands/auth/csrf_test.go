package auth_test

import (
	"encoding/base64"
	"testing"

	"github.com/aegis-oss/aegis/commands/auth"
)

func TestNewCSRFToken(t *testing.T) {
	a, b := auth.NewCSRFToken(), auth.NewCSRFToken()
	if a == b {
		t.Errorf("two CSRF tokens are equal: %q", a)
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(a)
	if err != nil {
		t.Fatalf("token %q is not unpadded base64url: %v", a, err)
	}
	if got, want := len(raw), 32; got != want {
		t.Errorf("token holds %d bytes, want %d", got, want)
	}
}

func TestCSRFMatches(t *testing.T) {
	token := auth.NewCSRFToken()
	tests := []struct {
		name   string
		cookie string
		header string
		want   bool
	}{
		{"same", token, token, true},
		{"different", token, auth.NewCSRFToken(), false},
		{"prefix", token, token[:len(token)-1], false},
		{"empty header", token, "", false},
		{"empty cookie", "", token, false},
		{"both empty", "", "", false},
	}
	for _, tt := range tests {
		if got := auth.CSRFMatches(tt.cookie, tt.header); got != tt.want {
			t.Errorf("%s: CSRFMatches = %v, want %v", tt.name, got, tt.want)
		}
	}
}
