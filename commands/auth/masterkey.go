package auth

import (
	"crypto/rand"
	"encoding/base64"

	"github.com/aegis-oss/aegis/schema"
)

// MasterKeySize is the size in bytes of the master key (an AES-256 key).
const MasterKeySize = schema.MasterKeySize

// ParseMasterKey decodes s, the value of AEGIS_MASTER_KEY; it is
// schema.ParseMasterKey. It returns a CodeInvalid error naming
// AEGIS_MASTER_KEY, and never echoing s, if s is not the base64 (standard
// or URL alphabet, padded or not) of exactly MasterKeySize bytes.
func ParseMasterKey(s string) ([]byte, error) {
	return schema.ParseMasterKey(s)
}

// NewMasterKey returns a new random master key as padded standard base64,
// the form ParseMasterKey reads. It cannot fail.
func NewMasterKey() string {
	key := make([]byte, MasterKeySize)
	rand.Read(key)
	return base64.StdEncoding.EncodeToString(key)
}
