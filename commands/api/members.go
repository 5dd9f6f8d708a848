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

// InviteInput is the request of POST /api/v1/members.
type InviteInput struct {
	AuthInput
	CommandInput
	Body struct {
		Email string `json:"email" format:"email" maxLength:"254"`
		Role  string `json:"role" enum:"owner,admin,developer,viewer"`
	}
}

// InvitedOutput answers an invitation or its acceptance.
type InvitedOutput struct {
	Body commands.Invited
}

// AcceptInput is the request of POST /api/v1/invitations/accept.
type AcceptInput struct {
	CommandInput
	Body struct {
		Token    string `json:"token" minLength:"1" maxLength:"256" doc:"The token from the invitation email's link."`
		Password string `json:"password" minLength:"10" maxLength:"128"`
	}
}

// RoleInput is the request of PATCH /api/v1/members/{id}.
type RoleInput struct {
	AuthInput
	CommandInput
	ID   string `path:"id" maxLength:"36"`
	Body struct {
		Role string `json:"role" enum:"owner,admin,developer,viewer"`
	}
}

// MemberIDInput names a member.
type MemberIDInput struct {
	AuthInput
	CommandInput
	ID string `path:"id" maxLength:"36"`
}

// MembersOutput answers GET /api/v1/members.
type MembersOutput struct {
	Body struct {
		Members []readmodel.Member `json:"members"`
	}
}

func inviter(p readmodel.Principal) commands.Inviter {
	return commands.Inviter{CustomerID: p.CustomerID, MemberID: p.MemberID, Role: p.Role}
}

func (s *Server) registerMembers(api huma.API) {
	tags := []string{"Members"}
	huma.Register(api, huma.Operation{
		OperationID: "list-members", Method: http.MethodGet, Path: "/api/v1/members", Tags: tags,
		Summary: "List members", Description: "Members and pending invitations, oldest first.",
	}, func(ctx context.Context, in *MeInput) (*MembersOutput, error) {
		out := &MembersOutput{}
		if err := s.read(ctx, in.AuthInput, func(tx pgx.Tx, _ readmodel.Principal) (err error) {
			out.Body.Members, err = readmodel.Members(ctx, tx)
			return err
		}); err != nil {
			return nil, err
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "invite-member", Method: http.MethodPost, Path: "/api/v1/members", Tags: tags,
		Summary: "Invite a member", DefaultStatus: http.StatusCreated,
		Description: "Emails an invitation link that works for 7 days. Needs the admin role; only owners invite owners.",
	}, func(ctx context.Context, in *InviteInput) (*InvitedOutput, error) {
		p, err := s.authenticate(ctx, in.AuthInput, http.MethodPost, schema.RoleAdmin)
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		out, err := s.opts.Service.InviteMember(ctx, inviter(p), in.Body.Email, in.Body.Role, in.meta(ctx, p.Actor(), p.MemberID))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		return &InvitedOutput{Body: out}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "accept-invitation", Method: http.MethodPost, Path: "/api/v1/invitations/accept", Tags: tags,
		Summary:     "Accept an invitation",
		Description: "Joins with the token from the invitation email and a new password; then log in. Rate limited per client address.",
	}, func(ctx context.Context, in *AcceptInput) (*InvitedOutput, error) {
		if err := s.limits.signup.allow(clientOf(ctx).ip); err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		out, err := s.opts.Service.AcceptInvitation(ctx, in.Body.Token, in.Body.Password, in.meta(ctx, schema.Actor{}, in.Body.Token))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		return &InvitedOutput{Body: out}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "change-member-role", Method: http.MethodPatch, Path: "/api/v1/members/{id}", Tags: tags,
		Summary: "Change a member's role", Description: "Needs the admin role; only owners grant or take the owner role.",
	}, func(ctx context.Context, in *RoleInput) (*ResultOutput, error) {
		p, err := s.authenticate(ctx, in.AuthInput, http.MethodPatch, schema.RoleAdmin)
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		res, err := s.opts.Service.ChangeRole(ctx, inviter(p), in.ID, in.Body.Role, in.meta(ctx, p.Actor(), p.MemberID))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		return &ResultOutput{Body: res}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "remove-member", Method: http.MethodDelete, Path: "/api/v1/members/{id}", Tags: tags,
		Summary:     "Remove a member",
		Description: "Their sessions and tokens stop working at once; withdraws a pending invitation. Needs the admin role; only owners remove owners.",
	}, func(ctx context.Context, in *MemberIDInput) (*ResultOutput, error) {
		p, err := s.authenticate(ctx, in.AuthInput, http.MethodDelete, schema.RoleAdmin)
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		res, err := s.opts.Service.RemoveMember(ctx, inviter(p), in.ID, in.meta(ctx, p.Actor(), p.MemberID))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		return &ResultOutput{Body: res}, nil
	})
}
