package api

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"
	"github.com/gofiber/fiber/v2"

	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/commands/readmodel"
	"github.com/aegis-oss/aegis/schema"
)

// Check is one dependency /ready looks at. Func returns nil when the
// dependency is fit to serve, or an error that says why not.
type Check struct {
	Name string
	Func func(ctx context.Context) error
}

// Options configures the server.
type Options struct {
	// Checks are run by /ready, each with ReadyTimeout.
	Checks []Check
	// ReadyTimeout bounds each check (default 2s).
	ReadyTimeout time.Duration
	// Version is reported by /health and in the OpenAPI document.
	Version string
	// Logger receives internal errors (default slog.Default()).
	Logger *slog.Logger

	// Service runs commands and Store answers queries; without them the
	// server answers only /health and /ready.
	Service *commands.Service
	Store   *readmodel.Store
	// Keys are the secrets; Keys.Session checks dashboard sessions.
	Keys commands.Keys
	// SessionTTL is how long session cookies live (default 12h).
	SessionTTL time.Duration
	// SecureCookies marks cookies Secure, for an admin API behind TLS.
	SecureCookies bool
	// Projections are the read models Aegis-Min-Revision waits for, and
	// MinRevisionWait how long at most (default 5s).
	Projections     []string
	MinRevisionWait time.Duration
	// WebDir holds the dashboard's built files (web/dist), served at /;
	// empty serves none.
	WebDir string
}

// Server is the admin API.
type Server struct {
	app    *fiber.App
	api    huma.API // nil without a Service
	opts   Options
	limits struct {
		signup, login, account *limiter
	}
}

// New returns the admin API with its routes.
func New(opts Options) *Server {
	if opts.ReadyTimeout == 0 {
		opts.ReadyTimeout = 2 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.SessionTTL == 0 {
		opts.SessionTTL = 12 * time.Hour
	}
	if opts.MinRevisionWait == 0 {
		opts.MinRevisionWait = 5 * time.Second
	}
	s := &Server{opts: opts}
	s.limits.signup = newLimiter(6*time.Second, 10)  // per client address
	s.limits.login = newLimiter(6*time.Second, 10)   // per client address
	s.limits.account = newLimiter(12*time.Second, 5) // per email
	s.app = fiber.New(fiber.Config{
		AppName:               "aegis",
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           2 * time.Minute,
		BodyLimit:             1 << 20,
		ErrorHandler:          s.handleError,
	})
	s.app.Get("/health", s.health)
	s.app.Get("/ready", s.ready)
	if opts.Service != nil {
		s.app.Get("/verify", s.servePage("verify.html"))
		s.app.Get("/accept-invite", s.servePage("accept-invite.html"))
		api := humafiber.New(s.app, s.humaConfig())
		s.api = api
		api.UseMiddleware(withClient)
		s.registerAccounts(api)
		s.registerTokens(api)
		s.registerApps(api)
		s.registerKeys(api)
		s.registerAudit(api)
		s.registerDashboard(api)
		s.registerMembers(api)
		s.registerSettings(api)
		s.registerPasswordReset(api)
	}
	if opts.WebDir != "" {
		s.app.Use(serveWeb(opts.WebDir))
	}
	s.app.Use(func(c *fiber.Ctx) error {
		return schema.Errorf(schema.CodeNotFound, "no route %s %s", c.Method(), c.Path())
	})
	return s
}

// humaConfig describes the API for its OpenAPI document, served at
// /api/v1/openapi.json.
func (s *Server) humaConfig() huma.Config {
	cfg := huma.DefaultConfig("Aegis admin API", s.opts.Version)
	cfg.Info.Description = "The API the Aegis dashboard, the aegis CLI and scripts use. Every change is a command " +
		"answered with the revision it produced; every query can wait for a revision with Aegis-Min-Revision. " +
		"Errors are JSON objects {code, message}."
	cfg.OpenAPIPath = "/api/v1/openapi"
	cfg.DocsPath = "/api/v1/docs"
	cfg.SchemasPath = "/api/v1/schemas"
	// No $schema links in answers: bodies are exactly what the document says.
	cfg.CreateHooks = nil
	return cfg
}

// Serve serves on ln until Shutdown. It returns nil after a shutdown.
func (s *Server) Serve(ln net.Listener) error {
	return s.app.Listener(ln)
}

// Shutdown stops accepting connections and waits for requests in flight,
// until ctx is done.
func (s *Server) Shutdown(ctx context.Context) error {
	return s.app.ShutdownWithContext(ctx)
}

// App returns the Fiber app, for tests (App().Test).
func (s *Server) App() *fiber.App { return s.app }

// ErrorBody is the JSON body of every error answer.
type ErrorBody struct {
	Code    schema.Code `json:"code"`
	Message string      `json:"message"`
}

// handleError writes err as {code, message} with the code's status.
// Internal errors are logged and shown only as "internal error".
func (s *Server) handleError(c *fiber.Ctx, err error) error {
	var fe *fiber.Error
	if errors.As(err, &fe) {
		err = fiberError(fe)
	}
	code := schema.ErrorCode(err)
	if code == schema.CodeInternal {
		s.opts.Logger.Error("admin API request failed", "method", c.Method(), "path", c.Path(), "err", err)
	}
	return c.Status(schema.HTTPStatus(code)).JSON(ErrorBody{Code: code, Message: schema.ErrorMessage(err)})
}

// fiberError translates Fiber's own errors (bad method, body too large...)
// into Aegis errors.
func fiberError(fe *fiber.Error) error {
	switch fe.Code {
	case fiber.StatusNotFound:
		return schema.Errorf(schema.CodeNotFound, "%s", fe.Message)
	case fiber.StatusRequestEntityTooLarge:
		return schema.Errorf(schema.CodeTooLarge, "request body is too large")
	case fiber.StatusMethodNotAllowed, fiber.StatusBadRequest:
		return schema.Errorf(schema.CodeInvalid, "%s", fe.Message)
	case fiber.StatusRequestTimeout:
		return schema.Errorf(schema.CodeTimeout, "request timed out")
	}
	return schema.Wrap(schema.CodeInternal, fe, "internal error")
}
