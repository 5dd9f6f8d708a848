package cli

import (
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/schema"
)

// gatewayNode is one gateway node as `aegis gateway health` shows it.
type gatewayNode struct {
	schema.GatewayHeartbeat
	// Lag is how many events of the log the node has not applied yet. It
	// counts every event, including those that change nothing in KV, so a
	// node can show a lag while it is in step.
	Lag uint64 `json:"lag"`
	// Live is false when the node has not beaten for a while.
	Live bool `json:"live"`
}

func (e *env) gatewayCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "gateway",
		Short: "Inspect the gateway nodes",
	}
	health := &cobra.Command{
		Use:   "health",
		Short: "Show every gateway node: the revision it has applied, its lag, whether it is stale",
		Long: `Show the gateway nodes that reported a heartbeat: the highest event revision
each has applied, how far that is behind the event log, whether it has lost NATS
for too long (stale), and when it last beat. A node that has not beaten for 10 s
is shown as not live.`,
		Args: args(cobra.NoArgs),
		RunE: e.gatewayHealth,
	}
	e.addOutputFlag(health)
	cmd.AddCommand(health)
	return cmd
}

// gatewayHealth prints every gateway node's heartbeat.
func (e *env) gatewayHealth(cmd *cobra.Command, _ []string) error {
	if err := e.checkOutput(); err != nil {
		return err
	}
	ctx := cmd.Context()
	nc, l, err := e.attachLog(ctx)
	if err != nil {
		return err
	}
	defer nc.Close()
	last, err := l.LastRevision(ctx)
	if err != nil {
		return err
	}
	kv, err := l.JetStream().KeyValue(ctx, schema.BucketGateways)
	if err != nil {
		return err
	}
	keys, err := kv.Keys(ctx)
	if err != nil && !errors.Is(err, jetstream.ErrNoKeysFound) {
		return err
	}
	sort.Strings(keys)
	nodes := []gatewayNode{}
	for _, k := range keys {
		entry, err := kv.Get(ctx, k)
		if err != nil {
			continue
		}
		var n gatewayNode
		if json.Unmarshal(entry.Value(), &n.GatewayHeartbeat) != nil {
			continue
		}
		if last > n.Revision {
			n.Lag = last - n.Revision
		}
		n.Live = time.Since(n.At) < 10*time.Second
		nodes = append(nodes, n)
	}
	if e.output == "json" {
		return writeJSON(e.stdout, nodes)
	}
	rows := make([][]string, len(nodes))
	for i, n := range nodes {
		rows[i] = []string{n.NodeID, strconv.FormatUint(n.Revision, 10), strconv.FormatUint(n.Lag, 10),
			strconv.FormatBool(n.Stale), strconv.FormatBool(n.Live), n.Version, formatTime(&n.At)}
	}
	return writeTable(e.stdout, []string{"NODE", "REVISION", "LAG", "STALE", "LIVE", "VERSION", "LAST BEAT"}, rows)
}
