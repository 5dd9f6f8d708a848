package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5"

	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/commands/readmodel"
	"github.com/aegis-oss/aegis/schema"
)

// AppBody is an app's configuration as a client sends it.
type AppBody struct {
	Name         string            `json:"name" minLength:"1" maxLength:"120"`
	Slug         string            `json:"slug" pattern:"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$" doc:"Unique across the platform."`
	Hostnames    []string          `json:"hostnames" minItems:"1" maxItems:"20" doc:"Hosts the gateway routes to this app; each hostname × path prefix is unique across the platform. A leading *. matches every subdomain."`
	PathPrefixes []string          `json:"path_prefixes,omitempty" maxItems:"20" doc:"Clean paths starting with /; default [\"/\"]."`
	Upstreams    []schema.Upstream `json:"upstreams" minItems:"1" maxItems:"16" doc:"Targets, with weights (default 1)."`
	Timeouts     schema.Timeouts   `json:"timeouts,omitempty" doc:"Milliseconds; defaults connect 5000, read 30000, write 30000."`
	AuthMode     string            `json:"auth_mode,omitempty" enum:"api_key,jwt,both" doc:"Default api_key."`
	JWT          *JWTBody          `json:"jwt,omitempty"`
	AuthorizeURL string            `json:"authorize_url,omitempty" doc:"Your authorization callout, e.g. https://api.example.com/aegis/authorize."`
	Status       string            `json:"status,omitempty" enum:"active,suspended" doc:"Default active."`
}

// JWTBody is how the gateway checks the app's JWTs.
type JWTBody struct {
	Issuer        string   `json:"issuer,omitempty"`
	Audiences     []string `json:"audiences,omitempty"`
	Algorithms    []string `json:"algorithms" minItems:"1"`
	HS256Secret   string   `json:"hs256_secret,omitempty" writeOnly:"true" doc:"For HS algorithms; stored sealed, never shown again. Omit on update to keep the current one."`
	PublicKeysPEM []string `json:"public_keys_pem,omitempty"`
	JWKSURL       string   `json:"jwks_url,omitempty"`
	TenantClaim   string   `json:"tenant_claim,omitempty" doc:"Default tenant_id."`
	UserClaim     string   `json:"user_claim,omitempty" doc:"Default sub."`
	RolesClaim    string   `json:"roles_claim,omitempty" doc:"Default roles."`
}

func (b AppBody) input() commands.AppInput {
	in := commands.AppInput{AppConfig: schema.AppConfig{
		Name: b.Name, Slug: b.Slug, Hostnames: b.Hostnames, PathPrefixes: b.PathPrefixes, Upstreams: b.Upstreams,
		Timeouts: b.Timeouts, AuthMode: b.AuthMode, AuthorizeURL: b.AuthorizeURL, Status: b.Status,
	}}
	if j := b.JWT; j != nil {
		in.JWT = &schema.JWTConfig{Issuer: j.Issuer, Audiences: j.Audiences, Algorithms: j.Algorithms,
			PublicKeysPEM: j.PublicKeysPEM, JWKSURL: j.JWKSURL, TenantClaim: j.TenantClaim, UserClaim: j.UserClaim, RolesClaim: j.RolesClaim}
		in.HS256Secret = j.HS256Secret
	}
	return in
}

// CreateAppInput is the request of POST /api/v1/apps.
type CreateAppInput struct {
	AuthInput
	CommandInput
	WaitInput
	Body AppBody
}

// UpdateAppInput is the request of PUT /api/v1/apps/{id}.
type UpdateAppInput struct {
	AuthInput
	CommandInput
	WaitInput
	ID      string `path:"id" maxLength:"36"`
	IfMatch uint64 `header:"If-Match" doc:"The app's revision the change is based on; 409 if the app changed since."`
	Body    AppBody
}

// AppIDInput names an app.
type AppIDInput struct {
	AuthInput
	CommandInput
	WaitInput
	ID string `path:"id" maxLength:"36"`
}

