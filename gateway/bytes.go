package gateway

import "unsafe"

// b2s views b as a string without copying. The caller must not change b
// while the string is in use.
func b2s(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// s2b views s as bytes without copying; the bytes must not be changed.
func s2b(s string) []byte {
	if s == "" {
		return nil
	}
	return unsafe.Slice(unsafe.StringData(s), len(s))
}
