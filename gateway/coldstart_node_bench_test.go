package gateway_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/aegis-oss/aegis/gateway"
	"github.com/aegis-oss/aegis/schema"
)

// nodeEnv, set to a NATS URL, makes the test binary a gateway node on that
// server and nothing else (see TestMain and runNode).
const nodeEnv = "AEGIS_BENCH_NODE_NATS"

// nodeRuntimeEnv prefixes variables that set the node's Go runtime, and
// not the benchmark's: AEGIS_BENCH_NODE_GOGC=50 is GOGC=50 in the node,
// AEGIS_BENCH_NODE_GOMEMLIMIT=400MiB its GOMEMLIMIT.
const nodeRuntimeEnv = "AEGIS_BENCH_NODE_"

// nodeProfileEnv, set to a file name, makes the node write a heap profile
// there each time it collects its garbage (go tool pprof reads it).
const nodeProfileEnv = "AEGIS_BENCH_NODE_HEAPPROFILE"

// nodeReport is what a node process tells the benchmark, one JSON line at
// each stage: "ready" once it has loaded every bucket, then one for each
// command it is given (see runNode).
type nodeReport struct {
	Stage    string
	Addr     string // where the node serves
	Revision uint64
	// HeapStart is the live heap of the process before the node started.
	HeapStart uint64
	// The rest is runtime.MemStats at the stage.
	HeapAlloc, HeapInuse, HeapSys, HeapReleased, TotalAlloc uint64
	NumGC                                                   uint32
}

// runNode runs a gateway node alone, started as cmd/aegis starts one: a
// NATS connection to url, gateway.New, Run, and Serve on 127.0.0.1:0. It
// writes a report to out when the node is ready, then takes commands from
// in, one line each, and reports after each:
//
//   - "collect" collects garbage and returns what it can to the OS
//     ("collected");
//   - "resync" asks every node, as the platform does, to load every bucket
//     again, and waits until this one has ("resynced").
//
// At the end of in, whatever the node is doing, it shuts the node down and
// returns.
func runNode(url string, in io.Reader, out io.Writer) (stopErr error) {
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	start := ms.HeapAlloc
	nc, err := nats.Connect(url, nats.Name("aegis-bench-node"), nats.Timeout(5*time.Second),
		nats.MaxReconnects(-1), nats.ReconnectWait(250*time.Millisecond))
	if err != nil {
		return fmt.Errorf("connect to NATS: %w", err)
	}
	defer nc.Close()
	master, err := schema.ParseMasterKey(schema.NewMasterKey())
	if err != nil {
		return err
	}
	g, err := gateway.New(nc, gateway.Options{NodeID: "bench-node", Version: "bench", MasterKey: master,
		Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	g.Run(context.Background())
	go func() { _ = g.Serve(ln) }()
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := g.Shutdown(ctx); err != nil && stopErr == nil {
			stopErr = fmt.Errorf("shut down: %w", err)
		}
	}()

	commands := make(chan string)
	go func() {
		defer close(commands)
		for lines := bufio.NewScanner(in); lines.Scan(); {
			commands <- lines.Text()
		}
	}()
	// until polls cond until it holds; the end of in stops it.
	until := func(cond func() bool) error {
		poll := time.NewTicker(time.Millisecond)
		defer poll.Stop()
		for !cond() {
			select {
			case _, ok := <-commands:
				if !ok {
					return errors.New("stopped while loading")
				}
			case <-poll.C:
			}
		}
		return nil
	}
	enc := json.NewEncoder(out)
	report := func(stage string) error {
		runtime.ReadMemStats(&ms)
		return enc.Encode(nodeReport{Stage: stage, Addr: ln.Addr().String(), Revision: g.Revision(), HeapStart: start,
			HeapAlloc: ms.HeapAlloc, HeapInuse: ms.HeapInuse, HeapSys: ms.HeapSys, HeapReleased: ms.HeapReleased,
			TotalAlloc: ms.TotalAlloc, NumGC: ms.NumGC})
	}

	if err := until(g.Ready); err != nil {
		return err
	}
	if err := report("ready"); err != nil {
		return err
	}
	for c := range commands {
		var stage string
		switch c {
		case "collect":
			debug.FreeOSMemory() // a collection, then back to the OS
			if name := os.Getenv(nodeProfileEnv); name != "" {
				if err := writeHeapProfile(name); err != nil {
					return err
				}
			}
			stage = "collected"
		case "resync":
			loads := g.Loads()
			if err := nc.Publish(schema.SubjectGatewayControl, []byte(schema.ControlResync)); err != nil {
				return err
			}
			if err := until(func() bool { return g.Loads() > loads }); err != nil {
				return err
			}
			stage = "resynced"
		default:
			return fmt.Errorf("unknown command %q", c)
		}
		if err := report(stage); err != nil {
			return err
		}
	}
	return nil
}

func writeHeapProfile(name string) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if err := pprof.Lookup("heap").WriteTo(f, 0); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// nodeProcess is a gateway node running in a process of its own.
type nodeProcess struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	reports chan nodeReport // closed when the process closes its stdout
	started time.Time
	stopped sync.Once
}

