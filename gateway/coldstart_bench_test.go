package gateway_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/aegis-oss/aegis/gateway"
	"github.com/aegis-oss/aegis/schema"
)

// benchKeys is how many API keys the cold-start benchmark loads:
// AEGIS_BENCH_KEYS, default 100,000 (make bench uses 1,000,000).
func benchKeys(b *testing.B) int {
	if v := os.Getenv("AEGIS_BENCH_KEYS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			b.Fatalf("AEGIS_BENCH_KEYS=%q: want a positive number", v)
		}
		return n
	}
	return 100_000
}

// seedKeys starts an in-process NATS server (acknowledging before the disk,
// to seed fast) and fills the gateway's buckets with n API keys and a
// watermark, as the gateway projection writes them.
func seedKeys(b *testing.B, n int) *nats.Conn {
	b.Helper()
	s, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, NoLog: true, NoSigs: true,
		JetStream: true, StoreDir: b.TempDir()})
	if err != nil {
		b.Fatal(err)
	}
	s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		b.Fatal("nats not ready")
	}
	b.Cleanup(s.Shutdown)
	nc, err := nats.Connect(s.ClientURL())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(nc.Close)
	js, _ := jetstream.New(nc)
	ctx := context.Background()
	for _, bucket := range []string{schema.BucketRoutes, schema.BucketApps, schema.BucketKeys, schema.BucketGateways} {
		if _, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: bucket}); err != nil {
			b.Fatal(err)
		}
	}
	expires := time.Now().Add(24 * time.Hour)
	for i := range n {
		sum := sha256.Sum256([]byte(strconv.Itoa(i)))
		rec, _ := json.Marshal(schema.KeyRecord{Stamp: schema.Stamp{Revision: uint64(i + 1)}, KeyID: fmt.Sprintf("key-%d", i),
			AppID: "app-1", CustomerID: "customer-1", Environment: schema.EnvProduction, TenantID: "tenant-" + strconv.Itoa(i%1000), ExpiresAt: &expires})
		if _, err := js.PublishAsync("$KV."+schema.BucketKeys+"."+hex.EncodeToString(sum[:]), rec); err != nil {
			b.Fatal(err)
		}
		if i%20_000 == 19_999 {
			<-js.PublishAsyncComplete()
		}
	}
	<-js.PublishAsyncComplete()
	mark, _ := json.Marshal(schema.Stamp{Revision: uint64(n)})
	for _, bucket := range []string{schema.BucketRoutes, schema.BucketApps, schema.BucketKeys} {
		if _, err := js.Publish(ctx, "$KV."+bucket+"."+schema.WatermarkKey, mark); err != nil {
			b.Fatal(err)
		}
	}
	return nc
}

// BenchmarkColdStart measures a gateway node coming up with n API keys in
// KV: the time until it is ready (every bucket loaded into its view), and
// the heap its view holds. Baseline in the same run: a bare watch of the
// same bucket that only counts the entries, the cost of reading them.
func BenchmarkColdStart(b *testing.B) {
	n := benchKeys(b)
	nc := seedKeys(b, n)
	b.Run("gateway", func(b *testing.B) {
		for range b.N {
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			g, err := gateway.New(nc, gateway.Options{NodeID: "bench", Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
			if err != nil {
				b.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			g.Run(ctx)
			for !g.Ready() {
				time.Sleep(time.Millisecond)
			}
			took := time.Since(start)
			runtime.GC()
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if g.Revision() != uint64(n) {
				b.Fatalf("revision %d; want %d", g.Revision(), n)
			}
			b.ReportMetric(took.Seconds(), "ready-s")
			b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/(1<<20), "view-MiB")
			b.ReportMetric(float64(n)/took.Seconds(), "keys/s")
			cancel()
			_ = g.Shutdown(context.Background())
		}
	})
	b.Run("baseline-watch", func(b *testing.B) {
		js, _ := jetstream.New(nc)
		for range b.N {
			start := time.Now()
			kv, err := js.KeyValue(context.Background(), schema.BucketKeys)
			if err != nil {
				b.Fatal(err)
			}
			w, err := kv.WatchAll(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			count := 0
			for e := range w.Updates() {
				if e == nil {
					break
				}
				count++
			}
			_ = w.Stop()
			if count != n+1 {
				b.Fatalf("read %d; want %d", count, n+1)
			}
			took := time.Since(start)
			b.ReportMetric(took.Seconds(), "ready-s")
			b.ReportMetric(float64(n)/took.Seconds(), "keys/s")
		}
	})
}
