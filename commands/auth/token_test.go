package auth_test

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/schema"
)

var accessTokenPattern = regexp.MustCompile(`^aegp_[0-9A-Za-z]{43}_[0-9A-Za-z]{6}$`)

func newAccessToken(t *testing.T) (plaintext, hash, prefix string) {
	t.Helper()
	plaintext, hash, prefix, err := auth.NewAccessToken()
	if err != nil {
		t.Fatalf("NewAccessToken: %v", err)
	}
	return plaintext, hash, prefix
}

func TestNewAccessTokenFormat(t *testing.T) {
	seen := make(map[string]bool)
	for range 200 {
		plaintext, hash, prefix := newAccessToken(t)
		if !accessTokenPattern.MatchString(plaintext) {
			t.Fatalf("token %q does not match %s", plaintext, accessTokenPattern)
		}
		if got, want := len(plaintext), auth.AccessTokenLength; got != want {
			t.Errorf("len(token) = %d, want %d", got, want)
		}
		sum := sha256.Sum256([]byte(plaintext))
		if want := hex.EncodeToString(sum[:]); hash != want {
			t.Errorf("hash = %q, want %q", hash, want)
		}
		if want := plaintext[:12]; prefix != want {
			t.Errorf("prefix = %q, want %q", prefix, want)
		}
		if seen[plaintext] {
			t.Fatalf("token %q issued twice", plaintext)
		}
		seen[plaintext] = true
	}
}

func TestParseAccessTokenAcceptsOwnTokens(t *testing.T) {
	for range 200 {
		plaintext, want, _ := newAccessToken(t)
		got, err := auth.ParseAccessToken(plaintext)
		if err != nil {
			t.Fatalf("ParseAccessToken(%q): %v", plaintext, err)
		}
		if got != want {
			t.Errorf("ParseAccessToken(%q) = %q, want %q", plaintext, got, want)
		}
	}
}

func TestParseAccessTokenRefuses(t *testing.T) {
	good, _, _ := newAccessToken(t)
	random, checksum := good[5:48], good[49:]

	// A checksum that is valid base62 but wrong: rotate its characters.
	wrongChecksum := checksum[1:] + checksum[:1]
	if wrongChecksum == checksum {
		wrongChecksum = "zzzzzz"
	}
	// A random part changed in one character keeps the old checksum.
	changed := []byte(random)
	if changed[0] == 'a' {
		changed[0] = 'b'
	} else {
		changed[0] = 'a'
	}

	tests := []struct {
		name  string
		token string
	}{
		{"empty", ""},
		{"wrong prefix", "aegx_" + good[5:]},
		{"api key prefix", "aeg_p" + good[5:]},
		{"upper-case prefix", "AEGP_" + good[5:]},
		{"too short", good[:len(good)-1]},
		{"too long", good + "0"},
		{"missing separator", good[:48] + "-" + good[49:]},
		{"wrong checksum", "aegp_" + random + "_" + wrongChecksum},
		{"changed random part", "aegp_" + string(changed) + "_" + checksum},
		{"character outside base62", "aegp_" + "+" + random[1:] + "_" + checksum},
		{"base64url character", "aegp_" + random[:42] + "-" + "_" + checksum},
		{"non-ASCII", "aegp_" + "é" + random[2:] + "_" + checksum},
		{"surrounding space", " " + good[1:]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := auth.ParseAccessToken(tt.token)
			if err == nil {
				t.Fatalf("ParseAccessToken(%q) = %q, want an error", tt.token, got)
			}
			if code := schema.ErrorCode(err); code != schema.CodeUnauthorized {
				t.Errorf("code = %q, want %q", code, schema.CodeUnauthorized)
			}
			if got != "" {
				t.Errorf("hash = %q on failure, want empty", got)
			}
		})
	}
}

func TestHashSecret(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	}
	for _, tt := range tests {
		if got := auth.HashSecret(tt.in); got != tt.want {
			t.Errorf("HashSecret(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	token, _, _ := newAccessToken(t)
	if a, b := auth.HashSecret(token), auth.HashSecret(token); a != b || strings.ToLower(a) != a {
		t.Errorf("HashSecret is not stable lowercase hex: %q, %q", a, b)
	}
}
