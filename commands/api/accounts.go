package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5"

	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/commands/readmodel"
	"github.com/aegis-oss/aegis/schema"
)

// RegisterInput is the body of POST /api/v1/register.
type RegisterInput struct {
	CommandInput
	Body struct {
		CompanyName string `json:"company_name" minLength:"1" maxLength:"120" doc:"The company's name."`
		Email       string `json:"email" format:"email" maxLength:"254" doc:"The owner's email; a verification link is sent to it."`
		Password    string `json:"password" minLength:"10" maxLength:"128" doc:"At least 10 characters, not a common password, not containing the email."`
	}
}

// RegisterOutput answers POST /api/v1/register.
type RegisterOutput struct {
	Body commands.Registered
}

// TokenInput carries a verification token.
type TokenInput struct {
	CommandInput
	Body struct {
		Token string `json:"token" minLength:"1" maxLength:"256" doc:"The token from the verification email's link."`
	}
}

// ResultOutput answers a command with its revision.
type ResultOutput struct {
	Body commands.Result
}

// EmailInput carries an email address.
type EmailInput struct {
	CommandInput
	Body struct {
		Email string `json:"email" format:"email" maxLength:"254"`
	}
}

// LoginInput is the body of POST /api/v1/auth/login.
type LoginInput struct {
	CommandInput
	QueryInput
	Body struct {
		Email    string `json:"email" maxLength:"254"`
		Password string `json:"password" maxLength:"128"`
	}
}

// LoginOutput answers a login, which also sets the session cookie
// (aegis_session, HttpOnly) and the CSRF cookie (aegis_csrf), whose value
// the dashboard sends back in X-CSRF-Token.
type LoginOutput struct {
	Body struct {
		commands.Session
		CSRFToken string `json:"csrf_token"`
	}
}

// LogoutInput is an authenticated command with no body.
type LogoutInput struct {
	AuthInput
	CommandInput
}

// LogoutOutput answers a logout, which also clears the session cookies.
type LogoutOutput struct {
	Body commands.Result
}

// MeInput is an authenticated query.
type MeInput struct {
	AuthInput
}

// MeOutput answers GET /api/v1/me.
type MeOutput struct {
	Body readmodel.Profile
}

