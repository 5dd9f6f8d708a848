package commands

import (
	"context"

	"github.com/aegis-oss/aegis/schema"
)

// UpdateApp replaces an app's configuration. expected is the app revision
// the client's change is based on (0: whatever is current); if the app
// has moved since, it returns a conflict *Error and changes nothing. New
// slugs and routes are claimed before the update, and those the app no
// longer uses are released after it.
func (s *Service) UpdateApp(ctx context.Context, customerID, appID string, expected uint64, in AppInput, m Meta) (AppResult, error) {
	a, err := s.loadApp(ctx, customerID, appID)
	if err != nil {
		return AppResult{}, err
	}
	if in.JWT != nil && in.HS256Secret == "" && a.config.JWT != nil {
		// No new secret: the app keeps the one it has.
		jwt := *in.JWT
		jwt.HS256SecretSealed = a.config.JWT.HS256SecretSealed
		in.JWT = &jwt
	}
	cfg, err := in.normalize(s.egress)
	if err != nil {
		return AppResult{}, err
	}
	if expected != 0 && expected != a.revision {
		return AppResult{}, schema.Errorf(schema.CodeConflict, "the app changed since revision %d (it is at %d); reload and try again", expected, a.revision)
	}
	if cfg.JWT != nil && in.HS256Secret != "" {
		if cfg.JWT.HS256SecretSealed, err = schema.Seal(s.keys.Master, []byte(in.HS256Secret), "app-jwt"); err != nil {
			return AppResult{}, err
		}
	}
	before := append([]claim{{schema.ClaimAppSlug, a.config.Slug}}, routeClaims(a.config)...)
	after := append([]claim{{schema.ClaimAppSlug, cfg.Slug}}, routeClaims(cfg)...)
	cmdID := m.commandID()
	owner := "app:" + appID
	added, err := s.claimAll(ctx, minus(after, before), owner, m, cmdID)
	if err != nil {
		s.releaseAll(ctx, added, owner, m, cmdID)
		return AppResult{}, err
	}
	e, err := newEvent(schema.EventAppUpdated, customerID, schema.AggregateApp, appID, m, cmdID, schema.AppUpdated{AppConfig: cfg})
	if err != nil {
		return AppResult{}, err
	}
	res, err := s.appendTo(ctx, a.revision, cmdID, e)
	if err != nil {
		s.releaseAll(ctx, added, owner, m, cmdID)
		return AppResult{}, err
	}
	s.releaseAll(ctx, minus(before, after), owner, m, cmdID)
	return AppResult{Result: res, AppID: appID}, nil
}

// DeleteApp deletes an app and frees its slug and routes. Its API keys
// stop working with it.
func (s *Service) DeleteApp(ctx context.Context, customerID, appID string, m Meta) (AppResult, error) {
	a, err := s.loadApp(ctx, customerID, appID)
	if err != nil {
		return AppResult{}, err
	}
	cmdID := m.commandID()
	e, err := newEvent(schema.EventAppDeleted, customerID, schema.AggregateApp, appID, m, cmdID, schema.AppDeleted{Slug: a.config.Slug})
	if err != nil {
		return AppResult{}, err
	}
	res, err := s.appendTo(ctx, a.revision, cmdID, e)
	if err != nil {
		return AppResult{}, err
	}
	s.releaseAll(ctx, append([]claim{{schema.ClaimAppSlug, a.config.Slug}}, routeClaims(a.config)...), "app:"+appID, m, cmdID)
	return AppResult{Result: res, AppID: appID}, nil
}

// minus returns the claims of a that are not in b.
func minus(a, b []claim) []claim {
	in := make(map[claim]bool, len(b))
	for _, c := range b {
		in[c] = true
	}
	var out []claim
	for _, c := range a {
		if !in[c] {
			out = append(out, c)
		}
	}
	return out
}
