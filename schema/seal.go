package schema

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"strings"
)

// MasterKeySize is the size in bytes of the master key (an AES-256 key).
const MasterKeySize = 32

// sealVersion prefixes every sealed value, so that the scheme can change
// without making old events unreadable.
const sealVersion = "v1."

// errOpen is the one answer to a sealed value that cannot be opened,
// whatever the reason.
var errOpen = errors.New("sealed value could not be opened")

// sealAEAD returns AES-256-GCM under key with random 96-bit nonces that
// are prepended to the ciphertext. It returns a CodeInternal error if key
// is not MasterKeySize bytes.
func sealAEAD(key []byte) (cipher.AEAD, error) {
	if len(key) != MasterKeySize {
		return nil, Errorf(CodeInternal, "sealing key must be %d bytes", MasterKeySize)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, Wrap(CodeInternal, err, "sealing key is unusable")
	}
	aead, err := cipher.NewGCMWithRandomNonce(block)
	if err != nil {
		return nil, Wrap(CodeInternal, err, "sealing key is unusable")
	}
	return aead, nil
}

// Seal encrypts plaintext under key (the master key) with AES-256-GCM and
// a random nonce, binding it to aad (say, the aggregate and field it
// belongs to: opening it with another aad fails). It returns "v1." followed
// by the unpadded base64url of nonce||ciphertext||tag. It returns a
// CodeInternal error if key is not MasterKeySize bytes.
func Seal(key []byte, plaintext []byte, aad string) (string, error) {
	aead, err := sealAEAD(key)
	if err != nil {
		return "", err
	}
	sealed := aead.Seal(nil, nil, plaintext, []byte(aad))
	return sealVersion + base64.RawURLEncoding.EncodeToString(sealed), nil
}

// Open decrypts sealed, as made by Seal with the same key and aad, and
// returns the plaintext. It returns a CodeInternal error if key is not
// MasterKeySize bytes, and a CodeInternal error "sealed value could not be
// opened" if sealed has an unknown version, is malformed, was tampered
// with, or was sealed under another key or aad.
func Open(key []byte, sealed, aad string) ([]byte, error) {
	aead, err := sealAEAD(key)
	if err != nil {
		return nil, err
	}
	body, ok := strings.CutPrefix(sealed, sealVersion)
	if !ok {
		return nil, Wrap(CodeInternal, errOpen, errOpen.Error())
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(body)
	if err != nil {
		return nil, Wrap(CodeInternal, err, errOpen.Error())
	}
	plaintext, err := aead.Open(nil, nil, raw, []byte(aad))
	if err != nil {
		return nil, Wrap(CodeInternal, err, errOpen.Error())
	}
	return plaintext, nil
}

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
	return nil, Errorf(CodeInvalid,
		"AEGIS_MASTER_KEY must be the base64 encoding of exactly %d random bytes", MasterKeySize)
}

// NewMasterKey returns a new random master key as padded standard base64,
// the form ParseMasterKey reads. It panics only if the system's random
// source fails, as crypto/rand does.
func NewMasterKey() string {
	key := make([]byte, MasterKeySize)
	if _, err := rand.Read(key); err != nil {
		panic("schema: random source failed: " + err.Error())
	}
	return base64.StdEncoding.EncodeToString(key)
}
