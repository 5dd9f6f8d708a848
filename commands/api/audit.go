package api

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"
	"github.com/jackc/pgx/v5"

	"github.com/aegis-oss/aegis/commands/readmodel"
)

// AuditInput filters GET /api/v1/audit.
type AuditInput struct {
	AuthInput
	Type        string    `query:"type" maxLength:"64" doc:"Only events of this type, e.g. member.logged_in."`
	Aggregate   string    `query:"aggregate" maxLength:"64" doc:"Only events of this kind of thing, e.g. member."`
	AggregateID string    `query:"aggregate_id" maxLength:"128" doc:"Only events of this one thing."`
	Actor       string    `query:"actor" maxLength:"128" doc:"Only events caused by this actor id."`
	Since       time.Time `query:"since" doc:"Only events that occurred at or after this time."`
	Until       time.Time `query:"until" doc:"Only events that occurred before this time."`
	Cursor      string    `query:"cursor" maxLength:"20" pattern:"^[0-9]*$" doc:"next_cursor of the previous page."`
	Limit       int       `query:"limit" minimum:"1" maximum:"200" default:"50"`
}

// AuditOutput is one page of the audit log.
type AuditOutput struct {
	Body struct {
		Events []readmodel.AuditEvent `json:"events"`
		// NextCursor continues the listing; empty on the last page.
		NextCursor string `json:"next_cursor,omitempty"`
	}
}

func (s *Server) registerAudit(api huma.API) {
	huma.Register(api, huma.Operation{
		OperationID: "audit", Method: http.MethodGet, Path: "/api/v1/audit", Tags: []string{"Audit"},
		Summary:     "Your audit log",
		Description: "Your customer's own events, newest first, each with its actor and revision. Page with next_cursor.",
	}, func(ctx context.Context, in *AuditInput) (*AuditOutput, error) {
		f := readmodel.AuditFilter{Type: in.Type, Aggregate: in.Aggregate, AggregateID: in.AggregateID,
			ActorID: in.Actor, Since: in.Since, Until: in.Until, Limit: in.Limit + 1}
		if in.Cursor != "" {
			f.Before, _ = strconv.ParseUint(in.Cursor, 10, 64)
		}
		out := &AuditOutput{}
		if err := s.read(ctx, in.AuthInput, func(tx pgx.Tx, _ readmodel.Principal) (err error) {
			out.Body.Events, err = readmodel.Audit(ctx, tx, f)
			return err
		}); err != nil {
			return nil, err
		}
		if len(out.Body.Events) > in.Limit {
			out.Body.Events = out.Body.Events[:in.Limit]
			out.Body.NextCursor = strconv.FormatUint(out.Body.Events[in.Limit-1].Revision, 10)
		}
		if out.Body.Events == nil {
			out.Body.Events = []readmodel.AuditEvent{}
		}
		return out, nil
	})
}
