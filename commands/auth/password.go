package auth

import (
	"crypto/rand"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/alexedwards/argon2id"

	"github.com/aegis-oss/aegis/schema"
)

// Password length limits, in characters. The upper bound keeps a single
// login request from costing more than a normal one.
const (
	MinPasswordLength = 10
	MaxPasswordLength = 128
)

// minLocalPartLength is the shortest email local part that a password may
// not contain; shorter ones ("jo", "ann") would refuse too much.
const minLocalPartLength = 4

// passwordParams are OWASP's recommended argon2id parameters: 19 MiB of
// memory, 2 iterations, 1 lane, a 16-byte salt and a 32-byte key.
var passwordParams = &argon2id.Params{
	Memory:      19 * 1024,
	Iterations:  2,
	Parallelism: 1,
	SaltLength:  16,
	KeyLength:   32,
}

// HashPassword returns the argon2id hash of pw in PHC string form
// ("$argon2id$v=19$m=19456,t=2,p=1$salt$key"), with a fresh random salt.
// It returns a CodeInternal error if no salt could be generated.
func HashPassword(pw string) (string, error) {
	hash, err := argon2id.CreateHash(pw, passwordParams)
	if err != nil {
		return "", schema.Wrap(schema.CodeInternal, err, "password could not be hashed")
	}
	return hash, nil
}

// CheckPassword reports whether pw matches hash, comparing the derived keys
// in constant time and using the parameters recorded in hash. It returns
// false and a CodeInternal error if hash is not an argon2id hash.
func CheckPassword(hash, pw string) (bool, error) {
	ok, err := argon2id.ComparePasswordAndHash(pw, hash)
	if err != nil {
		return false, schema.Wrap(schema.CodeInternal, err, "password could not be checked")
	}
	return ok, nil
}

// dummyHash is a hash of a random password that nobody knows, made with
// the same parameters as HashPassword, for DummyCheck to compare against.
var dummyHash = sync.OnceValue(func() string {
	hash, err := argon2id.CreateHash(rand.Text(), passwordParams)
	if err != nil {
		panic("auth: dummy password hash: " + err.Error())
	}
	return hash
})

// DummyCheck checks pw against a hash of a password nobody knows, so it
// spends as long as CheckPassword does on a real hash, and returns nothing:
// it always fails. Call it with the submitted password when a login names
// an email that has no member, so that the response time does not tell
// which emails exist. The first call in a process also computes the hash
// it compares against.
func DummyCheck(pw string) {
	_, _ = argon2id.ComparePasswordAndHash(pw, dummyHash())
}

// ValidatePassword checks pw against the password rules: between
// MinPasswordLength and MaxPasswordLength characters, not containing the
// local part of email (ignoring case, when it has at least 4 characters),
// and not one of the most common passwords (ignoring case). It returns a
// CodeInvalid error naming the first rule pw breaks, or nil.
func ValidatePassword(pw, email string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return schema.Errorf(schema.CodeInvalid, "password must be at least %d characters", MinPasswordLength)
	case n > MaxPasswordLength:
		return schema.Errorf(schema.CodeInvalid, "password must be at most %d characters", MaxPasswordLength)
	}
	lower := strings.ToLower(pw)
	if local := emailLocalPart(email); utf8.RuneCountInString(local) >= minLocalPartLength &&
		strings.Contains(lower, strings.ToLower(local)) {
		return schema.Errorf(schema.CodeInvalid, "password must not contain your email address")
	}
	if IsCommonPassword(pw) {
		return schema.Errorf(schema.CodeInvalid, "password is too common; choose a less guessable one")
	}
	return nil
}

// emailLocalPart returns the part of email before its last "@", or all of
// email if it has none.
func emailLocalPart(email string) string {
	if i := strings.LastIndexByte(email, '@'); i >= 0 {
		return email[:i]
	}
	return email
}
