package eventlog

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/aegis-oss/aegis/schema"
)

// Delivery is one event handed to a consumer. Events of the types the
// consumer wants arrive decoded, in Event (or with the decoding error in
// Err); others arrive with only their Revision and Type, and are skipped.
type Delivery struct {
	Revision uint64
	Type     string
	Event    schema.Event
	Err      error
	msg      jetstream.Msg
}

// Durable is a durable pull consumer of the whole event stream, for one
// projection or reactor. It delivers events in revision order and is
// acknowledged up to a revision at a time.
type Durable struct {
	log  *Log
	name string
	want func(eventType string) bool
	cons jetstream.Consumer
	cc   jetstream.ConsumeContext
	ch   chan Delivery
	errs chan error
	done chan struct{}
}

// durableBuffer is how many events a Durable asks the server for ahead of
// the reader.
const durableBuffer = 4096

// Durable returns the durable consumer name, created if missing, and moves
// it to deliver from revision from (1 for the beginning). Whoever keeps the
// consumer's true position (a projection's checkpoint in PostgreSQL) says
// where to start, so events acknowledged to NATS but not committed are
// delivered again. Events whose type want accepts are decoded as they
// arrive, while the reader is busy with the previous batch. It returns an
// error if the consumer cannot be created.
func (l *Log) Durable(ctx context.Context, name string, from uint64, want func(eventType string) bool) (*Durable, error) {
	d := &Durable{log: l, name: name, want: want}
	if err := d.start(ctx, from); err != nil {
		return nil, err
	}
	return d, nil
}

// start (re)creates the consumer, in case it was deleted, moves it to from
// and starts pulling.
func (d *Durable) start(ctx context.Context, from uint64) error {
	if from < 1 {
		from = 1
	}
	cons, err := d.log.js.CreateOrUpdateConsumer(ctx, schema.StreamEvents, jetstream.ConsumerConfig{
		Durable:       d.name,
		Description:   "Aegis consumer " + d.name,
		DeliverPolicy: jetstream.DeliverAllPolicy,
		AckPolicy:     jetstream.AckAllPolicy,
		AckWait:       time.Minute,
		MaxAckPending: -1,
		FilterSubject: schema.SubjectEventsAll,
		Replicas:      d.log.opts.replicas,
	})
	if err != nil {
		return fmt.Errorf("consumer %s: %w", d.name, err)
	}
	d.cons = cons
	if _, err := d.log.js.ResetConsumerToSequence(ctx, schema.StreamEvents, d.name, from); err != nil {
		return fmt.Errorf("consumer %s: reset to %d: %w", d.name, from, err)
	}
	ch := make(chan Delivery, durableBuffer)
	errs := make(chan error, 1)
	done := make(chan struct{})
	cc, err := d.cons.Consume(func(msg jetstream.Msg) {
		meta, err := msg.Metadata()
		if err != nil {
			select {
			case errs <- fmt.Errorf("consumer %s: %w", d.name, err):
			default:
			}
			return
		}
		del := Delivery{Revision: meta.Sequence.Stream, Type: msg.Headers().Get(schema.HeaderEventType), msg: msg}
		if d.want(del.Type) {
			del.Event, del.Err = d.log.Decode(msg.Data(), del.Revision)
		}
		select {
		case ch <- del:
		case <-done: // stopped while the reader was behind
		}
	}, jetstream.PullMaxMessages(durableBuffer/2), jetstream.ConsumeErrHandler(func(_ jetstream.ConsumeContext, err error) {
		if errors.Is(err, jetstream.ErrNoHeartbeat) || errors.Is(err, jetstream.ErrConsumerDeleted) || errors.Is(err, jetstream.ErrConsumerNotFound) {
			select {
			case errs <- fmt.Errorf("consumer %s: %w", d.name, err):
			default:
			}
		}
	}))
	if err != nil {
		return fmt.Errorf("consumer %s: consume: %w", d.name, err)
	}
	d.cc, d.ch, d.errs, d.done = cc, ch, errs, done
	return nil
}

// Next returns the next events in order: it waits for at least one (until
// ctx is done), then takes up to max of those already at hand. It returns
// ctx's error when ctx is done, or the consumer's error if it broke.
func (d *Durable) Next(ctx context.Context, max int) ([]Delivery, error) {
	var batch []Delivery
	select {
	case first := <-d.ch:
		batch = append(batch, first)
	case err := <-d.errs:
		return nil, err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	for len(batch) < max {
		select {
		case next := <-d.ch:
			batch = append(batch, next)
		default:
			return batch, nil
		}
	}
	return batch, nil
}

// Ack acknowledges every delivery up to and including last, waiting for
// the server to confirm.
func (d *Durable) Ack(ctx context.Context, last Delivery) error {
	if err := last.msg.DoubleAck(ctx); err != nil {
		return fmt.Errorf("consumer %s: ack revision %d: %w", d.name, last.Revision, err)
	}
	return nil
}

// Restart drops every delivery in flight and starts again from revision
// from, as after a crash.
func (d *Durable) Restart(ctx context.Context, from uint64) error {
	d.stop()
	return d.start(ctx, from)
}

// Close stops delivery. The consumer stays on the server with its position.
func (d *Durable) Close() { d.stop() }

func (d *Durable) stop() {
	if d.cc == nil {
		return
	}
	d.cc.Stop()
	close(d.done) // release a callback blocked on a full buffer
	// Stop only signals: wait until the subscription is gone, and until the
	// server has seen it go, so that no pull request of this subscription
	// is still waiting there to swallow what a reset delivers next.
	select {
	case <-d.cc.Closed():
	case <-time.After(5 * time.Second):
	}
	_ = d.log.nc.Flush()
	d.cc = nil
}

// Info returns the consumer's server-side state.
func (d *Durable) Info(ctx context.Context) (*jetstream.ConsumerInfo, error) {
	return d.cons.Info(ctx)
}

// DeleteDurable removes a durable consumer. Deleting one that does not
// exist is not an error.
func (l *Log) DeleteDurable(ctx context.Context, name string) error {
	err := l.js.DeleteConsumer(ctx, schema.StreamEvents, name)
	if err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return fmt.Errorf("delete consumer %s: %w", name, err)
	}
	return nil
}
