package deploytest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// repoRoot is the repository root, relative to this package's directory.
const repoRoot = "../../.."

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
	project, err := loadCompose(t, nil)
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

	t.Run("publishes the admin and gateway ports", func(t *testing.T) {
		var got []string
		for _, p := range aegis.Ports {
			got = append(got, fmt.Sprintf("%s:%s->%d/%s", p.HostIP, p.Published, p.Target, p.Protocol))
		}
		want := []string{
			"127.0.0.1:3001->3001/tcp",
			"127.0.0.1:8000->8000/tcp",
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
