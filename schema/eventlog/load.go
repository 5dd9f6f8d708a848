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
// which is not an error). It reads with direct gets, each asking for the
// next message on the aggregate's subject: no consumer is created, so
// loads leave nothing behind on the server, however many there are.
func (l *Log) Load(ctx context.Context, customer, aggregate, id string) ([]schema.Event, uint64, error) {
	subject := schema.EventSubject(customer, aggregate, id)
	last, err := l.lastOn(ctx, subject)
	if err != nil || last == nil {
		return nil, 0, err
	}
	var events []schema.Event
	for seq := uint64(1); seq <= last.Sequence; {
		var msg *jetstream.RawStreamMsg
		if seq == last.Sequence {
			msg = last
		} else if msg, err = l.stream.GetMsg(ctx, seq, jetstream.WithGetMsgSubject(subject)); err != nil {
			return nil, 0, fmt.Errorf("load %s: %w", subject, err)
		}
		e, err := l.Decode(msg.Data, msg.Sequence)
		if err != nil {
			return nil, 0, err
		}
		events = append(events, e)
		seq = msg.Sequence + 1
	}
	return events, last.Sequence, nil
}

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
