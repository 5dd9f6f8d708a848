package schema

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"hash/crc32"
	"strings"
	"unsafe"
)

// API key format: "aeg_", the environment's tag (prod, stg, dev), "_", 32
// random base62 characters (190 bits), "_", and a 6-character base62
// CRC-32 of everything before it. The fixed prefix lets secret scanners
// find leaked keys; the checksum lets the gateway refuse a malformed key
// without a lookup. Only the SHA-256 of a key is ever stored.
const (
	apiKeyPrefix      = "aeg_"
	apiKeyRandomLen   = 32
	apiKeyChecksumLen = 6
	base62Alphabet    = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)

// envTags maps environments to the tag their keys carry.
var envTags = map[string]string{EnvProduction: "prod", EnvStaging: "stg", EnvDevelopment: "dev"}

// NewAPIKey returns a new API key for environment env, its SHA-256 (hex),
// the characters shown in lists before the masked part (prefix) and its
// last 4. It returns an invalid *Error for an unknown environment.
func NewAPIKey(env string) (key, hash, prefix, last4 string, err error) {
	tag, ok := envTags[env]
	if !ok {
		return "", "", "", "", Errorf(CodeInvalid, "environment must be production, staging or development, not %q", env)
	}
	var b [apiKeyRandomLen]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", "", "", Wrap(CodeInternal, err, "random source failed")
	}
	for i, c := range b {
		b[i] = base62Alphabet[int(c)%len(base62Alphabet)] // 256 % 62 bias: < 0.1 bit per char lost
	}
	body := apiKeyPrefix + tag + "_" + string(b[:])
	key = body + "_" + apiKeyChecksum(body)
	return key, APIKeySHA256(key), key[:len(apiKeyPrefix)+len(tag)+1+4], key[len(key)-4:], nil
}

// ParseAPIKey checks the format and checksum of key and returns the
// environment it belongs to. ok is false for anything that is not a
// well-formed Aegis API key, which needs no lookup to refuse.
func ParseAPIKey(key string) (env string, ok bool) {
	if !strings.HasPrefix(key, apiKeyPrefix) {
		return "", false
	}
	rest := key[len(apiKeyPrefix):]
	i := strings.IndexByte(rest, '_')
	if i < 0 {
		return "", false
	}
	switch rest[:i] {
	case "prod":
		env = EnvProduction
	case "stg":
		env = EnvStaging
	case "dev":
		env = EnvDevelopment
	default:
		return "", false
	}
	rest = rest[i+1:]
	if len(rest) != apiKeyRandomLen+1+apiKeyChecksumLen || rest[apiKeyRandomLen] != '_' {
		return "", false
	}
	body := key[:len(key)-apiKeyChecksumLen-1]
	for j := 0; j < apiKeyRandomLen; j++ {
		if !isBase62(rest[j]) {
			return "", false
		}
	}
	if !checksumMatches(body, rest[apiKeyRandomLen+1:]) {
		return "", false
	}
	return env, true
}

// APIKeySHA256 returns the hex SHA-256 of key: what events, read models and
// the gateway's KV bucket hold instead of the key.
func APIKeySHA256(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

func apiKeyChecksum(body string) string {
	v := crcIEEE(body)
	var out [apiKeyChecksumLen]byte
	for i := apiKeyChecksumLen - 1; i >= 0; i-- {
		out[i] = base62Alphabet[v%62]
		v /= 62
	}
	return string(out[:])
}

// checksumMatches compares without allocating.
func checksumMatches(body, sum string) bool {
	v := crcIEEE(body)
	for i := apiKeyChecksumLen - 1; i >= 0; i-- {
		if sum[i] != base62Alphabet[v%62] {
			return false
		}
		v /= 62
	}
	return true
}

func isBase62(c byte) bool {
	return '0' <= c && c <= '9' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
}

// crcIEEE is crc32.ChecksumIEEE of a string. It reads the string's bytes
// in place: converting it to a byte slice would copy it, and allocate, on
// the gateway's request path. ChecksumIEEE only reads them.
func crcIEEE(s string) uint32 {
	return crc32.ChecksumIEEE(unsafe.Slice(unsafe.StringData(s), len(s)))
}
