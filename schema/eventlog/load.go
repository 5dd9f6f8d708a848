package eventlog

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/aegis-oss/aegis/schema"
)

// Load returns the events of one aggregate in order, upcast, and the
// aggregate's revision (the revision of its last event; 0 if it has none,
// which is not an error).
func (l *Log) Load(ctx context.Context, customer, aggregate, id string) ([]schema.Event, uint64, error) {
	subject := schema.EventSubject(customer, aggregate, id)
	last, err := l.lastOn(ctx, subject)
	if err != nil || last == nil {
		return nil, 0, err
	}
	lastSeq := last.Sequence
	cons, err := l.js.OrderedConsumer(ctx, schema.StreamEvents, jetstream.OrderedConsumerConfig{
		FilterSubjects: []string{subject},
		DeliverPolicy:  jetstream.DeliverAllPolicy,
	})
	if err != nil {
		return nil, 0, fmt.Errorf("load %s: %w", subject, err)
	}
	var events []schema.Event
	for {
		// The messages are stored already, so a no-wait fetch gets them
		// without waiting out a timeout on the last, short batch.
		batch, err := cons.FetchNoWait(loadBatch)
		if err != nil {
			return nil, 0, fmt.Errorf("load %s: %w", subject, err)
		}
		for msg := range batch.Messages() {
			meta, err := msg.Metadata()
			if err != nil {
				return nil, 0, fmt.Errorf("load %s: %w", subject, err)
			}
			e, err := l.Decode(msg.Data(), meta.Sequence.Stream)
			if err != nil {
				return nil, 0, err
			}
			events = append(events, e)
			if meta.Sequence.Stream >= lastSeq {
				return events, lastSeq, nil
			}
		}
		if err := batch.Error(); err != nil {
			return nil, 0, fmt.Errorf("load %s: %w", subject, err)
		}
		if err := ctx.Err(); err != nil {
			return nil, 0, fmt.Errorf("load %s: %w", subject, err)
		}
	}
}

// loadBatch is how many events Load asks for at a time.
const loadBatch = 256

// Revision returns an aggregate's revision without reading its events: the
// revision of its last event, or 0 if it has none.
func (l *Log) Revision(ctx context.Context, customer, aggregate, id string) (uint64, error) {
	last, err := l.lastOn(ctx, schema.EventSubject(customer, aggregate, id))
	if err != nil || last == nil {
		return 0, err
	}
	return last.Sequence, nil
}

// lastOn returns the last message on subject, or nil if there is none.
func (l *Log) lastOn(ctx context.Context, subject string) (*jetstream.RawStreamMsg, error) {
	msg, err := l.stream.GetLastMsgForSubject(ctx, subject)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("last event on %s: %w", subject, err)
	}
	return msg, nil
}

// Event returns the event at revision rev. It returns a not-found *Error if
// there is none.
func (l *Log) Event(ctx context.Context, rev uint64) (schema.Event, error) {
	msg, err := l.stream.GetMsg(ctx, rev)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return schema.Event{}, schema.Errorf(schema.CodeNotFound, "no event at revision %d", rev)
	}
	if err != nil {
		return schema.Event{}, fmt.Errorf("event at revision %d: %w", rev, err)
	}
	return l.Decode(msg.Data, msg.Sequence)
}
