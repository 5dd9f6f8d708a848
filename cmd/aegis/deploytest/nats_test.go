package deploytest_test

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// TestComposeNATSSyncsAlways runs the nats service's command line through
// nats-server's own flag and config handling, with the inline config file it
// mounts.
func TestComposeNATSSyncsAlways(t *testing.T) {
	project := mustLoadCompose(t)
	nats := service(t, project, "nats")

	args := slices.Clone([]string(nats.Command))
	i := slices.Index(args, "-c")
	if i < 0 || i+1 >= len(args) {
		t.Fatalf("nats command = %q, want -c <config file>", args)
	}
	target := args[i+1]

	var content string
	for _, ref := range nats.Configs {
		if ref.Target != target {
			continue
		}
		cfg, ok := project.Configs[ref.Source]
		if !ok {
			t.Fatalf("config %q is not declared under top-level configs", ref.Source)
		}
		content = cfg.Content
	}
	if content == "" {
		t.Fatalf("no inline config mounted at %s", target)
	}
	path := filepath.Join(t.TempDir(), "nats.conf")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	args[i+1] = path

	// Warnings count as failures here; nats-server itself would only print them.
	if err := new(server.Options).ProcessConfigFile(path); err != nil {
		t.Fatalf("inline nats config: %v", err)
	}

	fs := flag.NewFlagSet("nats-server", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	noop := func() {}
	opts, err := server.ConfigureOptions(fs, args, noop, noop, noop)
	if err != nil {
		t.Fatalf("nats-server %s: %v", strings.Join(args, " "), err)
	}
	if opts == nil {
		t.Fatalf("nats-server %s: printed help or version instead of configuring", strings.Join(args, " "))
	}
	if !opts.JetStream {
		t.Error("JetStream disabled, want enabled")
	}
	if !opts.SyncAlways {
		t.Error("SyncAlways = false, want true (sync_interval: always)")
	}
	if got, want := opts.StoreDir, "/data"; got != want {
		t.Errorf("store dir = %q, want %q (the nats-data volume)", got, want)
	}
	if got, want := opts.HTTPPort, 8222; got != want {
		t.Errorf("monitoring port = %d, want %d (the health check's)", got, want)
	}
}

// clusterNodes are the NATS cluster's server names; each has a config file
// deploy/nats/cluster/<name>.conf.
var clusterNodes = []string{"nats-1", "nats-2", "nats-3"}

const clusterRoutePort = 6222

func loadClusterConfig(t *testing.T, node string) *server.Options {
	t.Helper()
	path := filepath.Join(repoRoot, "deploy", "nats", "cluster", node+".conf")
	opts := &server.Options{}
	// Warnings count as failures here; nats-server itself would only print them.
	if err := opts.ProcessConfigFile(path); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return opts
}

func TestNATSClusterConfigs(t *testing.T) {
	for _, node := range clusterNodes {
		t.Run(node, func(t *testing.T) {
			opts := loadClusterConfig(t, node)

			if got := opts.ServerName; got != node {
				t.Errorf("server_name = %q, want %q", got, node)
			}
			if !opts.JetStream {
				t.Error("JetStream disabled, want enabled")
			}
			if !opts.SyncAlways {
				t.Error("SyncAlways = false, want true (sync_interval: always)")
			}
			if opts.StoreDir == "" {
				t.Error("jetstream store_dir unset")
			}
			if got, want := opts.Cluster.Name, "aegis"; got != want {
				t.Errorf("cluster name = %q, want %q", got, want)
			}
			if got, want := opts.Cluster.Port, clusterRoutePort; got != want {
				t.Errorf("cluster port = %d, want %d", got, want)
			}

			var got, want []string
			for _, u := range opts.Routes {
				got = append(got, u.Scheme+"://"+u.Host)
			}
			for _, peer := range clusterNodes {
				if peer != node {
					want = append(want, "nats-route://"+peer+":"+strconv.Itoa(clusterRoutePort))
				}
			}
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("routes = %v, want the other two nodes %v", got, want)
			}
		})
	}
}

// TestNATSClusterForms starts the three configs as a real cluster on
// loopback (listen addresses, route hosts and store directories replaced,
// everything else as written) and waits for JetStream to elect a meta leader
// that all three nodes agree on.
func TestNATSClusterForms(t *testing.T) {
	routePorts := make(map[string]int, len(clusterNodes))
	for _, node := range clusterNodes {
		routePorts[node] = freePort(t)
	}

	servers := make([]*server.Server, 0, len(clusterNodes))
	for _, node := range clusterNodes {
		opts := loadClusterConfig(t, node)
		opts.Host, opts.Port = "127.0.0.1", -1
		opts.HTTPHost, opts.HTTPPort = "", 0
		opts.Cluster.Host, opts.Cluster.Port = "127.0.0.1", routePorts[node]
		opts.StoreDir = t.TempDir()
		opts.NoLog, opts.NoSigs = true, true
		routes := make([]*url.URL, 0, len(opts.Routes))
		for _, u := range opts.Routes {
			port, ok := routePorts[u.Hostname()]
			if !ok {
				t.Fatalf("%s: route %s names no cluster node", node, u)
			}
			r := *u
			r.Host = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
			routes = append(routes, &r)
		}
		opts.Routes = routes

		s, err := server.NewServer(opts)
		if err != nil {
			t.Fatalf("%s: %v", node, err)
		}
		t.Cleanup(func() {
			s.Shutdown()
			s.WaitForShutdown()
		})
		go s.Start()
		if !s.ReadyForConnections(10 * time.Second) {
			t.Fatalf("%s: not ready for connections", node)
		}
		servers = append(servers, s)
	}

	deadline := time.Now().Add(30 * time.Second)
	for {
		leader, status := metaLeader(servers)
		if leader != "" {
			if !slices.Contains(clusterNodes, leader) {
				t.Fatalf("meta leader %q is none of %v", leader, clusterNodes)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no JetStream meta leader agreed by all nodes within 30s: %s", status)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// metaLeader returns the JetStream meta leader if every server names the same
// one and knows a cluster of all three nodes, or "" and what each reports.
func metaLeader(servers []*server.Server) (string, string) {
	var leaders, status []string
	for _, s := range servers {
		info, err := s.Jsz(nil)
		switch {
		case err != nil:
			status = append(status, fmt.Sprintf("%s: %v", s.Name(), err))
		case info.Meta == nil:
			status = append(status, s.Name()+": no meta cluster")
		default:
			status = append(status, fmt.Sprintf("%s: leader %q, size %d", s.Name(), info.Meta.Leader, info.Meta.Size))
			if info.Meta.Leader != "" && info.Meta.Size == len(servers) {
				leaders = append(leaders, info.Meta.Leader)
			}
		}
	}
	if len(leaders) == len(servers) && len(slices.Compact(leaders)) == 1 {
		return leaders[0], ""
	}
	return "", strings.Join(status, "; ")
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
