package gateway_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

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
	// Published in batches that never wait for room, however slow the
	// server is today.
	const batch = 20_000
	js, _ := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(batch))
	ctx := context.Background()
	for _, bucket := range []string{schema.BucketRoutes, schema.BucketApps, schema.BucketKeys, schema.BucketGateways} {
		if _, err := js.CreateKeyValue(ctx, jetstream.KeyValueConfig{Bucket: bucket}); err != nil {
			b.Fatal(err)
		}
	}
	// IDs are UUIDs, as the platform makes them: the keys belong to 1,000
	// apps of as many customers, and name 1,000 tenants.
	type app struct{ id, customer string }
	apps := make([]app, 1000)
	for i := range apps {
		apps[i] = app{id: schema.NewID(), customer: schema.NewID()}
	}
	expires := time.Now().Add(24 * time.Hour)
	for i := range n {
		sum := sha256.Sum256([]byte(strconv.Itoa(i)))
		a := apps[i%len(apps)]
		rec, _ := json.Marshal(schema.KeyRecord{Stamp: schema.Stamp{Revision: uint64(i + 1)}, KeyID: schema.NewID(),
			AppID: a.id, CustomerID: a.customer, Environment: schema.EnvProduction, TenantID: "tenant-" + strconv.Itoa(i%1000), ExpiresAt: &expires})
		if _, err := js.PublishAsync("$KV."+schema.BucketKeys+"."+hex.EncodeToString(sum[:]), rec); err != nil {
			b.Fatal(err)
		}
		if i%batch == batch-1 {
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
// KV, in a process of its own as in production: the time from the start of
// the process until it is ready (every bucket loaded into its view), the
// process's resident memory then (rss) and at its highest (peak-rss), after
// a forced collection (gc-rss), and at its highest while it loads every
// bucket again, as at a NATS reconnect (resync-peak-rss); and the heap its
// view holds. Baseline in the same run: a bare watch of the same bucket
// that only counts the entries, the cost of reading them.
func BenchmarkColdStart(b *testing.B) {
	n := benchKeys(b)
	nc := seedKeys(b, n)
	b.Run("gateway", func(b *testing.B) {
		if _, err := os.Stat("/proc/self/status"); err != nil {
			b.Skip("resident memory is read from /proc:", err)
		}
		for range b.N {
			node := startNode(b, nc.ConnectedUrl())
			ready := node.next(b, "ready", 5*time.Minute)
			took := time.Since(node.started)
			if ready.Revision != uint64(n) {
				b.Fatalf("revision %d; want %d", ready.Revision, n)
			}
			checkReady(b, ready.Addr)
			rss, peak := node.resident(b)
			collected := node.do(b, "collect", "collected", time.Minute)
			gcRSS, _ := node.resident(b)
			node.resetPeak(b)
			resyncStart := time.Now()
			node.do(b, "resync", "resynced", 5*time.Minute)
			resyncTook := time.Since(resyncStart)
			_, resyncPeak := node.resident(b)
			node.stop(b)
			b.ReportMetric(took.Seconds(), "ready-s")
			b.ReportMetric(float64(n)/took.Seconds(), "keys/s")
			b.ReportMetric(mib(collected.HeapAlloc-ready.HeapStart), "view-MiB")
			b.ReportMetric(rss, "rss-MiB")
			b.ReportMetric(peak, "peak-rss-MiB")
			b.ReportMetric(gcRSS, "gc-rss-MiB")
			b.ReportMetric(resyncTook.Seconds(), "resync-s")
			b.ReportMetric(resyncPeak, "resync-peak-rss-MiB")
			b.Logf("node heap at ready: %.0f MiB live or garbage, %.0f MiB from the OS, %.0f MiB allocated in all, %d collections; "+
				"after a collection: %.0f MiB live, %.0f MiB in use, %.0f MiB from the OS of which %.0f MiB returned",
				mib(ready.HeapAlloc), mib(ready.HeapSys), mib(ready.TotalAlloc), ready.NumGC,
				mib(collected.HeapAlloc), mib(collected.HeapInuse), mib(collected.HeapSys), mib(collected.HeapReleased))
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

func mib(bytes uint64) float64 { return float64(bytes) / (1 << 20) }
