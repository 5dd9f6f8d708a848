package eventlog

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/aegis-oss/aegis/schema"
)

// Handler reacts to one event. An error makes the event come back after a
// pause, so a handler must tolerate seeing an event more than once.
type Handler func(ctx context.Context, e schema.Event) error

// React feeds events of the types in handlers to them, one at a time in
// revision order, through the durable consumer name, until ctx is done. A
// new consumer starts at the end of the log: a reactor added to a running
// platform acts on what happens from then on, not on history. The
// consumer's acknowledgements are its position; an event whose handler
// failed comes back after retry, and one that was being handled when the
// process stopped comes back after a minute. It returns an error if the
// consumer cannot be set up.
func (l *Log) React(ctx context.Context, name string, handlers map[string]Handler, retry time.Duration, logger *slog.Logger) error {
	cons, err := l.js.CreateOrUpdateConsumer(ctx, schema.StreamEvents, jetstream.ConsumerConfig{
		Durable:       name,
		Description:   "Aegis reactor " + name,
		DeliverPolicy: jetstream.DeliverNewPolicy,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       time.Minute,
		MaxAckPending: 1, // one at a time, in order
		FilterSubject: schema.SubjectEventsAll,
		Replicas:      l.opts.replicas,
	})
	if err != nil {
		return fmt.Errorf("reactor %s: %w", name, err)
	}
	cc, err := cons.Consume(func(msg jetstream.Msg) {
		h := handlers[msg.Headers().Get(schema.HeaderEventType)]
		if h == nil {
			_ = msg.Ack()
			return
		}
		meta, err := msg.Metadata()
		if err == nil {
			var e schema.Event
			if e, err = l.Decode(msg.Data(), meta.Sequence.Stream); err == nil {
				err = h(ctx, e)
			}
		}
		if err != nil {
			if ctx.Err() == nil {
				logger.Error("reactor failed; retrying", "reactor", name, "err", err)
			}
			_ = msg.NakWithDelay(retry)
			return
		}
		if err := msg.DoubleAck(ctx); err != nil && ctx.Err() == nil {
			logger.Error("reactor ack failed", "reactor", name, "err", err)
		}
	})
	if err != nil {
		return fmt.Errorf("reactor %s: consume: %w", name, err)
	}
	<-ctx.Done()
	cc.Stop()
	<-cc.Closed()
	return nil
}
