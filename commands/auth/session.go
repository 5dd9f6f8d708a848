package auth

import (
	"time"

	"github.com/golang-jwt/jwt/v5"

	"github.com/aegis-oss/aegis/schema"
)

// Dashboard session token settings.
const (
	// SessionIssuer is the "iss" claim of every session token.
	SessionIssuer = "aegis"
	// SessionAudience is the "aud" claim of every session token.
	SessionAudience = "aegis-dashboard"
	// MinSessionSecretLength is the shortest secret, in bytes, that signs
	// or checks session tokens (HS256 wants a key as long as its hash).
	MinSessionSecretLength = 32
	// sessionLeeway absorbs clock skew between admin API processes.
	sessionLeeway = 30 * time.Second
)

// SessionClaims is what a dashboard session token says: which session,
// which member of which customer, in which role, until when.
type SessionClaims struct {
	// SessionID identifies the session; it is the token's "jti".
	SessionID string
	// MemberID is the member logged in; it is the token's "sub".
	MemberID string
	// CustomerID is the customer the member acts for.
	CustomerID string
	// Role is the member's role within the customer.
	Role string
	// ExpiresAt is when the token stops being accepted, to the second.
	ExpiresAt time.Time
	// IssuedAt is when the token was issued, to the second. SignSession
	// uses the current time if it is zero, so a caller with its own clock
	// sets it.
	IssuedAt time.Time
}

// sessionJWT is the token's claim set on the wire.
type sessionJWT struct {
	CustomerID string `json:"cid"`
	Role       string `json:"role"`
	jwt.RegisteredClaims
}

// errSessionInvalid is the one answer to every token that fails to parse,
// so that a client learns nothing about why.
func errSessionInvalid(cause error) error {
	return schema.Wrap(schema.CodeUnauthorized, cause, "session is invalid or expired")
}

// checkSessionSecret returns a CodeInternal error if secret is shorter
// than MinSessionSecretLength, or nil.
func checkSessionSecret(secret []byte) error {
	if len(secret) < MinSessionSecretLength {
		return schema.Errorf(schema.CodeInternal, "session secret must be at least %d bytes", MinSessionSecretLength)
	}
	return nil
}

// SignSession returns c as an HS256-signed JWT with issuer SessionIssuer,
// audience SessionAudience, "iat" c.IssuedAt (or now), "exp" c.ExpiresAt,
// "jti" c.SessionID and "sub" c.MemberID. It returns a CodeInternal error
// if secret is shorter than MinSessionSecretLength, if c lacks an ID, a
// role or an expiry, or if signing fails.
func SignSession(secret []byte, c SessionClaims) (string, error) {
	if err := checkSessionSecret(secret); err != nil {
		return "", err
	}
	if c.SessionID == "" || c.MemberID == "" || c.CustomerID == "" || c.Role == "" || c.ExpiresAt.IsZero() {
		return "", schema.Errorf(schema.CodeInternal, "session claims are incomplete")
	}
	issued := c.IssuedAt
	if issued.IsZero() {
		issued = time.Now()
	}
	claims := sessionJWT{
		CustomerID: c.CustomerID,
		Role:       c.Role,
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    SessionIssuer,
			Subject:   c.MemberID,
			Audience:  jwt.ClaimStrings{SessionAudience},
			ExpiresAt: jwt.NewNumericDate(c.ExpiresAt),
			IssuedAt:  jwt.NewNumericDate(issued),
			ID:        c.SessionID,
		},
	}
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(secret)
	if err != nil {
		return "", schema.Wrap(schema.CodeInternal, err, "session could not be signed")
	}
	return token, nil
}

// ParseSession checks token as of now and returns its claims. Only HS256
// is accepted; "exp" is required, "iss" and "aud" must match, "iat" may
// not be in the future, and times are allowed 30 seconds of clock skew. It returns a CodeInternal error if
// secret is shorter than MinSessionSecretLength, and a CodeUnauthorized
// error "session is invalid or expired" for every fault in the token.
func ParseSession(secret []byte, token string, now time.Time) (SessionClaims, error) {
	if err := checkSessionSecret(secret); err != nil {
		return SessionClaims{}, err
	}
	parser := jwt.NewParser(
		jwt.WithValidMethods([]string{jwt.SigningMethodHS256.Alg()}),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithIssuer(SessionIssuer),
		jwt.WithAudience(SessionAudience),
		jwt.WithLeeway(sessionLeeway),
		jwt.WithTimeFunc(func() time.Time { return now }),
	)
	var claims sessionJWT
	_, err := parser.ParseWithClaims(token, &claims, func(*jwt.Token) (any, error) {
		return secret, nil
	})
	if err != nil {
		return SessionClaims{}, errSessionInvalid(err)
	}
	if claims.ID == "" || claims.Subject == "" || claims.CustomerID == "" || claims.Role == "" {
		return SessionClaims{}, errSessionInvalid(nil)
	}
	return SessionClaims{
		SessionID:  claims.ID,
		MemberID:   claims.Subject,
		CustomerID: claims.CustomerID,
		Role:       claims.Role,
		ExpiresAt:  claims.ExpiresAt.UTC(),
		IssuedAt:   issuedAt(claims.IssuedAt),
	}, nil
}

// issuedAt returns d in UTC, or the zero time if the token had no "iat".
func issuedAt(d *jwt.NumericDate) time.Time {
	if d == nil {
		return time.Time{}
	}
	return d.UTC()
}