// AppResultOutput answers a command on an app.
type AppResultOutput struct {
	Body commands.AppResult
}

// AppOutput answers GET /api/v1/apps/{id}.
type AppOutput struct {
	Body readmodel.App
}

// AppsOutput answers GET /api/v1/apps.
type AppsOutput struct {
	Body struct {
		Apps []readmodel.App `json:"apps"`
	}
}

func (s *Server) registerApps(api huma.API) {
	tags := []string{"Apps"}
	huma.Register(api, huma.Operation{
		OperationID: "create-app", Method: http.MethodPost, Path: "/api/v1/apps", Tags: tags,
		Summary: "Create an app", DefaultStatus: http.StatusCreated,
		Description: "Registers one of your APIs behind the gateway. Needs the developer role. 409 if the slug or a hostname × path prefix is taken.",
	}, func(ctx context.Context, in *CreateAppInput) (*AppResultOutput, error) {
		p, err := s.authenticate(ctx, in.AuthInput, http.MethodPost, schema.RoleDeveloper)
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		res, err := s.opts.Service.CreateApp(ctx, p.CustomerID, in.Body.input(), in.meta(ctx, p.Actor(), p.MemberID))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		if err := s.propagate(ctx, in.WaitInput, &res.Result); err != nil {
			return nil, err
		}
		return &AppResultOutput{Body: res}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "list-apps", Method: http.MethodGet, Path: "/api/v1/apps", Tags: tags, Summary: "List apps",
	}, func(ctx context.Context, in *MeInput) (*AppsOutput, error) {
		out := &AppsOutput{}
		if err := s.read(ctx, in.AuthInput, func(tx pgx.Tx, _ readmodel.Principal) (err error) {
			out.Body.Apps, err = readmodel.Apps(ctx, tx)
			return err
		}); err != nil {
			return nil, err
		}
		if out.Body.Apps == nil {
			out.Body.Apps = []readmodel.App{}
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "get-app", Method: http.MethodGet, Path: "/api/v1/apps/{id}", Tags: tags, Summary: "Get an app",
	}, func(ctx context.Context, in *AppIDInput) (*AppOutput, error) {
		out := &AppOutput{}
		if err := s.read(ctx, in.AuthInput, func(tx pgx.Tx, _ readmodel.Principal) (err error) {
			out.Body, err = readmodel.AppByID(ctx, tx, in.ID)
			return err
		}); err != nil {
			return nil, err
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "update-app", Method: http.MethodPut, Path: "/api/v1/apps/{id}", Tags: tags,
		Summary:     "Replace an app's configuration",
		Description: "Send If-Match with the revision you read to refuse a change made meanwhile (409). Needs the developer role.",
	}, func(ctx context.Context, in *UpdateAppInput) (*AppResultOutput, error) {
		p, err := s.authenticate(ctx, in.AuthInput, http.MethodPut, schema.RoleDeveloper)
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		res, err := s.opts.Service.UpdateApp(ctx, p.CustomerID, in.ID, in.IfMatch, in.Body.input(), in.meta(ctx, p.Actor(), p.MemberID))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		if err := s.propagate(ctx, in.WaitInput, &res.Result); err != nil {
			return nil, err
		}
		return &AppResultOutput{Body: res}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "delete-app", Method: http.MethodDelete, Path: "/api/v1/apps/{id}", Tags: tags,
		Summary: "Delete an app", Description: "Frees its slug and routes; its API keys stop working. Needs the admin role.",
	}, func(ctx context.Context, in *AppIDInput) (*AppResultOutput, error) {
		p, err := s.authenticate(ctx, in.AuthInput, http.MethodDelete, schema.RoleAdmin)
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		res, err := s.opts.Service.DeleteApp(ctx, p.CustomerID, in.ID, in.meta(ctx, p.Actor(), p.MemberID))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		if err := s.propagate(ctx, in.WaitInput, &res.Result); err != nil {
			return nil, err
		}
		return &AppResultOutput{Body: res}, nil
	})
}
