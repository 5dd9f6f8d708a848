package projector

import (
	"context"

	"github.com/aegis-oss/aegis/schema"
)

// Projection builds a read model from events.
type Projection interface {
	// Name is stable: it names the checkpoint row and the durable consumer
	// (see schema.ProjectionConsumer).
	Name() string
	// Handles lists the event types Apply is given; the runner skips others
	// without decoding them.
	Handles() []string
	// Tables lists the PostgreSQL tables the projection owns. Rebuild builds
	// fresh copies of them, so Apply must name them unqualified.
	Tables() []string
	// Apply applies one event through w. It must be deterministic: replaying
	// the same events from revision 1 gives the same rows.
	Apply(ctx context.Context, w *Writer, e schema.Event) error
}

// BatchEnder is a Projection that wants to know when a batch ends: the
// runner calls EndBatch, through the batch's Writer, with the revision the
// batch reaches, before the batch commits (and after a rebuild's replay).
type BatchEnder interface {
	EndBatch(ctx context.Context, w *Writer, revision uint64) error
}
