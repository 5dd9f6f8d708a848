package api

import (
	"context"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/schema"
)

// PasswordResetInput is the request of POST /api/v1/auth/password-reset.
type PasswordResetInput struct {
	CommandInput
	Body struct {
		Email string `json:"email" format:"email" maxLength:"254" doc:"The email of the account whose password was forgotten."`
	}
}

// PasswordResetOutput answers POST /api/v1/auth/password-reset: the same
// whatever the address.
type PasswordResetOutput struct {
	Body struct {
		Revision uint64 `json:"revision" doc:"Always 0, whatever was done, as for resending a verification."`
		Message  string `json:"message" doc:"What happens next, the same for every address."`
	}
}

// passwordResetMessage is the one answer to a reset request.
const passwordResetMessage = "If a verified account uses this email, a link to reset its password is on its way."

// PasswordResetConfirmInput is the request of POST
// /api/v1/auth/password-reset/confirm.
type PasswordResetConfirmInput struct {
	CommandInput
	Body struct {
		Token    string `json:"token" minLength:"1" maxLength:"256" doc:"The token from the password reset email's link."`
		Password string `json:"password" minLength:"10" maxLength:"128" doc:"The new password: at least 10 characters, not a common password, not containing the email."`
	}
}

// registerPasswordReset adds the password reset operations and the page
// the reset email's link opens.
func (s *Server) registerPasswordReset(api huma.API) {
	s.app.Get("/reset-password", s.servePage("reset-password.html"))

	huma.Register(api, huma.Operation{
		OperationID: "request-password-reset", Method: http.MethodPost, Path: "/api/v1/auth/password-reset", Tags: []string{"Accounts"},
		Summary: "Ask for a password reset link",
		Description: "Emails a link to choose a new password, valid once for an hour, if the address belongs to a verified member. " +
			"Answers 202 with the same body whatever the address, and at most 3 emails per member per hour. " +
			"Rate limited per client address and per email.",
		DefaultStatus: http.StatusAccepted,
	}, func(ctx context.Context, in *PasswordResetInput) (*PasswordResetOutput, error) {
		email := strings.ToLower(strings.TrimSpace(in.Body.Email))
		if err := s.limits.signup.allow(clientOf(ctx).ip); err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		if err := s.limits.account.allow(email); err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		res, err := s.opts.Service.RequestPasswordReset(ctx, commands.RequestPasswordReset{Email: in.Body.Email}, in.meta(ctx, schema.Actor{}, email))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		out := &PasswordResetOutput{}
		out.Body.Revision, out.Body.Message = res.Revision, passwordResetMessage
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "confirm-password-reset", Method: http.MethodPost, Path: "/api/v1/auth/password-reset/confirm", Tags: []string{"Accounts"},
		Summary: "Choose a new password with a reset link",
		Description: "Sets the password with the token from a password reset email; the link works once, until it expires. " +
			"Every dashboard session of the member ends; personal access tokens keep working. Then log in. " +
			"Rate limited per client address.",
	}, func(ctx context.Context, in *PasswordResetConfirmInput) (*ResultOutput, error) {
		if err := s.limits.signup.allow(clientOf(ctx).ip); err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		res, err := s.opts.Service.ResetPassword(ctx, commands.ResetPassword{Token: in.Body.Token, Password: in.Body.Password},
			in.meta(ctx, schema.Actor{}, in.Body.Token))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		return &ResultOutput{Body: res}, nil
	})
}
