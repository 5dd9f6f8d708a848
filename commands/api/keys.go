package api

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5"

	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/commands/readmodel"
	"github.com/aegis-oss/aegis/schema"
)

// CreateKeyInput is the request of POST /api/v1/apps/{id}/api-keys.
type CreateKeyInput struct {
	AuthInput
	CommandInput
	WaitInput
	AppID string `path:"id" maxLength:"36"`
	Body  struct {
		Environment string            `json:"environment" enum:"production,staging,development"`
		Name        string            `json:"name" minLength:"1" maxLength:"80"`
		Scopes      []string          `json:"scopes,omitempty" maxItems:"50"`
		TenantID    string            `json:"tenant_id,omitempty" maxLength:"128" doc:"Binds the key to one of your tenants."`
		ExpiresAt   *time.Time        `json:"expires_at,omitempty"`
		RateLimit   *schema.RateLimit `json:"rate_limit,omitempty" doc:"Overrides the app's rate limit for this key."`
	}
}

// KeyOutput answers a key's creation or rotation: the only time the key
// is shown.
type KeyOutput struct {
	Body commands.CreatedKey
}

// ListKeysInput filters GET /api/v1/api-keys.
type ListKeysInput struct {
	AuthInput
	AppID       string `query:"app_id" maxLength:"36"`
	Environment string `query:"environment" doc:"production, staging or development."`
}

// AppKeysInput lists one app's keys.
type AppKeysInput struct {
	AuthInput
	AppID       string `path:"id" maxLength:"36"`
	Environment string `query:"environment" doc:"production, staging or development."`
}

// KeysOutput lists API keys, masked.
type KeysOutput struct {
	Body struct {
		Keys []readmodel.APIKey `json:"keys"`
	}
}

// RotateKeyInput is the request of POST /api/v1/api-keys/{id}/rotate.
type RotateKeyInput struct {
	AuthInput
	CommandInput
	WaitInput
	KeyID string `path:"id" maxLength:"36"`
	Body  struct {
		GraceSeconds int `json:"grace_seconds,omitempty" minimum:"0" maximum:"2592000" doc:"How long the old secret keeps working (default 0: it stops at once)."`
	}
}

// KeyIDInput names a key.
type KeyIDInput struct {
	AuthInput
	CommandInput
	WaitInput
	KeyID string `path:"id" maxLength:"36"`
}

func (s *Server) registerKeys(api huma.API) {
	tags := []string{"API keys"}
	huma.Register(api, huma.Operation{
		OperationID: "create-api-key", Method: http.MethodPost, Path: "/api/v1/apps/{id}/api-keys", Tags: tags,
		Summary: "Create an API key", DefaultStatus: http.StatusCreated,
		Description: "The key is in this answer only; Aegis keeps its SHA-256. Needs the developer role.",
	}, func(ctx context.Context, in *CreateKeyInput) (*KeyOutput, error) {
		p, err := s.authenticate(ctx, in.AuthInput, http.MethodPost, schema.RoleDeveloper)
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		b := in.Body
		out, err := s.opts.Service.CreateKey(ctx, p.CustomerID, in.AppID, commands.CreateKey{
			Environment: b.Environment, Name: b.Name, Scopes: b.Scopes, TenantID: b.TenantID, ExpiresAt: b.ExpiresAt, RateLimit: b.RateLimit,
		}, in.meta(ctx, p.Actor(), p.MemberID))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		if err := s.propagate(ctx, in.WaitInput, &out.Result); err != nil {
			return nil, err
		}
		return &KeyOutput{Body: out}, nil
	})

	list := func(ctx context.Context, auth AuthInput, f readmodel.KeyFilter) (*KeysOutput, error) {
		out := &KeysOutput{}
		if err := s.read(ctx, auth, func(tx pgx.Tx, _ readmodel.Principal) (err error) {
			out.Body.Keys, err = readmodel.APIKeys(ctx, tx, f)
			return err
		}); err != nil {
			return nil, err
		}
		if out.Body.Keys == nil {
			out.Body.Keys = []readmodel.APIKey{}
		}
		return out, nil
	}
	huma.Register(api, huma.Operation{
		OperationID: "list-api-keys", Method: http.MethodGet, Path: "/api/v1/api-keys", Tags: tags,
		Summary: "List all your API keys", Description: "Masked: prefix and last 4 characters only.",
	}, func(ctx context.Context, in *ListKeysInput) (*KeysOutput, error) {
		return list(ctx, in.AuthInput, readmodel.KeyFilter{AppID: in.AppID, Environment: in.Environment})
	})
	huma.Register(api, huma.Operation{
		OperationID: "list-app-api-keys", Method: http.MethodGet, Path: "/api/v1/apps/{id}/api-keys", Tags: tags,
		Summary: "List an app's API keys", Description: "Masked: prefix and last 4 characters only.",
	}, func(ctx context.Context, in *AppKeysInput) (*KeysOutput, error) {
		return list(ctx, in.AuthInput, readmodel.KeyFilter{AppID: in.AppID, Environment: in.Environment})
	})

	huma.Register(api, huma.Operation{
		OperationID: "rotate-api-key", Method: http.MethodPost, Path: "/api/v1/api-keys/{id}/rotate", Tags: tags,
		Summary:     "Rotate an API key",
		Description: "Issues a new secret, shown once. The old one keeps working for grace_seconds. Needs the developer role.",
	}, func(ctx context.Context, in *RotateKeyInput) (*KeyOutput, error) {
		p, err := s.authenticate(ctx, in.AuthInput, http.MethodPost, schema.RoleDeveloper)
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		out, err := s.opts.Service.RotateKey(ctx, p.CustomerID, in.KeyID, time.Duration(in.Body.GraceSeconds)*time.Second, in.meta(ctx, p.Actor(), p.MemberID))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		if err := s.propagate(ctx, in.WaitInput, &out.Result); err != nil {
			return nil, err
		}
		return &KeyOutput{Body: out}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "revoke-api-key", Method: http.MethodDelete, Path: "/api/v1/api-keys/{id}", Tags: tags,
		Summary: "Revoke an API key", Description: "It stops working at once. Needs the developer role.",
	}, func(ctx context.Context, in *KeyIDInput) (*ResultOutput, error) {
		p, err := s.authenticate(ctx, in.AuthInput, http.MethodDelete, schema.RoleDeveloper)
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		res, err := s.opts.Service.RevokeKey(ctx, p.CustomerID, in.KeyID, in.meta(ctx, p.Actor(), p.MemberID))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		if err := s.propagate(ctx, in.WaitInput, &res); err != nil {
			return nil, err
		}
		return &ResultOutput{Body: res}, nil
	})
}
