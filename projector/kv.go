package projector

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
)

// KV writes projected values to NATS KV buckets, stamped with their source
// revision. It is safe for concurrent use.
type KV struct {
	js      jetstream.JetStream
	mu      sync.Mutex
	buckets map[string]jetstream.KeyValue
}

// NewKV returns a KV writer on js.
func NewKV(js jetstream.JetStream) *KV {
	return &KV{js: js, buckets: make(map[string]jetstream.KeyValue)}
}

// maxCASRounds bounds the compare-and-set loop when another writer races
// on the same key.
const maxCASRounds = 8

// Put stores value under key unless the bucket already holds a value of the
// same or a later revision, so that re-applying or replaying events never
// moves a key backwards. It returns an error if the bucket is unreachable
// or the key stays contended.
func (k *KV) Put(ctx context.Context, bucket, key string, value schema.Stamped) error {
	data, err := json.Marshal(value)
	if err != nil {
		return fmt.Errorf("kv put %s/%s: %w", bucket, key, err)
	}
	return k.write(ctx, bucket, key, value.StampRevision(), data)
}

// Delete replaces key with a tombstone at revision rev, under the same rule
// as Put.
func (k *KV) Delete(ctx context.Context, bucket, key string, rev uint64) error {
	data, err := json.Marshal(schema.Stamp{Revision: rev, Deleted: true})
	if err != nil {
		return fmt.Errorf("kv delete %s/%s: %w", bucket, key, err)
	}
	return k.write(ctx, bucket, key, rev, data)
}

func (k *KV) write(ctx context.Context, bucket, key string, rev uint64, data []byte) error {
	kv, err := k.bucket(ctx, bucket)
	if err != nil {
		return err
	}
	for range maxCASRounds {
		entry, err := kv.Get(ctx, key)
		switch {
		case errors.Is(err, jetstream.ErrKeyNotFound):
			_, err = kv.Create(ctx, key, data)
		case err != nil:
			return fmt.Errorf("kv get %s/%s: %w", bucket, key, err)
		default:
			var cur schema.Stamp
			if json.Unmarshal(entry.Value(), &cur) == nil && cur.Revision >= rev {
				return nil // already at this revision or later
			}
			_, err = kv.Update(ctx, key, data, entry.Revision())
		}
		if err == nil {
			return nil
		}
		if !errors.Is(err, jetstream.ErrKeyExists) && !eventlog.IsWrongSequence(err) {
			return fmt.Errorf("kv put %s/%s: %w", bucket, key, err)
		}
	}
	return fmt.Errorf("kv put %s/%s: contended", bucket, key)
}

// Revision returns the stamped revision of key, and whether it is a
// tombstone. It returns 0 and no error if the key was never written.
func (k *KV) Revision(ctx context.Context, bucket, key string) (rev uint64, deleted bool, err error) {
	kv, err := k.bucket(ctx, bucket)
	if err != nil {
		return 0, false, err
	}
	entry, err := kv.Get(ctx, key)
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("kv get %s/%s: %w", bucket, key, err)
	}
	var cur schema.Stamp
	if err := json.Unmarshal(entry.Value(), &cur); err != nil {
		return 0, false, fmt.Errorf("kv get %s/%s: %w", bucket, key, err)
	}
	return cur.Revision, cur.Deleted, nil
}

func (k *KV) bucket(ctx context.Context, name string) (jetstream.KeyValue, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if kv, ok := k.buckets[name]; ok {
		return kv, nil
	}
	kv, err := k.js.KeyValue(ctx, name)
	if err != nil {
		return nil, fmt.Errorf("kv bucket %s: %w", name, err)
	}
	k.buckets[name] = kv
	return kv, nil
}
