package commands

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aegis-oss/aegis/schema"
)

// AppResult is the outcome of a command on an app.
type AppResult struct {
	Result
	AppID string `json:"app_id"`
}

// CreateApp registers an app. Its slug and every hostname × path prefix
// are claimed platform-wide first; if one is taken, the claims already
// made are released and nothing else is appended. A retry with the same
// command id finds its own claims and completes. It returns an invalid
// *Error for a bad configuration and a conflict *Error for a taken slug or
// route.
func (s *Service) CreateApp(ctx context.Context, customerID string, in AppInput, m Meta) (AppResult, error) {
	cfg, err := in.normalize(s.egress)
	if err != nil {
		return AppResult{}, err
	}
	if cfg.JWT != nil && in.HS256Secret != "" {
		if cfg.JWT.HS256SecretSealed, err = schema.Seal(s.keys.Master, []byte(in.HS256Secret), "app-jwt"); err != nil {
			return AppResult{}, err
		}
	}
	cmdID := m.commandID()
	appID := schema.NewID()
	if h, err := s.log.Holder(ctx, schema.ClaimAppSlug, cfg.Slug); err != nil {
		return AppResult{}, err
	} else if h.Owner != "" && h.CommandID == cmdID {
		appID = strings.TrimPrefix(h.Owner, "app:") // a retry of this command
	}
	owner := "app:" + appID
	taken, err := s.claimAll(ctx, append([]claim{{schema.ClaimAppSlug, cfg.Slug}}, routeClaims(cfg)...), owner, m, cmdID)
	if err != nil {
		s.releaseAll(ctx, taken, owner, m, cmdID)
		return AppResult{}, err
	}
	e, err := newEvent(schema.EventAppCreated, customerID, schema.AggregateApp, appID, m, cmdID, schema.AppCreated{AppConfig: cfg})
	if err != nil {
		return AppResult{}, err
	}
	res, err := s.log.Append(ctx, 0, cmdID, e)
	if err != nil {
		s.releaseAll(ctx, taken, owner, m, cmdID)
		return AppResult{}, err
	}
	if res.Duplicate {
		// The command ran before: answer with the app it made then, and free
		// whatever this attempt claimed for an app that will never be.
		first, err := s.log.Event(ctx, res.Revision)
		if err != nil {
			return AppResult{}, err
		}
		if first.AggregateID != appID {
			s.releaseAll(ctx, taken, owner, m, cmdID+"/undo")
		}
		return AppResult{Result: Result{Revision: res.Revision}, AppID: first.AggregateID}, nil
	}
	return AppResult{Result: Result{Revision: res.Revision}, AppID: appID}, nil
}

// claim is one unique value: its kind and value.
type claim struct{ kind, value string }

func routeClaims(c schema.AppConfig) []claim {
	var out []claim
	for _, r := range routes(c) {
		out = append(out, claim{schema.ClaimRoute, r})
	}
	return out
}

// claimAll claims every value for owner, stopping at the first that is
// taken. It returns the claims it made, so that the caller can release
// them, and a conflict *Error naming the value that was taken.
func (s *Service) claimAll(ctx context.Context, claims []claim, owner string, m Meta, cmdID string) ([]claim, error) {
	var taken []claim
	for _, c := range claims {
		if _, err := s.log.Claim(ctx, c.kind, c.value, owner, m.Actor, cmdID); err != nil {
			if errors.Is(err, schema.ErrConflict) {
				return taken, schema.Errorf(schema.CodeConflict, "%s %s is already used by another app", claimName(c.kind), claimValue(c))
			}
			return taken, err
		}
		taken = append(taken, c)
	}
	return taken, nil
}

// releaseAll releases claims, best effort: a release that fails leaves its
// value taken, which an operator sees in the log (claim.acquired with no
// app.created after it) and can free.
func (s *Service) releaseAll(ctx context.Context, claims []claim, owner string, m Meta, cmdID string) {
	for _, c := range claims {
		_, _ = s.log.Release(context.WithoutCancel(ctx), c.kind, c.value, owner, m.Actor, cmdID)
	}
}

func claimName(kind string) string {
	if kind == schema.ClaimRoute {
		return "route"
	}
	return "slug"
}

func claimValue(c claim) string {
	if c.kind == schema.ClaimRoute {
		host, prefix, _ := strings.Cut(c.value, "|")
		return fmt.Sprintf("%s%s", host, prefix)
	}
	return fmt.Sprintf("%q", c.value)
}
