package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
)

// verificationContext separates verification tokens from any other use of
// the master key as an HMAC key.
const verificationContext = "aegis-verify:"

// VerificationToken returns the email verification token for
// verificationID: the unpadded base64url HMAC-SHA256 of
// "aegis-verify:"+verificationID under masterKey. It is derived, never
// stored: events keep HashSecret of it. The same key and ID always give
// the same token. It cannot fail.
func VerificationToken(masterKey []byte, verificationID string) string {
	mac := hmac.New(sha256.New, masterKey)
	mac.Write([]byte(verificationContext + verificationID))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// VerifyTokenMatches reports, in constant time, whether HashSecret(token)
// equals hash. It returns false if either is empty.
func VerifyTokenMatches(token, hash string) bool {
	if token == "" || hash == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(HashSecret(token)), []byte(hash)) == 1
}
