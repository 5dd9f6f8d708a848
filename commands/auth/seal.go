package auth

import "github.com/aegis-oss/aegis/schema"

// Seal encrypts plaintext under key (the master key) with AES-256-GCM,
// bound to aad; it is schema.Seal, kept here for the commands that seal.
// It returns "v1." followed by the unpadded base64url of
// nonce||ciphertext||tag, or a CodeInternal error if key is not
// MasterKeySize bytes.
func Seal(key []byte, plaintext []byte, aad string) (string, error) {
	return schema.Seal(key, plaintext, aad)
}

// Open decrypts sealed, as made by Seal with the same key and aad; it is
// schema.Open. It returns a CodeInternal error if key is not MasterKeySize
// bytes or if sealed cannot be opened (unknown version, malformed,
// tampered with, or sealed under another key or aad).
func Open(key []byte, sealed, aad string) ([]byte, error) {
	return schema.Open(key, sealed, aad)
}
