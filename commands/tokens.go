package commands

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/schema"
)

// CreateToken creates a personal access token for the member who sends it.
type CreateToken struct {
	Name string
	// ExpiresAt, if set, ends the token's validity.
	ExpiresAt *time.Time
}

// CreatedToken is the outcome of CreateToken. Token is shown this once;
// Aegis keeps only its hash.
type CreatedToken struct {
	Result
	TokenID string `json:"token_id"`
	Token   string `json:"token"`
	Prefix  string `json:"prefix"`
}

// CreateToken runs the CreateToken command. It returns an invalid *Error
// for a bad name or an expiry in the past.
func (s *Service) CreateToken(ctx context.Context, customerID, memberID string, c CreateToken, m Meta) (CreatedToken, error) {
	name := strings.TrimSpace(c.Name)
	if name == "" || utf8.RuneCountInString(name) > 80 {
		return CreatedToken{}, schema.Errorf(schema.CodeInvalid, "token name must be 1 to 80 characters")
	}
	if c.ExpiresAt != nil && !c.ExpiresAt.After(s.now()) {
		return CreatedToken{}, schema.Errorf(schema.CodeInvalid, "expires_at must be in the future")
	}
	mem, err := s.loadMember(ctx, customerID, memberID)
	if err != nil {
		return CreatedToken{}, err
	}
	plain, hash, prefix, err := auth.NewAccessToken()
	if err != nil {
		return CreatedToken{}, err
	}
	tokenID := schema.NewID()
	cmdID := m.commandID()
	e, err := newEvent(schema.EventMemberTokenCreated, customerID, schema.AggregateMember, memberID, m, cmdID,
		schema.MemberTokenCreated{TokenID: tokenID, Name: name, TokenHash: hash, Prefix: prefix, ExpiresAt: c.ExpiresAt})
	if err != nil {
		return CreatedToken{}, err
	}
	res, err := s.appendSecret(ctx, mem.revision, cmdID, e)
	if err != nil {
		return CreatedToken{}, err
	}
	return CreatedToken{Result: res, TokenID: tokenID, Token: plain, Prefix: prefix}, nil
}

// RevokeToken revokes one of the member's personal access tokens. It
// returns a not-found *Error if the member has no such token.
func (s *Service) RevokeToken(ctx context.Context, customerID, memberID, tokenID string, m Meta) (Result, error) {
	mem, err := s.loadMember(ctx, customerID, memberID)
	if err != nil {
		return Result{}, err
	}
	valid, ok := mem.tokens[tokenID]
	if !ok {
		return Result{}, schema.Errorf(schema.CodeNotFound, "no token %s", tokenID)
	}
	if !valid {
		return Result{Revision: mem.revision}, nil
	}
	cmdID := m.commandID()
	e, err := newEvent(schema.EventMemberTokenRevoked, customerID, schema.AggregateMember, memberID, m, cmdID,
		schema.MemberTokenRevoked{TokenID: tokenID})
	if err != nil {
		return Result{}, err
	}
	return s.appendTo(ctx, mem.revision, cmdID, e)
}
