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

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"github.com/nats-io/nats-server/v2/server"
)

// repoRoot is the repository root, relative to this package's directory.
const repoRoot = "../../.."

// requiredEnv holds the variables the compose file refuses to load without.
var requiredEnv = map[string]string{
	"JWT_SECRET":       "test-jwt-secret",
	"AEGIS_MASTER_KEY": "test-master-key",
}

// loadCompose loads docker-compose.yml the way `docker compose` does:
// interpolated with env (and nothing from the process environment),
// validated against the compose specification's schema, normalised and
// checked for consistency.
func loadCompose(t *testing.T, env map[string]string) (*types.Project, error) {
	t.Helper()
	vars := make([]string, 0, len(env))
	for k, v := range env {
		vars = append(vars, k+"="+v)
	}
	opts, err := cli.NewProjectOptions(
		[]string{filepath.Join(repoRoot, "docker-compose.yml")},
		cli.WithWorkingDirectory(repoRoot),
		cli.WithEnv(vars),
	)
	if err != nil {
		t.Fatalf("compose project options: %v", err)
	}
	return opts.LoadProject(t.Context())
}

func mustLoadCompose(t *testing.T) *types.Project {
	t.Helper()
	project, err := loadCompose(t, requiredEnv)
	if err != nil {
		t.Fatalf("load docker-compose.yml: %v", err)
	}
	return project
}

func service(t *testing.T, project *types.Project, name string) types.ServiceConfig {
	t.Helper()
	svc, ok := project.Services[name]
	if !ok {
		t.Fatalf("service %q missing; got services %v", name, project.ServiceNames())
	}
	return svc
}

func TestComposeServices(t *testing.T) {
	project := mustLoadCompose(t)

	for _, name := range []string{"nats", "postgres", "aegis"} {
		t.Run(name, func(t *testing.T) {
			svc := service(t, project, name)
			if got, want := svc.Restart, types.RestartPolicyUnlessStopped; got != want {
				t.Errorf("restart = %q, want %q", got, want)
			}
			for _, v := range svc.Volumes {
				if v.Type != types.VolumeTypeVolume {
					t.Errorf("volume %s: type %q, want a named volume", v.Target, v.Type)
					continue
				}
				if _, ok := project.Volumes[v.Source]; !ok {
					t.Errorf("volume %s: %q is not declared under top-level volumes", v.Target, v.Source)
				}
			}
		})
	}

	for _, name := range []string{"nats", "postgres"} {
		t.Run(name+"/healthcheck", func(t *testing.T) {
			hc := service(t, project, name).HealthCheck
			if hc == nil || hc.Disable || len(hc.Test) == 0 {
				t.Fatalf("healthcheck = %+v, want one (aegis waits for service_healthy)", hc)
			}
		})
	}

	t.Run("nats/healthcheck probes JetStream", func(t *testing.T) {
		hc := service(t, project, "nats").HealthCheck
		if hc == nil {
			t.Fatal("nats has no healthcheck")
		}
		test := strings.Join(hc.Test, " ")
		if !strings.Contains(test, "wget") || !strings.Contains(test, ":8222/healthz?js-enabled-only=true") {
			t.Errorf("healthcheck test = %q, want wget of the monitoring endpoint /healthz?js-enabled-only=true", test)
		}
	})
}

func TestComposeAegisService(t *testing.T) {
	project := mustLoadCompose(t)
	aegis := service(t, project, "aegis")

	t.Run("depends on healthy nats and postgres", func(t *testing.T) {
		for _, dep := range []string{"nats", "postgres"} {
			d, ok := aegis.DependsOn[dep]
			if !ok {
				t.Errorf("depends_on lacks %q; got %v", dep, aegis.DependsOn)
				continue
			}
			if got, want := d.Condition, types.ServiceConditionHealthy; got != want {
				t.Errorf("depends_on %s: condition = %q, want %q", dep, got, want)
			}
		}
	})

	t.Run("builds deploy/Dockerfile from the repository root", func(t *testing.T) {
		if aegis.Build == nil {
			t.Fatal("aegis has no build section")
		}
		root, err := filepath.Abs(repoRoot)
		if err != nil {
			t.Fatal(err)
		}
		if got := aegis.Build.Context; got != root {
			t.Errorf("build context = %q, want the repository root %q", got, root)
		}
		dockerfile := aegis.Build.Dockerfile
		if !filepath.IsAbs(dockerfile) {
			dockerfile = filepath.Join(aegis.Build.Context, dockerfile)
		}
		if fi, err := os.Stat(dockerfile); err != nil || !fi.Mode().IsRegular() {
			t.Errorf("dockerfile %q: not a regular file (%v)", aegis.Build.Dockerfile, err)
		}
		if got, want := aegis.Build.Dockerfile, "deploy/Dockerfile"; filepath.ToSlash(got) != want {
			t.Errorf("dockerfile = %q, want %q", got, want)
		}
	})

	t.Run("environment", func(t *testing.T) {
		want := map[string]string{
			"DATABASE_URL":     "postgresql://aegis_user:aegis_password@postgres:5432/aegis?sslmode=disable",
			"NATS_URL":         "nats://nats:4222",
			"JWT_SECRET":       requiredEnv["JWT_SECRET"],
			"AEGIS_MASTER_KEY": requiredEnv["AEGIS_MASTER_KEY"],
			"AEGIS_ADMIN_ADDR": "0.0.0.0:3001",
		}
		for k, w := range want {
			v, ok := aegis.Environment[k]
			if !ok || v == nil {
				t.Errorf("environment %s unset, want %q", k, w)
				continue
			}
			if *v != w {
				t.Errorf("environment %s = %q, want %q", k, *v, w)
			}
		}
	})

	t.Run("publishes admin, gateway and gateway TLS ports", func(t *testing.T) {
		var got []string
		for _, p := range aegis.Ports {
			got = append(got, fmt.Sprintf("%s:%s->%d/%s", p.HostIP, p.Published, p.Target, p.Protocol))
		}
		want := []string{
			"127.0.0.1:3001->3001/tcp",
			"127.0.0.1:8000->8000/tcp",
			"127.0.0.1:8443->8443/tcp",
		}
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("ports = %v, want %v", got, want)
		}
	})
}

func TestComposePublishesOnLoopbackOnly(t *testing.T) {
	project := mustLoadCompose(t)
	for name, svc := range project.Services {
		for _, p := range svc.Ports {
			if p.HostIP != "127.0.0.1" {
				t.Errorf("service %s publishes %s->%d on host IP %q, want 127.0.0.1", name, p.Published, p.Target, p.HostIP)
			}
		}
	}
}

func TestComposeRequiresSecrets(t *testing.T) {
	for name := range requiredEnv {
		for _, tc := range []struct {
			how string
			env func(map[string]string)
		}{
			{"unset", func(env map[string]string) { delete(env, name) }},
			{"empty", func(env map[string]string) { env[name] = "" }},
		} {
			t.Run(name+"/"+tc.how, func(t *testing.T) {
				env := make(map[string]string, len(requiredEnv))
				for k, v := range requiredEnv {
					env[k] = v
				}
				tc.env(env)

				_, err := loadCompose(t, env)
				if err == nil {
					t.Fatalf("load with %s %s succeeded, want an error", name, tc.how)
				}
				if !strings.Contains(err.Error(), "required variable "+name) {
					t.Errorf("error = %q, want it to say that %s is required", err, name)
				}
			})
		}
	}
}

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
	if testing.Short() {
		t.Skip("starts a three-node JetStream cluster")
	}

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
