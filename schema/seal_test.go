package schema_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/schema"
)

func masterKey(t *testing.T) []byte {
	t.Helper()
	raw := make([]byte, schema.MasterKeySize)
	rand.Read(raw)
	key, err := schema.ParseMasterKey(base64.StdEncoding.EncodeToString(raw))
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
			sealed, err := schema.Seal(key, tt.plaintext, tt.aad)
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
			got, err := schema.Open(key, sealed, tt.aad)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			if !bytes.Equal(got, tt.plaintext) {
				t.Errorf("Open = %q, want %q", got, tt.plaintext)
			}
		})
	}
}

// A value sealed in v1 format stays readable: this one was sealed under
// the key 0x00..0x1f with aad "app-jwt".
func TestOpenReadsV1Values(t *testing.T) {
	key := make([]byte, schema.MasterKeySize)
	for i := range key {
		key[i] = byte(i)
	}
	const sealed = "v1.PaWIqJmV51k3NKmh0UtSd7uT8zSqqK8mNfsuslnNAFNTw3yOUZgDbjcTWamjsam4NWg"
	got, err := schema.Open(key, sealed, "app-jwt")
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	if want := "hs256-app-secret-value"; string(got) != want {
		t.Errorf("Open = %q, want %q", got, want)
	}
}

func TestSealUsesFreshNonces(t *testing.T) {
	key := masterKey(t)
	a, err := schema.Seal(key, []byte("same"), "aad")
	if err != nil {
		t.Fatal(err)
	}
	b, err := schema.Seal(key, []byte("same"), "aad")
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
	sealed, err := schema.Seal(key, []byte("the secret"), aad)
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
			got, err := schema.Open(tt.key, tt.sealed, tt.aad)
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
	if _, err := schema.Seal(make([]byte, 16), []byte("x"), ""); err == nil {
		t.Error("Seal with a 16-byte key succeeded, want an error")
	}
}

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
		got, err := schema.ParseMasterKey(tt.in)
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
		key, err := schema.ParseMasterKey(tt.in)
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
	a, b := schema.NewMasterKey(), schema.NewMasterKey()
	if a == b {
		t.Errorf("two new master keys are equal: %q", a)
	}
	key, err := schema.ParseMasterKey(a)
	if err != nil {
		t.Fatalf("ParseMasterKey(NewMasterKey()): %v", err)
	}
	if got, want := len(key), schema.MasterKeySize; got != want {
		t.Errorf("len(key) = %d, want %d", got, want)
	}
}
