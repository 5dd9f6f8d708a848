package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/danielgtaylor/huma/v2/adapters/humafiber"

	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/schema"
)

type clientKey struct{}

// client is what the API knows of whoever sent a request, and how to set
// a cookie on the answer.
type client struct {
	ip, userAgent string
	operation     string
	setCookie     func(http.Cookie)
}

// withClient is a huma middleware that puts the client's address and user
// agent into the request's context, and a way to set cookies: huma's Fiber
// adapter would fold several Set-Cookie headers into one, so cookies go
// straight onto the response.
func withClient(ctx huma.Context, next func(huma.Context)) {
	ip := ctx.RemoteAddr()
	if i := strings.LastIndexByte(ip, ':'); i > 0 {
		ip = strings.Trim(ip[:i], "[]")
	}
	fc := humafiber.Unwrap(ctx)
	next(huma.WithValue(ctx, clientKey{}, client{
		ip:        ip,
		userAgent: ctx.Header("User-Agent"),
		operation: ctx.Operation().OperationID,
		setCookie: func(c http.Cookie) { fc.Response().Header.Add("Set-Cookie", c.String()) },
	}))
}

func clientOf(ctx context.Context) client {
	c, _ := ctx.Value(clientKey{}).(client)
	return c
}

// CommandInput is embedded in the input of every command: the
// Idempotency-Key makes a retry safe.
type CommandInput struct {
	IdempotencyKey string `header:"Idempotency-Key" maxLength:"128" pattern:"^[A-Za-z0-9_-]+$" doc:"Makes retries safe: a command sent again with the same key is applied once. Use a new key for every new request. A retry answers as the first time did, except where that answer held a secret (login, tokens, API keys): then it is 409."`
}

// meta returns the command metadata of a request by actor. An
// Idempotency-Key is the client's: the command id made of it is scoped to
// the operation and to scope (the member, or what names the sender of an
// unauthenticated request, such as the email signing up), so that two
// clients who chose the same key never collide.
func (in CommandInput) meta(ctx context.Context, actor schema.Actor, scope string) commands.Meta {
	c := clientOf(ctx)
	m := commands.Meta{Actor: actor, IP: c.ip, UserAgent: c.userAgent}
	if in.IdempotencyKey != "" {
		sum := sha256.Sum256([]byte(c.operation + "\x00" + scope + "\x00" + in.IdempotencyKey))
		m.CommandID = "idem-" + hex.EncodeToString(sum[:16])
	}
	return m
}

// QueryInput is embedded in the input of every query: Aegis-Min-Revision
// makes it wait for the read model to reach a revision.
type QueryInput struct {
	MinRevision uint64 `header:"Aegis-Min-Revision" doc:"Wait (briefly) until the read models include this revision, as returned by a command, before answering; 503 unavailable if they do not get there in time."`
}

// WaitInput is embedded in commands that change what gateways do: with
// wait=propagated the answer comes once every live gateway node has
// applied the change (or after 5 s), and says how many had.
type WaitInput struct {
	Wait string `query:"wait" enum:"propagated" doc:"propagated: answer once every live gateway node has applied the change (at most 5 s), with propagated: {nodes, of}."`
}

// propagationWait bounds how long wait=propagated holds an answer.
const propagationWait = 5 * time.Second

// propagate waits, if the request asked, for the change that produced r to
// reach the gateways, and records how far it got in r.
func (s *Server) propagate(ctx context.Context, in WaitInput, r *commands.Result) error {
	if in.Wait == "" {
		return nil
	}
	p, err := s.opts.Service.WaitPropagated(ctx, r.Revision, propagationWait)
	if err != nil {
		return fail(s.opts.Logger, err)
	}
	r.Propagated = &p
	return nil
}
