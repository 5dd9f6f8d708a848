package auth_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/schema"
)

var sessionSecret = []byte("0123456789abcdef0123456789abcdef")

func sessionClaims(expires time.Time) auth.SessionClaims {
	return auth.SessionClaims{
		SessionID:  "ses_01J9Z",
		MemberID:   "mem_01J9Z",
		CustomerID: "cus_01J9Z",
		Role:       "owner",
		ExpiresAt:  expires,
	}
}

// mint signs claims with method and key, bypassing SignSession, to build
// tokens SignSession would never make.
func mint(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	token, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatalf("mint %s token: %v", method.Alg(), err)
	}
	return token
}

// validMapClaims returns the claims SignSession would write, expiring an
// hour after now.
func validMapClaims(now time.Time) jwt.MapClaims {
	return jwt.MapClaims{
		"iss":  auth.SessionIssuer,
		"aud":  []string{auth.SessionAudience},
		"sub":  "mem_01J9Z",
		"jti":  "ses_01J9Z",
		"cid":  "cus_01J9Z",
		"role": "owner",
		"iat":  now.Unix(),
		"exp":  now.Add(time.Hour).Unix(),
	}
}

// withHeader returns a token with the given raw JSON header over payload,
// signed with HMAC-SHA256 under secret whatever the header says.
func withHeader(header, payload string, secret []byte) string {
	enc := base64.RawURLEncoding
	input := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(input))
	return input + "." + enc.EncodeToString(mac.Sum(nil))
}

func TestSessionRoundTrip(t *testing.T) {
	now := time.Now()
	want := sessionClaims(now.Add(time.Hour).Truncate(time.Second).UTC())
	want.IssuedAt = now.Truncate(time.Second).UTC()
	token, err := auth.SignSession(sessionSecret, want)
	if err != nil {
		t.Fatalf("SignSession: %v", err)
	}
	got, err := auth.ParseSession(sessionSecret, token, now)
	if err != nil {
		t.Fatalf("ParseSession: %v", err)
	}
	if got != want {
		t.Errorf("ParseSession = %+v, want %+v", got, want)
	}
}

