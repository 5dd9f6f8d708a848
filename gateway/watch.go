package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/aegis-oss/aegis/schema"
)

// watchedBuckets are the buckets a gateway node keeps in memory.
var watchedBuckets = []string{schema.BucketRoutes, schema.BucketApps, schema.BucketKeys}

// watcher keeps a view up to date with the KV buckets.
type watcher struct {
	js     jetstream.JetStream
	view   *view
	logger *slog.Logger
	// ready is set once every bucket's current values are in the view.
	ready atomic.Bool
	// loads counts the rounds that loaded every bucket.
	loads atomic.Int64
}

// run watches every bucket until ctx is done. Each round loads every
// bucket's current values and then follows their changes; when a watch
// breaks (NATS went away) or resync asks, it starts a new round, so a
// reconnect always resyncs everything. It returns nil when ctx is done.
func (w *watcher) run(ctx context.Context, resync <-chan struct{}) error {
	for ctx.Err() == nil {
		err := w.round(ctx, resync)
		if ctx.Err() != nil {
			return nil
		}
		if errors.Is(err, errResync) {
			w.logger.Info("loading every KV bucket again, as asked")
			continue
		}
		if err != nil {
			w.logger.Warn("KV watch broke; resyncing", "err", err)
		}
		select {
		case <-ctx.Done():
		case <-time.After(250 * time.Millisecond):
		}
	}
	return nil
}

// errResync ends a watch round that a reconnect or the platform asked to
// start again.
var errResync = errors.New("resync requested")

type update struct {
	bucket string
	entry  jetstream.KeyValueEntry // nil: the bucket's initial values are all in
}

// resyncGCPercent is the collector's target (GOGC) while a resync loads
// the keys: see round.
const resyncGCPercent = 25

func (w *watcher) round(ctx context.Context, resync <-chan struct{}) error {
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	// While a resync loads the keys, the old view still serves: two are
	// live, and the collector's usual headroom (GOGC=100: the heap grows
	// to twice what is live) would double that again. A tighter target
	// until the keys are in keeps the peak down, for a little more
	// collecting; the first load, with one view, keeps the usual one.
	loosen := func() {}
	if w.loads.Load() > 0 {
		was := debug.SetGCPercent(resyncGCPercent)
		loosen = func() {
			debug.SetGCPercent(was)
			loosen = func() {}
		}
	}
	defer func() { loosen() }()
	w.view.beginKeys()
	defer w.view.endKeys(false) // a round that breaks off keeps the old keys
	updates := make(chan update, 1024)
	errs := make(chan error, len(watchedBuckets))
	for _, b := range watchedBuckets {
		kv, err := w.js.KeyValue(rctx, b)
		if err != nil {
			return fmt.Errorf("bucket %s: %w", b, err)
		}
		kw, err := kv.WatchAll(rctx)
		if err != nil {
			return fmt.Errorf("watch %s: %w", b, err)
		}
		go func() {
			defer kw.Stop()
			for {
				select {
				case <-rctx.Done():
					return
				case e, ok := <-kw.Updates():
					if !ok {
						errs <- fmt.Errorf("watch %s closed", b)
						return
					}
					select {
					case updates <- update{bucket: b, entry: e}:
					case <-rctx.Done():
						return
					}
				}
			}
		}()
	}
	pending := len(watchedBuckets)
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-resync:
			return errResync
		case err := <-errs:
			return err
		case u := <-updates:
			if u.entry == nil {
				if u.bucket == schema.BucketKeys {
					w.view.endKeys(true)
					loosen()
				}
				if pending--; pending == 0 {
					w.ready.Store(true)
					w.loads.Add(1)
				}
				continue
			}
			var value []byte
			if u.entry.Operation() == jetstream.KeyValuePut {
				value = u.entry.Value()
			}
			if err := w.view.apply(u.bucket, u.entry.Key(), value); err != nil {
				w.logger.Error("KV value not applied in full", "err", err)
			}
		}
	}
}

// heartbeat writes the node's heartbeat to the gateways bucket every
// period, and as soon as the node's revision advances, until ctx is done:
// an admin waiting for a change to reach every node hears of it at once.
func heartbeat(ctx context.Context, js jetstream.JetStream, nodeID, version string, period time.Duration,
	advanced <-chan struct{}, state func() (rev uint64, stale bool), logger *slog.Logger) {
	t := time.NewTicker(period)
	defer t.Stop()
	var kv jetstream.KeyValue
	for {
		if kv == nil {
			kv, _ = js.KeyValue(ctx, schema.BucketGateways)
		}
		if kv != nil {
			rev, stale := state()
			b, _ := json.Marshal(schema.GatewayHeartbeat{NodeID: nodeID, Revision: rev, Stale: stale, Version: version, At: time.Now().UTC()})
			if _, err := kv.Put(ctx, nodeID, b); err != nil && ctx.Err() == nil {
				logger.Warn("heartbeat failed", "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-advanced:
		}
	}
}
