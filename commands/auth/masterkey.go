package auth

import (
	"crypto/rand"
	"encoding/base64"
	"strings"

	"github.com/aegis-oss/aegis/schema"
)

// MasterKeySize is the size in bytes of the master key (an AES-256 key).
const MasterKeySize = 32

// ParseMasterKey decodes s, the value of AEGIS_MASTER_KEY: base64 in the
// standard or URL alphabet, padded or not, of exactly MasterKeySize bytes.
// Surrounding whitespace is ignored. It returns a CodeInvalid error naming
// AEGIS_MASTER_KEY, and never echoing s, if s is anything else.
func ParseMasterKey(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	for _, enc := range []*base64.Encoding{
		base64.StdEncoding, base64.RawStdEncoding,
		base64.URLEncoding, base64.RawURLEncoding,
	} {
		if key, err := enc.Strict().DecodeString(s); err == nil && len(key) == MasterKeySize {
			return key, nil
		}
	}
	return nil, schema.Errorf(schema.CodeInvalid,
		"AEGIS_MASTER_KEY must be the base64 encoding of exactly %d random bytes", MasterKeySize)
}

// NewMasterKey returns a new random master key as padded standard base64,
// the form ParseMasterKey reads. It cannot fail.
func NewMasterKey() string {
	key := make([]byte, MasterKeySize)
	rand.Read(key)
	return base64.StdEncoding.EncodeToString(key)
}