func TestSessionClaimsOnTheWire(t *testing.T) {
	now := time.Now()
	token, err := auth.SignSession(sessionSecret, sessionClaims(now.Add(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	var claims jwt.MapClaims
	parsed, err := jwt.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) { return sessionSecret, nil })
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if got := parsed.Header["alg"]; got != "HS256" {
		t.Errorf("alg = %v, want HS256", got)
	}
	for name, want := range map[string]any{"iss": "aegis", "jti": "ses_01J9Z", "sub": "mem_01J9Z"} {
		if got := claims[name]; got != want {
			t.Errorf("%s = %v, want %v", name, got, want)
		}
	}
	if aud, _ := claims.GetAudience(); len(aud) != 1 || aud[0] != "aegis-dashboard" {
		t.Errorf("aud = %v, want [aegis-dashboard]", aud)
	}
	if iat, _ := claims.GetIssuedAt(); iat == nil || iat.Sub(now).Abs() > 2*time.Second {
		t.Errorf("iat = %v, want about %v", iat, now)
	}
}

func TestParseSessionRefuses(t *testing.T) {
	now := time.Now()
	good, err := auth.SignSession(sessionSecret, sessionClaims(now.Add(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(good, ".")
	otherSecret := []byte("ffffffffffffffffffffffffffffffff")
	payload := `{"iss":"aegis","aud":["aegis-dashboard"],"sub":"mem_1","jti":"ses_1","cid":"cus_1","role":"owner","exp":` +
		strconv.FormatInt(now.Add(time.Hour).Unix(), 10) + `}`

	without := func(name string) jwt.MapClaims {
		c := validMapClaims(now)
		delete(c, name)
		return c
	}
	with := func(name string, v any) jwt.MapClaims {
		c := validMapClaims(now)
		c[name] = v
		return c
	}

	tests := []struct {
		name  string
		token string
		now   time.Time
	}{
		{"expired", good, now.Add(time.Hour + time.Minute)},
		{"issued in the future", good, now.Add(-time.Minute)},
		{"wrong secret", mint(t, jwt.SigningMethodHS256, otherSecret, validMapClaims(now)), now},
		{"alg none", mint(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, validMapClaims(now)), now},
		{"alg none, empty signature, hand made",
			base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + parts[1] + ".", now},
		{"alg HS512 with the right secret", mint(t, jwt.SigningMethodHS512, sessionSecret, validMapClaims(now)), now},
		{"alg RS256 header, HMAC signature", withHeader(`{"alg":"RS256","typ":"JWT"}`, payload, sessionSecret), now},
		{"wrong audience", mint(t, jwt.SigningMethodHS256, sessionSecret, with("aud", []string{"aegis-cli"})), now},
		{"no audience", mint(t, jwt.SigningMethodHS256, sessionSecret, without("aud")), now},
		{"wrong issuer", mint(t, jwt.SigningMethodHS256, sessionSecret, with("iss", "someone-else")), now},
		{"no expiry", mint(t, jwt.SigningMethodHS256, sessionSecret, without("exp")), now},
		{"no session id", mint(t, jwt.SigningMethodHS256, sessionSecret, without("jti")), now},
		{"no customer", mint(t, jwt.SigningMethodHS256, sessionSecret, without("cid")), now},
		{"tampered payload", parts[0] + "." +
			base64.RawURLEncoding.EncodeToString([]byte(strings.Replace(decodeSegment(t, parts[1]), "owner", "admin", 1))) +
			"." + parts[2], now},
		{"tampered signature", parts[0] + "." + parts[1] + "." + flipLast(parts[2]), now},
		{"empty", "", now},
		{"garbage", "not.a.token", now},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := auth.ParseSession(sessionSecret, tt.token, tt.now)
			if err == nil {
				t.Fatalf("ParseSession accepted the token: %+v", got)
			}
			if code := schema.ErrorCode(err); code != schema.CodeUnauthorized {
				t.Errorf("code = %q, want %q", code, schema.CodeUnauthorized)
			}
			if msg, want := schema.ErrorMessage(err), "session is invalid or expired"; msg != want {
				t.Errorf("message = %q, want %q", msg, want)
			}
		})
	}
}

func TestSessionOwnClock(t *testing.T) {
	issued := time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)
	c := sessionClaims(issued.Add(time.Hour))
	c.IssuedAt = issued
	token, err := auth.SignSession(sessionSecret, c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := auth.ParseSession(sessionSecret, token, issued.Add(time.Minute))
	if err != nil {
		t.Fatalf("ParseSession on the signer's clock: %v", err)
	}
	if got != c {
		t.Errorf("ParseSession = %+v, want %+v", got, c)
	}
	if _, err := auth.ParseSession(sessionSecret, token, issued.Add(-time.Minute)); err == nil {
		t.Error("ParseSession accepted a token issued a minute in its future")
	}
}

func TestParseSessionLeeway(t *testing.T) {
	now := time.Now()
	token, err := auth.SignSession(sessionSecret, sessionClaims(now.Add(time.Minute)))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"just expired, within leeway", now.Add(time.Minute + 10*time.Second), true},
		{"expired beyond leeway", now.Add(time.Minute + 45*time.Second), false},
	}
	for _, tt := range tests {
		_, err := auth.ParseSession(sessionSecret, token, tt.at)
		if got := err == nil; got != tt.ok {
			t.Errorf("%s: accepted = %v, want %v (err %v)", tt.name, got, tt.ok, err)
		}
	}
}

func TestSessionSecretTooShort(t *testing.T) {
	short := []byte("only-31-bytes-long-secret-xxxxx")
	if _, err := auth.SignSession(short, sessionClaims(time.Now().Add(time.Hour))); err == nil {
		t.Error("SignSession with a 31-byte secret succeeded, want an error")
	}
	token, err := auth.SignSession(sessionSecret, sessionClaims(time.Now().Add(time.Hour)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := auth.ParseSession(short, token, time.Now()); err == nil {
		t.Error("ParseSession with a 31-byte secret succeeded, want an error")
	}
}

func TestSignSessionIncompleteClaims(t *testing.T) {
	c := sessionClaims(time.Time{})
	if _, err := auth.SignSession(sessionSecret, c); err == nil {
		t.Error("SignSession without an expiry succeeded, want an error")
	}
	c = sessionClaims(time.Now().Add(time.Hour))
	c.SessionID = ""
	if _, err := auth.SignSession(sessionSecret, c); err == nil {
		t.Error("SignSession without a session ID succeeded, want an error")
	}
}

func decodeSegment(t *testing.T, s string) string {
	t.Helper()
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		t.Fatalf("decode %q: %v", s, err)
	}
	return string(b)
}

// flipLast changes a character near the end of a base64url segment, so
// that it decodes to different bytes.
func flipLast(s string) string {
	first := s[:len(s)-4]
	last := s[len(s)-4:]
	if last[0] == 'A' {
		return first + "B" + last[1:]
	}
	return first + "A" + last[1:]
}
