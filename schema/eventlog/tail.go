package eventlog

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/aegis-oss/aegis/schema"
)

// tailBatch is how many events Tail asks for at a time, and tailInactive
// how soon the server drops the consumer of a tail that stopped reading.
const (
	tailBatch    = 1024
	tailInactive = 10 * time.Second
)

// TailOptions selects the events Tail reads.
type TailOptions struct {
	// From is the first revision to read; 0 reads from the beginning.
	From uint64
	// Customer keeps only one customer's events; "" keeps all.
	Customer string
	// Types keeps only events of these types; empty keeps all.
	Types []string
	// Follow keeps reading new events until ctx is done; otherwise Tail
	// stops at the end of the log.
	Follow bool
}

// Tail calls fn with each selected event, in revision order. It stops when
// fn returns an error, which it returns, at the end of the log unless
// following, or when ctx is done.
func (l *Log) Tail(ctx context.Context, opts TailOptions, fn func(schema.Event) error) error {
	filter := schema.SubjectEventsAll
	if opts.Customer != "" {
		if !schema.ValidToken(opts.Customer) {
			return schema.Errorf(schema.CodeInvalid, "customer %q is not a valid id", opts.Customer)
		}
		filter = schema.SubjectEventsPrefix + "." + opts.Customer + ".>"
	}
	// The server forgets the consumer soon after the tail stops reading.
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: []string{filter}, DeliverPolicy: jetstream.DeliverAllPolicy,
		InactiveThreshold: tailInactive}
	if opts.From > 1 {
		cfg.DeliverPolicy = jetstream.DeliverByStartSequencePolicy
		cfg.OptStartSeq = opts.From
	}
	cons, err := l.js.OrderedConsumer(ctx, schema.StreamEvents, cfg)
	if err != nil {
		return fmt.Errorf("tail: %w", err)
	}
	defer func() {
		if info := cons.CachedInfo(); info != nil {
			_ = l.js.DeleteConsumer(context.WithoutCancel(ctx), schema.StreamEvents, info.Name)
		}
	}()
	types := make(map[string]bool, len(opts.Types))
	for _, t := range opts.Types {
		types[t] = true
	}
	handle := func(msg jetstream.Msg) error {
		if len(types) > 0 && !types[msg.Headers().Get(schema.HeaderEventType)] {
			return nil
		}
		meta, err := msg.Metadata()
		if err != nil {
			return fmt.Errorf("tail: %w", err)
		}
		e, err := l.Decode(msg.Data(), meta.Sequence.Stream)
		if err != nil {
			return err
		}
		return fn(e)
	}

	if opts.Follow {
		it, err := cons.Messages()
		if err != nil {
			return fmt.Errorf("tail: %w", err)
		}
		defer it.Stop()
		for {
			msg, err := it.Next(jetstream.NextContext(ctx))
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("tail: %w", err)
			}
			if err := handle(msg); err != nil {
				return err
			}
		}
	}
	for {
		batch, err := cons.FetchNoWait(tailBatch)
		if err != nil {
			return fmt.Errorf("tail: %w", err)
		}
		n := 0
		for msg := range batch.Messages() {
			n++
			if err := handle(msg); err != nil {
				return err
			}
		}
		if err := batch.Error(); err != nil {
			return fmt.Errorf("tail: %w", err)
		}
		if n == 0 || ctx.Err() != nil {
			return ctx.Err()
		}
	}
}
