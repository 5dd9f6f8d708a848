package auth

import "crypto/rand"

// base62Alphabet is the digits then the upper- and lowercase letters; it
// has no character that needs escaping in a URL, a header or a shell.
const base62Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

// randomBase62 returns n characters drawn uniformly from base62Alphabet
// with crypto/rand: random bytes of 248 or more are skipped, so that
// b % 62 favours no character.
func randomBase62(n int) string {
	out := make([]byte, 0, n)
	buf := make([]byte, n+n/4)
	for len(out) < n {
		rand.Read(buf)
		for _, b := range buf {
			if b >= 248 {
				continue
			}
			out = append(out, base62Alphabet[b%62])
			if len(out) == n {
				break
			}
		}
	}
	return string(out)
}

// base62Fixed returns v in base62, left-padded with '0' to width
// characters (or longer if v needs more).
func base62Fixed(v uint64, width int) string {
	var digits [11]byte // 62^11 > 2^64
	i := len(digits)
	for v > 0 {
		i--
		digits[i] = base62Alphabet[v%62]
		v /= 62
	}
	for len(digits)-i < width {
		i--
		digits[i] = '0'
	}
	return string(digits[i:])
}

// isBase62 reports whether every byte of s is in base62Alphabet.
func isBase62(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z') {
			return false
		}
	}
	return true
}
