package eventlog

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/aegis-oss/aegis/schema"
)

// encode returns the message that stores e, with msgID for deduplication.
func encode(e schema.Event, msgID string) (*nats.Msg, error) {
	data, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode event %s: %w", e.ID, err)
	}
	m := nats.NewMsg(e.Subject())
	m.Data = data
	m.Header.Set(schema.HeaderEventType, e.Type)
	m.Header.Set(schema.HeaderEventVersion, strconv.Itoa(e.Version))
	m.Header.Set(jetstream.MsgIDHeader, msgID)
	return m, nil
}

// Decode returns the event stored in data at revision seq, upcast to the
// current version of its type. It returns an error if data is not an event.
func (l *Log) Decode(data []byte, seq uint64) (schema.Event, error) {
	var e schema.Event
	if err := json.Unmarshal(data, &e); err != nil {
		return e, fmt.Errorf("decode event at revision %d: %w", seq, err)
	}
	e.Revision = seq
	up, err := l.catalog.Upcast(e)
	if err != nil {
		return e, fmt.Errorf("decode event at revision %d: %w", seq, err)
	}
	return up, nil
}
