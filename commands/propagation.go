package commands

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aegis-oss/aegis/schema"
)

// Propagation says how many of the live gateway nodes have applied a
// revision.
type Propagation struct {
	Nodes int `json:"nodes"`
	Of    int `json:"of"`
}

// liveFor is how recent a node's heartbeat must be for the node to count
// as live: a few of its periods.
const liveFor = 10 * time.Second

// WaitPropagated waits until every live gateway node reports a revision of
// at least rev, for at most timeout, and says how many did. Nodes write
// their heartbeat as soon as they apply a change, so this follows the
// change as it reaches them. It returns an error only if the heartbeats
// cannot be read.
func (s *Service) WaitPropagated(ctx context.Context, rev uint64, timeout time.Duration) (Propagation, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	kv, err := s.log.JetStream().KeyValue(ctx, schema.BucketGateways)
	if err != nil {
		return Propagation{}, fmt.Errorf("gateway heartbeats: %w", err)
	}
	w, err := kv.WatchAll(ctx)
	if err != nil {
		return Propagation{}, fmt.Errorf("gateway heartbeats: %w", err)
	}
	defer w.Stop()
	nodes := map[string]schema.GatewayHeartbeat{}
	count := func() Propagation {
		var p Propagation
		for _, hb := range nodes {
			if time.Since(hb.At) > liveFor {
				continue
			}
			p.Of++
			if hb.Revision >= rev {
				p.Nodes++
			}
		}
		return p
	}
	loaded := false
	for {
		select {
		case <-ctx.Done():
			return count(), nil
		case e, ok := <-w.Updates():
			if !ok {
				return count(), nil
			}
			if e == nil {
				loaded = true
			} else {
				var hb schema.GatewayHeartbeat
				if json.Unmarshal(e.Value(), &hb) == nil {
					nodes[e.Key()] = hb
				}
			}
			if p := count(); loaded && p.Nodes == p.Of {
				return p, nil
			}
		}
	}
}