// startNode starts this test binary again as a gateway node on natsURL
// (see runNode). It is stopped at cleanup, if it has not been already.
func startNode(b *testing.B, natsURL string) *nodeProcess {
	b.Helper()
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), nodeEnv+"="+natsURL)
	for _, kv := range os.Environ() {
		if rest, ok := strings.CutPrefix(kv, nodeRuntimeEnv); ok && strings.HasPrefix(rest, "GO") {
			cmd.Env = append(cmd.Env, rest)
		}
	}
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	n := &nodeProcess{cmd: cmd, in: in, reports: make(chan nodeReport)}
	n.started = time.Now()
	if err := cmd.Start(); err != nil {
		b.Fatalf("start a gateway node: %v", err)
	}
	go func() {
		defer close(n.reports)
		dec := json.NewDecoder(out)
		for {
			var r nodeReport
			if dec.Decode(&r) != nil {
				return
			}
			n.reports <- r
		}
	}()
	b.Cleanup(func() { n.stop(b) })
	return n
}

// next returns the node's next report, which must be of stage; it fails b
// if none comes within d.
func (n *nodeProcess) next(b *testing.B, stage string, d time.Duration) nodeReport {
	b.Helper()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case r, ok := <-n.reports:
		if !ok {
			b.Fatalf("gateway node exited before it was %s", stage)
		}
		if r.Stage != stage {
			b.Fatalf("gateway node %s; want %s", r.Stage, stage)
		}
		return r
	case <-t.C:
		b.Fatalf("gateway node not %s after %s", stage, d)
	}
	return nodeReport{}
}

// do gives the node a command (see runNode) and returns its report, which
// must come within d.
func (n *nodeProcess) do(b *testing.B, command, stage string, d time.Duration) nodeReport {
	b.Helper()
	if _, err := io.WriteString(n.in, command+"\n"); err != nil {
		b.Fatalf("gateway node: %v", err)
	}
	return n.next(b, stage, d)
}

// resident returns the node's resident set (VmRSS) and its peak (VmHWM)
// in MiB, read from /proc (Linux only).
func (n *nodeProcess) resident(b *testing.B) (rss, peak float64) {
	b.Helper()
	status, err := os.ReadFile(n.proc("status"))
	if err != nil {
		b.Fatal(err)
	}
	for line := range strings.Lines(string(status)) {
		name, value, _ := strings.Cut(line, ":")
		var to *float64
		switch name {
		case "VmRSS":
			to = &rss
		case "VmHWM":
			to = &peak
		default:
			continue
		}
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(value), " kB"), 64)
		if err != nil {
			b.Fatalf("%s: %s: %v", n.proc("status"), name, err)
		}
		*to = kb / 1024
	}
	if rss == 0 || peak == 0 {
		b.Fatalf("%s has no VmRSS or VmHWM", n.proc("status"))
	}
	return rss, peak
}

// resetPeak makes the node's peak resident set (VmHWM) its current one.
func (n *nodeProcess) resetPeak(b *testing.B) {
	b.Helper()
	if err := os.WriteFile(n.proc("clear_refs"), []byte("5"), 0); err != nil {
		b.Fatal(err)
	}
}

func (n *nodeProcess) proc(name string) string {
	return "/proc/" + strconv.Itoa(n.cmd.Process.Pid) + "/" + name
}

// stop tells the node to stop, kills it if it has not stopped within
// 10 s, and waits for it to exit.
func (n *nodeProcess) stop(b *testing.B) {
	n.stopped.Do(func() {
		n.in.Close()
		kill := time.AfterFunc(10*time.Second, func() { _ = n.cmd.Process.Kill() })
		defer kill.Stop()
		for range n.reports { // until the process closes its stdout
		}
		if err := n.cmd.Wait(); err != nil && !b.Failed() {
			b.Errorf("gateway node did not stop cleanly: %v", err)
		}
	})
}

// checkReady fails b unless the node answers 200 on /_aegis/ready.
func checkReady(b *testing.B, addr string) {
	b.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	defer c.CloseIdleConnections()
	resp, err := c.Get("http://" + addr + "/_aegis/ready")
	if err != nil {
		b.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b.Fatalf("/_aegis/ready: %s; want 200", resp.Status)
	}
}
