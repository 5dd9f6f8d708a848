package api

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5"

	"github.com/aegis-oss/aegis/commands/readmodel"
	"github.com/aegis-oss/aegis/schema"
)

// NotificationsOutput answers GET /api/v1/settings/notifications.
type NotificationsOutput struct {
	Body schema.NotificationSettings
}

// SetNotificationsInput is the request of PUT /api/v1/settings/notifications.
type SetNotificationsInput struct {
	AuthInput
	CommandInput
	Body schema.NotificationSettings
}

func (s *Server) registerSettings(api huma.API) {
	tags := []string{"Settings"}
	huma.Register(api, huma.Operation{
		OperationID: "get-notifications", Method: http.MethodGet, Path: "/api/v1/settings/notifications", Tags: tags,
		Summary: "Notification settings", Description: "Which events email which roles.",
	}, func(ctx context.Context, in *MeInput) (*NotificationsOutput, error) {
		out := &NotificationsOutput{}
		if err := s.read(ctx, in.AuthInput, func(tx pgx.Tx, _ readmodel.Principal) (err error) {
			out.Body, err = readmodel.Notifications(ctx, tx)
			return err
		}); err != nil {
			return nil, err
		}
		return out, nil
	})
	huma.Register(api, huma.Operation{
		OperationID: "set-notifications", Method: http.MethodPut, Path: "/api/v1/settings/notifications", Tags: tags,
		Summary:     "Replace the notification settings",
		Description: "One rule per event type: every member holding one of the roles is emailed when such an event happens. Needs the admin role.",
	}, func(ctx context.Context, in *SetNotificationsInput) (*ResultOutput, error) {
		p, err := s.authenticate(ctx, in.AuthInput, http.MethodPut, schema.RoleAdmin)
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		res, err := s.opts.Service.SetNotifications(ctx, p.CustomerID, in.Body, in.meta(ctx, p.Actor(), p.MemberID))
		if err != nil {
			return nil, fail(s.opts.Logger, err)
		}
		return &ResultOutput{Body: res}, nil
	})
}
