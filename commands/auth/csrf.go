package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
)

// csrfTokenSize is the number of random bytes in a CSRF token.
const csrfTokenSize = 32

// NewCSRFToken returns a new CSRF token: 32 random bytes as unpadded
// base64url, safe in a cookie and a header. It cannot fail.
func NewCSRFToken() string {
	b := make([]byte, csrfTokenSize)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// CSRFMatches reports, in constant time, whether the token in the CSRF
// cookie equals the one the client sent in the header (double-submit). It
// returns false if either is empty.
func CSRFMatches(cookie, header string) bool {
	if cookie == "" || header == "" {
		return false
	}
	return subtle.ConstantTimeCompare([]byte(cookie), []byte(header)) == 1
}
