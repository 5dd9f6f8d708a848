package eventlog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/aegis-oss/aegis/schema"
)

// Log is the event log on one NATS connection. It is safe for concurrent use.
type Log struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	stream  jetstream.Stream
	opts    options
	catalog *schema.Registry
}

type options struct {
	replicas        int
	duplicateWindow time.Duration
	kvHistory       uint8
}

// Option configures Open.
type Option func(*options)

// WithReplicas sets the number of replicas of the stream and the buckets:
// 1 on a single node (the default), 3 in a cluster.
func WithReplicas(n int) Option { return func(o *options) { o.replicas = n } }

// WithDuplicateWindow sets how long a command id is remembered for
// deduplication. The default is 10 minutes.
func WithDuplicateWindow(d time.Duration) Option {
	return func(o *options) { o.duplicateWindow = d }
}

// DefaultDuplicateWindow is how long a command id is remembered.
const DefaultDuplicateWindow = 10 * time.Minute

// Open returns the event log on nc, creating or updating the stream and the
// KV buckets to the configured settings. It returns an error if JetStream is
// not enabled on the server or a setting cannot be applied.
func Open(ctx context.Context, nc *nats.Conn, opts ...Option) (*Log, error) {
	o := options{replicas: 1, duplicateWindow: DefaultDuplicateWindow, kvHistory: 1}
	for _, opt := range opts {
		opt(&o)
	}
	if o.replicas != 1 && o.replicas != 3 && o.replicas != 5 {
		return nil, fmt.Errorf("open event log: replicas must be 1, 3 or 5, not %d", o.replicas)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("open event log: %w", err)
	}
	stream, err := js.CreateOrUpdateStream(ctx, StreamConfig(o.replicas, o.duplicateWindow))
	if err != nil {
		if errors.Is(err, jetstream.ErrJetStreamNotEnabled) || errors.Is(err, jetstream.ErrJetStreamNotEnabledForAccount) {
			return nil, fmt.Errorf("open event log: JetStream is not enabled on the NATS server")
		}
		return nil, fmt.Errorf("open event log: stream %s: %w", schema.StreamEvents, err)
	}
	for _, bucket := range schema.Buckets() {
		if _, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
			Bucket:   bucket,
			History:  o.kvHistory,
			Storage:  jetstream.FileStorage,
			Replicas: o.replicas,
		}); err != nil {
			return nil, fmt.Errorf("open event log: bucket %s: %w", bucket, err)
		}
	}
	return &Log{nc: nc, js: js, stream: stream, opts: o, catalog: schema.Catalog()}, nil
}

// Attach returns the event log on nc as a server set it up, changing
// nothing: for clients such as the CLI. It returns a not-found *Error if
// the stream does not exist.
func Attach(ctx context.Context, nc *nats.Conn) (*Log, error) {
	js, err := jetstream.New(nc)
	if err != nil {
		return nil, fmt.Errorf("attach event log: %w", err)
	}
	stream, err := js.Stream(ctx, schema.StreamEvents)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, schema.Errorf(schema.CodeNotFound, "no event log on this NATS server: start 'aegis server' first")
	}
	if err != nil {
		return nil, fmt.Errorf("attach event log: %w", err)
	}
	info := stream.CachedInfo()
	o := options{replicas: info.Config.Replicas, duplicateWindow: info.Config.Duplicates}
	return &Log{nc: nc, js: js, stream: stream, opts: o, catalog: schema.Catalog()}, nil
}

// StreamConfig returns the settings of the AEGIS_EVENTS stream: file
// storage kept forever, no deletes or purges, command ids remembered for
// duplicateWindow.
func StreamConfig(replicas int, duplicateWindow time.Duration) jetstream.StreamConfig {
	return jetstream.StreamConfig{
		Name:        schema.StreamEvents,
		Description: "Aegis admin events: the source of truth and the audit log.",
		Subjects:    []string{schema.SubjectEventsAll},
		Retention:   jetstream.LimitsPolicy,
		MaxMsgs:     -1,
		MaxBytes:    -1,
		MaxAge:      0,
		MaxMsgSize:  1 << 20,
		Storage:     jetstream.FileStorage,
		Replicas:    replicas,
		Duplicates:  duplicateWindow,
		DenyDelete:  true,
		DenyPurge:   true,
		AllowDirect: true,
		Discard:     jetstream.DiscardNew,
	}
}

// JetStream returns the JetStream context the log uses, for packages that
// build on the same connection (KV writers, watchers).
func (l *Log) JetStream() jetstream.JetStream { return l.js }

// LastRevision returns the revision of the newest event in the log, or 0
// if it is empty.
func (l *Log) LastRevision(ctx context.Context) (uint64, error) {
	info, err := l.stream.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("stream info: %w", err)
	}
	return info.State.LastSeq, nil
}
