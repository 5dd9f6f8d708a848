package commands

import (
	"context"
	"errors"
	"time"

	"github.com/aegis-oss/aegis/schema"
)

// apiKey is the state of one API key, rebuilt from its events.
type apiKey struct {
	id, customerID, appID string
	environment           string
	exists, revoked       bool
	hash                  string
	revision              uint64
}

func (k *apiKey) apply(e schema.Event) error {
	k.revision = e.Revision
	switch e.Type {
	case schema.EventAPIKeyCreated:
		var p schema.APIKeyCreated
		if err := e.Decode(&p); err != nil {
			return err
		}
		k.exists, k.appID, k.environment, k.hash = true, p.AppID, p.Environment, p.KeyHash
	case schema.EventAPIKeyRotated:
		var p schema.APIKeyRotated
		if err := e.Decode(&p); err != nil {
			return err
		}
		k.hash = p.KeyHash
	case schema.EventAPIKeyRevoked:
		k.revoked = true
	}
	return nil
}

// loadKey returns an API key's state. It returns a not-found *Error if the
// customer has no such key.
func (s *Service) loadKey(ctx context.Context, customerID, keyID string) (*apiKey, error) {
	if _, err := schema.ParseID(keyID); err != nil {
		return nil, schema.Errorf(schema.CodeNotFound, "API key not found")
	}
	events, _, err := s.log.Load(ctx, customerID, schema.AggregateAPIKey, keyID)
	if err != nil {
		return nil, err
	}
	k := &apiKey{id: keyID, customerID: customerID}
	for _, e := range events {
		if err := k.apply(e); err != nil {
			return nil, err
		}
	}
	if !k.exists {
		return nil, schema.Errorf(schema.CodeNotFound, "API key not found")
	}
	return k, nil
}

// CreateKey issues an API key for an app and environment.
type CreateKey struct {
	Environment string
	Name        string
	Scopes      []string
	TenantID    string
	ExpiresAt   *time.Time
	RateLimit   *schema.RateLimit
}

// CreatedKey is the outcome of CreateKey and RotateKey. Key is shown this
// once; Aegis keeps only its SHA-256.
type CreatedKey struct {
	Result
	KeyID  string `json:"key_id"`
	Key    string `json:"key"`
	Prefix string `json:"prefix"`
	Last4  string `json:"last4"`
}

// CreateKey runs the CreateKey command. It returns a not-found *Error if
// the app does not exist, an invalid one for bad fields.
func (s *Service) CreateKey(ctx context.Context, customerID, appID string, c CreateKey, m Meta) (CreatedKey, error) {
	if err := c.validate(s.now()); err != nil {
		return CreatedKey{}, err
	}
	if _, err := s.loadApp(ctx, customerID, appID); err != nil {
		return CreatedKey{}, err
	}
	key, hash, prefix, last4, err := schema.NewAPIKey(c.Environment)
	if err != nil {
		return CreatedKey{}, err
	}
	keyID := schema.NewID()
	cmdID := m.commandID()
	e, err := newEvent(schema.EventAPIKeyCreated, customerID, schema.AggregateAPIKey, keyID, m, cmdID, schema.APIKeyCreated{
		AppID: appID, Environment: c.Environment, Name: c.Name, Scopes: c.Scopes, TenantID: c.TenantID,
		ExpiresAt: c.ExpiresAt, RateLimit: c.RateLimit, KeyHash: hash, Prefix: prefix, Last4: last4,
	})
	if err != nil {
		return CreatedKey{}, err
	}
	res, err := s.appendSecret(ctx, 0, cmdID, e)
	if err != nil {
		return CreatedKey{}, err
	}
	return CreatedKey{Result: res, KeyID: keyID, Key: key, Prefix: prefix, Last4: last4}, nil
}

func (c CreateKey) validate(now time.Time) error {
	switch {
	case c.Name == "" || len(c.Name) > 80:
		return schema.Errorf(schema.CodeInvalid, "key name must be 1 to 80 characters")
	case c.ExpiresAt != nil && !c.ExpiresAt.After(now):
		return schema.Errorf(schema.CodeInvalid, "expires_at must be in the future")
	case len(c.Scopes) > 50:
		return schema.Errorf(schema.CodeInvalid, "at most 50 scopes")
	case len(c.TenantID) > 128:
		return schema.Errorf(schema.CodeInvalid, "tenant_id must be at most 128 characters")
	case c.RateLimit != nil && (c.RateLimit.Requests < 1 || c.RateLimit.PeriodSeconds < 1 || c.RateLimit.PeriodSeconds > 86400):
		return schema.Errorf(schema.CodeInvalid, "rate_limit needs requests ≥ 1 and period_seconds from 1 to 86400")
	}
	for _, sc := range c.Scopes {
		if !claimPattern.MatchString(sc) {
			return schema.Errorf(schema.CodeInvalid, "scope %q must be 1 to 64 of A-Z a-z 0-9 _ . : / -", sc)
		}
	}
	return nil
}

// RotateKey gives a key a new secret. The old secret keeps working for
// grace (0 to 30 days), so clients can move over. It returns a not-found
// *Error for an unknown key and a conflict *Error for a revoked one.
func (s *Service) RotateKey(ctx context.Context, customerID, keyID string, grace time.Duration, m Meta) (CreatedKey, error) {
	if grace < 0 || grace > 30*24*time.Hour {
		return CreatedKey{}, schema.Errorf(schema.CodeInvalid, "grace period must be 0 to 30 days")
	}
	k, err := s.loadKey(ctx, customerID, keyID)
	if err != nil {
		return CreatedKey{}, err
	}
	if k.revoked {
		return CreatedKey{}, schema.Errorf(schema.CodeConflict, "the key is revoked")
	}
	if _, err := s.loadApp(ctx, customerID, k.appID); errors.Is(err, schema.ErrNotFound) {
		return CreatedKey{}, schema.Errorf(schema.CodeConflict, "the key's app was deleted")
	} else if err != nil {
		return CreatedKey{}, err
	}
	key, hash, prefix, last4, err := schema.NewAPIKey(k.environment)
	if err != nil {
		return CreatedKey{}, err
	}
	cmdID := m.commandID()
	e, err := newEvent(schema.EventAPIKeyRotated, customerID, schema.AggregateAPIKey, keyID, m, cmdID, schema.APIKeyRotated{
		KeyHash: hash, Prefix: prefix, Last4: last4, OldKeyHash: k.hash, OldValidUntil: s.now().Add(grace).UTC(),
	})
	if err != nil {
		return CreatedKey{}, err
	}
	res, err := s.appendSecret(ctx, k.revision, cmdID, e)
	if err != nil {
		return CreatedKey{}, err
	}
	return CreatedKey{Result: res, KeyID: keyID, Key: key, Prefix: prefix, Last4: last4}, nil
}

// RevokeKey revokes an API key at once. Revoking a revoked key changes
// nothing. It returns a not-found *Error for an unknown key.
func (s *Service) RevokeKey(ctx context.Context, customerID, keyID string, m Meta) (Result, error) {
	k, err := s.loadKey(ctx, customerID, keyID)
	if err != nil {
		return Result{}, err
	}
	if k.revoked {
		return Result{Revision: k.revision}, nil
	}
	cmdID := m.commandID()
	e, err := newEvent(schema.EventAPIKeyRevoked, customerID, schema.AggregateAPIKey, keyID, m, cmdID, schema.APIKeyRevoked{AppID: k.appID})
	if err != nil {
		return Result{}, err
	}
	return s.appendTo(ctx, k.revision, cmdID, e)
}
