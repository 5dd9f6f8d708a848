package eventlog

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/aegis-oss/aegis/schema"
)

// Appended is the outcome of an append.
type Appended struct {
	// Revision is the revision of the last event appended.
	Revision uint64
	// Duplicate is true when the command id had been seen inside the
	// duplicate window: nothing new was stored and Revision is the
	// revision the first attempt produced.
	Duplicate bool
}

// Append stores events, all of one aggregate, after the aggregate's
// revision expected (0: the aggregate must not exist yet). commandID
// deduplicates retries: the first event's message id is commandID, the
// i-th's commandID/i, so a retry stores nothing twice, even after a partial
// failure: inside the duplicate window the server recognises the id, and a
// retry decided on the same revision finds its own events after it. An
// empty commandID uses the first event's id.
//
// It returns a conflict *Error (errors.Is(err, schema.ErrConflict)) when the
// aggregate has moved past expected, and an invalid *Error for a malformed
// event.
func (l *Log) Append(ctx context.Context, expected uint64, commandID string, events ...schema.Event) (Appended, error) {
	if len(events) == 0 {
		return Appended{}, schema.Errorf(schema.CodeInvalid, "append: no events")
	}
	subject := events[0].Subject()
	for _, e := range events {
		if err := e.Validate(); err != nil {
			return Appended{}, err
		}
		if e.Subject() != subject {
			return Appended{}, schema.Errorf(schema.CodeInvalid, "append: events of one call must share one aggregate")
		}
	}
	if commandID == "" {
		commandID = events[0].ID
	}
	var out Appended
	for i, e := range events {
		msgID := commandID
		if i > 0 {
			msgID = commandID + "/" + strconv.Itoa(i)
		}
		m, err := encode(e, msgID)
		if err != nil {
			return out, err
		}
		ack, err := l.js.PublishMsg(ctx, m, jetstream.WithExpectLastSequencePerSubject(expected))
		if err != nil {
			if !IsWrongSequence(err) {
				return out, fmt.Errorf("append %s: %w", e.Type, err)
			}
			// The server checks the expected sequence before the message
			// id, so a retry of a command that landed looks like a
			// conflict: look for the command's own message first.
			seq, found, ferr := l.findMessage(ctx, subject, expected, msgID)
			if ferr != nil {
				return out, ferr
			}
			if !found {
				return out, &schema.Error{
					Code:    schema.CodeConflict,
					Message: fmt.Sprintf("%s %s changed since revision %d; reload and try again", e.Aggregate, e.AggregateID, expected),
					Err:     err,
				}
			}
			ack = &jetstream.PubAck{Sequence: seq, Duplicate: true}
		}
		out.Revision = ack.Sequence
		out.Duplicate = out.Duplicate || ack.Duplicate
		expected = ack.Sequence
	}
	return out, nil
}

// findMessage looks for the message with id msgID on subject after revision
// after. Retries find their own message in the few events that followed
// the revision they were decided on. It reads with direct gets and leaves
// nothing behind on the server.
func (l *Log) findMessage(ctx context.Context, subject string, after uint64, msgID string) (uint64, bool, error) {
	for seq := after + 1; ; {
		msg, err := l.stream.GetMsg(ctx, seq, jetstream.WithGetMsgSubject(subject))
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			return 0, false, nil
		}
		if err != nil {
			return 0, false, fmt.Errorf("look for command %s: %w", msgID, err)
		}
		if msg.Header.Get(jetstream.MsgIDHeader) == msgID {
			return msg.Sequence, true, nil
		}
		seq = msg.Sequence + 1
	}
}

// IsWrongSequence reports whether err is JetStream's answer to an append
// whose expected sequence did not match: error code 10071 on a single
// replica, 10164 on a replicated stream.
func IsWrongSequence(err error) bool {
	var apiErr *jetstream.APIError
	if !errors.As(err, &apiErr) {
		return false
	}
	return apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence ||
		apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequenceConstant
}
