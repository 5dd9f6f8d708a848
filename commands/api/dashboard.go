package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5"

	"github.com/aegis-oss/aegis/commands/readmodel"
)

// DashboardOutput answers GET /api/v1/dashboard.
type DashboardOutput struct {
	Body readmodel.Dashboard
}

func (s *Server) registerDashboard(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "dashboard", Method: http.MethodGet, Path: "/api/v1/dashboard", Tags: []string{"Dashboard"},
		Summary:     "Your account at a glance",
		Description: "Counts of apps, active API keys by environment, and members.",
	}, func(ctx context.Context, in *MeInput) (*DashboardOutput, error) {
		out := &DashboardOutput{}
		if err := s.read(ctx, in.AuthInput, func(tx pgx.Tx, _ readmodel.Principal) (err error) {
			out.Body, err = readmodel.DashboardOf(ctx, tx, s.opts.Projections)
			return err
		}); err != nil {
			return nil, err
		}
		return out, nil
	})
}
