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

// CreateTokenInput is the body of POST /api/v1/tokens.
type CreateTokenInput struct {
	AuthInput
	CommandInput
	Body struct {
		Name      string     `json:"name" minLength:"1" maxLength:"80" doc:"What the token is for, e.g. \"CI deploys\"."`
		ExpiresAt *time.Time `json:"expires_at,omitempty" doc:"When the token stops working; never, if unset."`
	}
}

// CreateTokenOutput answers POST /api/v1/tokens: the only time the token
// is shown.
type CreateTokenOutput struct {
	Body commands.CreatedToken
}

// ListTokensOutput answers GET /api/v1/tokens.
type ListTokensOutput struct {
	Body struct {
		Tokens []readmodel.Token `json:"tokens"`
	}
}

// RevokeTokenInput names a token to revoke.
type RevokeTokenInput struct {
	AuthInput
	CommandInput
	ID string `path:"id" maxLength:"36"`
}

func (s *Server) registerTokens(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "create-token", Method: http.MethodPost, Path: "/api/v1/tokens", Tags: []string{"Personal access tokens"},
		Summary:       "Create a personal access token",
		Description:   "For the CLI and scripts, sent as Authorization: Bearer. The token is in this answer only; Aegis keeps its hash.",
		DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *CreateTokenInput) (*CreateTokenOutput, error) {
		p, err := s.authenticate(ctx, in.AuthInput, http.MethodPost, schema.RoleViewer)
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		out, err := s.opts.Service.CreateToken(ctx, p.CustomerID, p.MemberID,
			commands.CreateToken{Name: in.Body.Name, ExpiresAt: in.Body.ExpiresAt}, in.meta(ctx, p.Actor(), p.MemberID))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		return &CreateTokenOutput{Body: out}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "list-tokens", Method: http.MethodGet, Path: "/api/v1/tokens", Tags: []string{"Personal access tokens"},
		Summary: "List your personal access tokens", Description: "Newest first; never the secrets.",
	}, func(ctx context.Context, in *MeInput) (*ListTokensOutput, error) {
		out := &ListTokensOutput{}
		if err := s.read(ctx, in.AuthInput, func(tx pgx.Tx, p readmodel.Principal) (err error) {
			out.Body.Tokens, err = readmodel.Tokens(ctx, tx, p.MemberID)
			return err
		}); err != nil {
			return nil, err
		}
		if out.Body.Tokens == nil {
			out.Body.Tokens = []readmodel.Token{}
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "revoke-token", Method: http.MethodDelete, Path: "/api/v1/tokens/{id}", Tags: []string{"Personal access tokens"},
		Summary: "Revoke a personal access token",
	}, func(ctx context.Context, in *RevokeTokenInput) (*ResultOutput, error) {
		p, err := s.authenticate(ctx, in.AuthInput, http.MethodDelete, schema.RoleViewer)
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		res, err := s.opts.Service.RevokeToken(ctx, p.CustomerID, p.MemberID, in.ID, in.meta(ctx, p.Actor(), p.MemberID))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		return &ResultOutput{Body: res}, nil
	})
}
