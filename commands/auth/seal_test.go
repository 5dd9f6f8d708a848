package auth_test

import (
	"bytes"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/commands/auth"
)

func masterKey(t *testing.T) []byte {
	t.Helper()
	key, err := auth.ParseMasterKey(auth.NewMasterKey())
	if err != nil {
		t.Fatal(err)
	}
	return key
}

func TestSealOpenRoundTrip(t *testing.T) {
	key := masterKey(t)
	tests := []struct {
		name      string
		plaintext []byte
		aad       string
	}{
		{"app secret", []byte("hs256-app-secret-value"), "app/app_01J9Z/jwt_secret"},
		{"empty plaintext", []byte{}, "app/app_01J9Z/empty"},
		{"empty aad", []byte("x"), ""},
		{"binary", []byte{0, 1, 2, 0xff, 0xfe}, "provider/prv_1/private_key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sealed, err := auth.Seal(key, tt.plaintext, tt.aad)
			if err != nil {
				t.Fatalf("Seal: %v", err)
			}
			if !strings.HasPrefix(sealed, "v1.") {
				t.Errorf("sealed = %q, want prefix v1.", sealed)
			}
			raw, err := base64.RawURLEncoding.Strict().DecodeString(strings.TrimPrefix(sealed, "v1."))
			if err != nil {
				t.Fatalf("sealed body is not unpadded base64url: %v", err)
			}
			if got, want := len(raw), 12+len(tt.plaintext)+16; got != want {
				t.Errorf("len(nonce||ciphertext) = %d, want %d", got, want)
			}
			if len(tt.plaintext) > 3 && bytes.Contains(raw, tt.plaintext) {
				t.Errorf("sealed value contains the plaintext")
			}
			got, err := auth.Open(key, sealed, tt.aad)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(got, tt.plaintext) {
				t.Errorf("Open = %q, want %q", got, tt.plaintext)
			}
		})
	}
}

func TestSealUsesFreshNonces(t *testing.T) {
	key := masterKey(t)
	a, err := auth.Seal(key, []byte("same"), "aad")
	if err != nil {
		t.Fatal(err)
	}
	b, err := auth.Seal(key, []byte("same"), "aad")
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Errorf("two seals of the same plaintext are equal: %q", a)
	}
}

func TestOpenRefuses(t *testing.T) {
	key := masterKey(t)
	const aad = "app/app_1/jwt_secret"
	sealed, err := auth.Seal(key, []byte("the secret"), aad)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(sealed, "v1."))
	if err != nil {
		t.Fatal(err)
	}
	tamper := func(i int) string {
		b := bytes.Clone(raw)
		b[i] ^= 0x01
		return "v1." + base64.RawURLEncoding.EncodeToString(b)
	}

	tests := []struct {
		name   string
		key    []byte
		sealed string
		aad    string
	}{
		{"wrong key", masterKey(t), sealed, aad},
		{"wrong aad", key, sealed, "app/app_2/jwt_secret"},
		{"empty aad", key, sealed, ""},
		{"tampered nonce", key, tamper(0), aad},
		{"tampered ciphertext", key, tamper(12), aad},
		{"tampered tag", key, tamper(len(raw) - 1), aad},
		{"truncated", key, sealed[:len(sealed)-4], aad},
		{"unknown version", key, "v2." + strings.TrimPrefix(sealed, "v1."), aad},
		{"no version", key, strings.TrimPrefix(sealed, "v1."), aad},
		{"not base64", key, "v1.!!!!", aad},
		{"too short for a nonce", key, "v1.AAAA", aad},
		{"empty", key, "", aad},
		{"short key", key[:16], sealed, aad},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := auth.Open(tt.key, tt.sealed, tt.aad)
			if err == nil {
				t.Fatalf("Open = %q, want an error", got)
			}
			if got != nil {
				t.Errorf("Open returned %q with its error, want nil", got)
			}
		})
	}
}

func TestSealRefusesShortKey(t *testing.T) {
	if _, err := auth.Seal(make([]byte, 16), []byte("x"), ""); err == nil {
		t.Error("Seal with a 16-byte key succeeded, want an error")
	}
}
