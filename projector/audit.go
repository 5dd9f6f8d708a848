package projector

import (
	"context"

	"github.com/aegis-oss/aegis/schema"
)

// Audit is the audit log read model: every event of the catalog as one row
// of audit_events, which the admin API lists per customer.
type Audit struct{}

// Name implements Projection.
func (Audit) Name() string { return schema.ProjectionAudit }

// Handles implements Projection: every type in the catalog.
func (Audit) Handles() []string {
	types := schema.Catalog().Types()
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.Name
	}
	return names
}

// Tables implements Projection.
func (Audit) Tables() []string { return []string{"audit_events"} }

var auditColumns = []string{
	"revision", "id", "customer_id", "type", "version", "aggregate", "aggregate_id",
	"actor_kind", "actor_id", "occurred_at", "correlation_id", "causation_id", "payload",
}

// Apply implements Projection.
func (Audit) Apply(_ context.Context, w *Writer, e schema.Event) error {
	w.Insert("audit_events", auditColumns,
		int64(e.Revision), e.ID, e.Customer, e.Type, e.Version, e.Aggregate, e.AggregateID,
		e.Actor.Kind, e.Actor.ID, e.OccurredAt, e.CorrelationID, e.CausationID, string(e.Payload))
	return nil
}