func (s *Server) registerAccounts(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "register", Method: http.MethodPost, Path: "/api/v1/register", Tags: []string{"Accounts"},
		Summary:       "Sign a company up",
		Description:   "Creates the customer and its owner, and emails the owner a verification link. The owner logs in once the email is verified. Rate limited per client address and per email.",
		DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *RegisterInput) (*RegisterOutput, error) {
		if err := s.limits.signup.allow(clientOf(ctx).ip); err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		if err := s.limits.account.allow(strings.ToLower(strings.TrimSpace(in.Body.Email))); err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		out, err := s.opts.Service.Register(ctx, commands.Register{
			CompanyName: in.Body.CompanyName, Email: in.Body.Email, Password: in.Body.Password,
		}, in.meta(ctx, schema.Actor{Kind: schema.ActorMember}, strings.ToLower(strings.TrimSpace(in.Body.Email))))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		return &RegisterOutput{Body: out}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "verify-email", Method: http.MethodPost, Path: "/api/v1/verify", Tags: []string{"Accounts"},
		Summary:     "Verify an email address",
		Description: "Uses the token from a verification email. A token works once, until it expires.",
	}, func(ctx context.Context, in *TokenInput) (*ResultOutput, error) {
		if err := s.limits.signup.allow(clientOf(ctx).ip); err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		res, err := s.opts.Service.VerifyEmail(ctx, commands.VerifyEmail{Token: in.Body.Token}, in.meta(ctx, schema.Actor{}, in.Body.Token))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		return &ResultOutput{Body: res}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "resend-verification", Method: http.MethodPost, Path: "/api/v1/verify/resend", Tags: []string{"Accounts"},
		Summary:       "Send the verification email again",
		Description:   "Answers 202 whether or not the address belongs to an unverified member. At most 3 emails per member per hour.",
		DefaultStatus: http.StatusAccepted,
	}, func(ctx context.Context, in *EmailInput) (*ResultOutput, error) {
		if err := s.limits.signup.allow(clientOf(ctx).ip); err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		res, err := s.opts.Service.ResendVerification(ctx, commands.ResendVerification{Email: in.Body.Email}, in.meta(ctx, schema.Actor{}, strings.ToLower(strings.TrimSpace(in.Body.Email))))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		return &ResultOutput{Body: res}, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "login", Method: http.MethodPost, Path: "/api/v1/auth/login", Tags: []string{"Accounts"},
		Summary:     "Log in to the dashboard",
		Description: "Sets the HttpOnly session cookie and a CSRF cookie; send the CSRF token back in X-CSRF-Token on every request that changes something. One answer for an unknown email and a wrong password. Rate limited per client address and per email.",
	}, func(ctx context.Context, in *LoginInput) (*LoginOutput, error) {
		if err := s.limits.login.allow(clientOf(ctx).ip); err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		if err := s.limits.account.allow(strings.ToLower(strings.TrimSpace(in.Body.Email))); err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		if err := s.waitRevision(ctx, in.QueryInput); err != nil {
			return nil, err
		}
		sess, err := s.opts.Service.Login(ctx, commands.Login{Email: in.Body.Email, Password: in.Body.Password}, in.meta(ctx, schema.Actor{}, strings.ToLower(strings.TrimSpace(in.Body.Email))))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		csrf := auth.NewCSRFToken()
		set := clientOf(ctx).setCookie
		set(s.cookie(SessionCookie, sess.Token, true, s.opts.SessionTTL))
		set(s.cookie(CSRFCookie, csrf, false, s.opts.SessionTTL))
		out := &LoginOutput{}
		out.Body.Session, out.Body.CSRFToken = sess, csrf
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "logout", Method: http.MethodPost, Path: "/api/v1/auth/logout", Tags: []string{"Accounts"},
		Summary: "Log out", Description: "Ends the dashboard session and clears its cookies.",
	}, func(ctx context.Context, in *LogoutInput) (*LogoutOutput, error) {
		p, err := s.authenticate(ctx, in.AuthInput, http.MethodPost, schema.RoleViewer)
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		set := clientOf(ctx).setCookie
		set(s.cookie(SessionCookie, "", true, -1))
		set(s.cookie(CSRFCookie, "", false, -1))
		out := &LogoutOutput{}
		if p.Kind != schema.ActorMember {
			return out, nil // a token has no session to end
		}
		if out.Body, err = s.opts.Service.Logout(ctx, p.CustomerID, p.MemberID, p.ID, in.meta(ctx, p.Actor(), p.MemberID)); err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		return out, nil
	})

	huma.Register(api, huma.Operation{
		OperationID: "me", Method: http.MethodGet, Path: "/api/v1/me", Tags: []string{"Accounts"},
		Summary: "Who am I", Description: "The member the credentials belong to, and their customer.",
	}, func(ctx context.Context, in *MeInput) (*MeOutput, error) {
		out := &MeOutput{}
		if err := s.read(ctx, in.AuthInput, func(tx pgx.Tx, p readmodel.Principal) (err error) {
			out.Body, err = readmodel.MemberProfile(ctx, tx, p.MemberID)
			return err
		}); err != nil {
			return nil, err
		}
		return out, nil
	})
}

// cookie returns a cookie for the dashboard: SameSite=Lax, Secure when the
// admin API is served over TLS, removed when maxAge is negative.
func (s *Server) cookie(name, value string, httpOnly bool, maxAge time.Duration) http.Cookie {
	c := http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: httpOnly, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode}
	if maxAge < 0 {
		c.MaxAge = -1
	} else {
		c.MaxAge = int(maxAge.Seconds())
	}
	return c
}

// waitRevision waits for the read models to reach the revision the
// request asks for.
func (s *Server) waitRevision(ctx context.Context, in QueryInput) error {
	if in.MinRevision == 0 {
		return nil
	}
	if err := s.opts.Store.WaitRevision(ctx, s.opts.Projections, in.MinRevision, s.opts.MinRevisionWait); err != nil {
		return fail(s.opts.Logger, err)
	}
	return nil
}
