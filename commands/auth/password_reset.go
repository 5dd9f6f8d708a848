package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// passwordResetContext separates password reset tokens from verification
// tokens and any other use of the master key as an HMAC key, so that a
// token made for one purpose never works for another.
const passwordResetContext = "aegis-reset:"

// PasswordResetToken returns the password reset token for resetID: the
// unpadded base64url HMAC-SHA256 of "aegis-reset:"+resetID under
// masterKey. Like a verification token it is derived, never stored:
// events keep HashSecret of it, and VerifyTokenMatches checks it. The same
// key and ID always give the same token. It cannot fail.
func PasswordResetToken(masterKey []byte, resetID string) string {
	mac := hmac.New(sha256.New, masterKey)
	mac.Write([]byte(passwordResetContext + resetID))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}
