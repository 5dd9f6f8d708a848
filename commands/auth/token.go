package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"hash/crc32"
	"strings"

	"github.com/aegis-oss/aegis/schema"
)

// Personal access token format: AccessTokenPrefix, 43 random base62
// characters (just over 256 bits), "_", and a 6-character base62 CRC-32 of
// the random part, e.g. "aegp_<43 chars>_<6 chars>". The fixed prefix lets
// secret scanners find leaked tokens; the checksum lets a malformed token
// be refused without a lookup.
const (
	AccessTokenPrefix      = "aegp_"
	accessTokenRandomLen   = 43
	accessTokenChecksumLen = 6
	// AccessTokenLength is the length of every personal access token.
	AccessTokenLength = len(AccessTokenPrefix) + accessTokenRandomLen + 1 + accessTokenChecksumLen
	// AccessTokenDisplayLength is how many leading characters of a token
	// are kept in the clear, to tell a member's tokens apart.
	AccessTokenDisplayLength = 12
)

// NewAccessToken returns a new personal access token: the plaintext, to be
// shown once; its hash (HashSecret of the plaintext), which is what events
// and read models keep; and its first AccessTokenDisplayLength characters,
// to show in lists. The error is nil today: crypto/rand aborts the process
// rather than return weak randomness; it is there so callers already
// handle a failure.
func NewAccessToken() (plaintext, hash, prefix string, err error) {
	random := randomBase62(accessTokenRandomLen)
	plaintext = AccessTokenPrefix + random + "_" + accessTokenChecksum(random)
	return plaintext, HashSecret(plaintext), plaintext[:AccessTokenDisplayLength], nil
}

// ParseAccessToken checks that s has the format of a personal access
// token, including its checksum, and returns HashSecret(s) to look it up
// by. It returns a CodeUnauthorized error "access token is invalid" if s
// is malformed.
func ParseAccessToken(s string) (hash string, err error) {
	invalid := schema.Errorf(schema.CodeUnauthorized, "access token is invalid")
	if len(s) != AccessTokenLength || !strings.HasPrefix(s, AccessTokenPrefix) {
		return "", invalid
	}
	rest := s[len(AccessTokenPrefix):]
	random, checksum := rest[:accessTokenRandomLen], rest[accessTokenRandomLen+1:]
	if rest[accessTokenRandomLen] != '_' || !isBase62(random) || !isBase62(checksum) {
		return "", invalid
	}
	if checksum != accessTokenChecksum(random) {
		return "", invalid
	}
	return HashSecret(s), nil
}

// accessTokenChecksum returns the CRC-32 (IEEE) of random as 6 base62
// characters.
func accessTokenChecksum(random string) string {
	return base62Fixed(uint64(crc32.ChecksumIEEE([]byte(random))), accessTokenChecksumLen)
}

// HashSecret returns the lowercase hex SHA-256 of s: the form in which
// high-entropy secrets (access tokens, verification tokens) are stored and
// looked up. It cannot fail.
func HashSecret(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
