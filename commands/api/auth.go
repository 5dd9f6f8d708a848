package api

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/aegis-oss/aegis/commands/auth"
	"github.com/aegis-oss/aegis/commands/readmodel"
	"github.com/aegis-oss/aegis/schema"
)

// Cookie names of a dashboard session.
const (
	SessionCookie = "aegis_session"
	CSRFCookie    = "aegis_csrf"
	CSRFHeader    = "X-CSRF-Token"
)

// AuthInput is embedded in the input of every authenticated operation:
// either a personal access token as a bearer token, or the dashboard's
// session cookie, with the CSRF header on requests that change something.
// Its Aegis-Min-Revision is waited for before anything is read, the
// credentials included, so that a session opened or a token revoked a
// moment ago is seen.
type AuthInput struct {
	QueryInput
	Authorization string `header:"Authorization" doc:"Bearer <personal access token>, for the CLI and scripts."`
	Session       string `cookie:"aegis_session" doc:"The dashboard session, set by login."`
	CSRFCookie    string `cookie:"aegis_csrf" doc:"The CSRF token set by login."`
	CSRF          string `header:"X-CSRF-Token" doc:"The value of the aegis_csrf cookie; required with the session cookie on requests that change something."`
}

// roleRank orders roles: each can do what the ones below it can.
var roleRank = map[string]int{
	schema.RoleViewer: 1, schema.RoleDeveloper: 2, schema.RoleAdmin: 3, schema.RoleOwner: 4,
}

// authenticate returns who sends the request, if they hold at least role.
// It returns an unauthorized *Error without valid credentials and a
// forbidden one without the role.
func (s *Server) authenticate(ctx context.Context, in AuthInput, method, role string) (readmodel.Principal, error) {
	var p readmodel.Principal
	if in.MinRevision > 0 {
		if err := s.opts.Store.WaitRevision(ctx, s.opts.Projections, in.MinRevision, s.opts.MinRevisionWait); err != nil {
			return p, err
		}
	}
	now := time.Now()
	switch {
	case strings.HasPrefix(in.Authorization, "Bearer "):
		hash, err := auth.ParseAccessToken(strings.TrimPrefix(in.Authorization, "Bearer "))
		if err != nil {
			return p, err
		}
		if p, err = s.opts.Store.TokenPrincipal(ctx, hash, now); err != nil {
			return p, err
		}
	case in.Session != "":
		claims, err := auth.ParseSession(s.opts.Keys.Session, in.Session, now)
		if err != nil {
			return p, err
		}
		if method != http.MethodGet && method != http.MethodHead && !auth.CSRFMatches(in.CSRFCookie, in.CSRF) {
			return p, schema.Errorf(schema.CodeForbidden, "missing or wrong %s header", CSRFHeader)
		}
		if p, err = s.opts.Store.SessionPrincipal(ctx, claims.SessionID, now); err != nil {
			return p, err
		}
	default:
		return p, schema.Errorf(schema.CodeUnauthorized, "log in, or send a personal access token as Authorization: Bearer")
	}
	if roleRank[p.Role] < roleRank[role] {
		return p, schema.Errorf(schema.CodeForbidden, "this needs the %s role or higher; you are %s", role, p.Role)
	}
	return p, nil
}

// read authenticates a query (any role may read) and runs fn in a
// transaction that sees only the caller's customer. It returns the API's
// error answer for either failing.
func (s *Server) read(ctx context.Context, in AuthInput, fn func(tx pgx.Tx, p readmodel.Principal) error) error {
	p, err := s.authenticate(ctx, in, http.MethodGet, schema.RoleViewer)
	if err != nil {
		return fail(s.opts.Logger, err)
	}
	if err := s.opts.Store.AsCustomer(ctx, p.CustomerID, func(tx pgx.Tx) error { return fn(tx, p) }); err != nil {
		return fail(s.opts.Logger, err)
	}
	return nil
}
