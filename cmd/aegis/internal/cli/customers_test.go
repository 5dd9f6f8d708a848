package cli_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/config"
	"github.com/aegis-oss/aegis/cmd/aegis/internal/platform"
	"github.com/aegis-oss/aegis/schema/testkit"
)

func TestCustomersCommands(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = testkit.NewDatabase(t)
	cfg.NATSAddr = "127.0.0.1:0"
	cfg.AdminAddr = "127.0.0.1:0"
	cfg.GatewayAddr = "127.0.0.1:0"
	cfg.LogLevel = "warn"
	p, err := platform.Start(context.Background(), cfg, testkit.Logger(t), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	var reg struct {
		CustomerID string `json:"customer_id"`
	}
	post(t, "http://"+p.AdminAddr(), "/api/v1/register",
		map[string]string{"company_name": "Initech", "email": "bill@initech.example", "password": adminPassword}, &reg, 201)
	env := map[string]string{"NATS_URL": p.NATSURL(), "DATABASE_URL": cfg.DatabaseURL}

	// Wait until the read model has the customer and its owner.
	var list []struct {
		CustomerID string `json:"customer_id"`
		Status     string `json:"status"`
		OwnerEmail string `json:"owner_email"`
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		out, _ := mustRun(t, env, "customers", "list", "-o", "json")
		if err := json.Unmarshal([]byte(out), &list); err != nil {
			t.Fatalf("customers list -o json = %q: %v", out, err)
		}
		if len(list) == 1 && list[0].OwnerEmail == "bill@initech.example" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("customers list = %+v", list)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if list[0].CustomerID != reg.CustomerID || list[0].Status != "active" {
		t.Fatalf("customers list = %+v", list)
	}
	out, _ := mustRun(t, env, "customers", "list")
	if !strings.Contains(out, "Initech") || !strings.Contains(out, "OWNER") {
		t.Fatalf("customers list = %q", out)
	}

	out, _ = mustRun(t, env, "customers", "suspend", reg.CustomerID, "--reason", "fraud review")
	if !strings.Contains(out, "suspended at revision") {
		t.Fatalf("suspend = %q", out)
	}
	for {
		out, _ = mustRun(t, env, "customers", "get", reg.CustomerID)
		if strings.Contains(out, "suspended") && strings.Contains(out, "fraud review") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("customers get = %q", out)
		}
		time.Sleep(20 * time.Millisecond)
	}
	mustRun(t, env, "customers", "reactivate", reg.CustomerID)
	failsWithOneLine(t, env, []string{"not_found"}, "customers", "suspend", "01a21ab7-e85d-741c-8ac6-d8b96a2e7309")
}

func TestGatewayHealth(t *testing.T) {
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.DatabaseURL = testkit.NewDatabase(t)
	cfg.NATSAddr = "127.0.0.1:0"
	cfg.AdminAddr = "127.0.0.1:0"
	cfg.GatewayAddr = "127.0.0.1:0"
	cfg.NodeID = "gw-test"
	cfg.LogLevel = "warn"
	p, err := platform.Start(context.Background(), cfg, testkit.Logger(t), "test")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown(context.Background())
	env := map[string]string{"NATS_URL": p.NATSURL(), "DATABASE_URL": cfg.DatabaseURL}
	deadline := time.Now().Add(10 * time.Second)
	for {
		out, _ := mustRun(t, env, "gateway", "health", "-o", "json")
		var nodes []struct {
			NodeID string `json:"node_id"`
			Live   bool   `json:"live"`
			Stale  bool   `json:"stale"`
		}
		if err := json.Unmarshal([]byte(out), &nodes); err != nil {
			t.Fatalf("gateway health -o json = %q: %v", out, err)
		}
		if len(nodes) == 1 && nodes[0].NodeID == "gw-test" && nodes[0].Live && !nodes[0].Stale {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("gateway health = %+v", nodes)
		}
		time.Sleep(20 * time.Millisecond)
	}
	out, _ := mustRun(t, env, "gateway", "health")
	if !strings.Contains(out, "gw-test") || !strings.Contains(out, "REVISION") {
		t.Fatalf("gateway health = %q", out)
	}
	if out, _ := mustRun(t, env, "cache", "health"); !strings.Contains(out, "gw-test") {
		t.Fatalf("cache health = %q", out)
	}
	for _, verb := range []string{"warm", "invalidate"} {
		loads := p.Gateway().Loads()
		if out, _ := mustRun(t, env, "cache", verb); !strings.Contains(out, "asked every gateway node") {
			t.Fatalf("cache %s = %q", verb, out)
		}
		// The node loads every bucket again.
		deadline = time.Now().Add(10 * time.Second)
		for p.Gateway().Loads() <= loads {
			if time.Now().After(deadline) {
				t.Fatalf("cache %s: the gateway did not load KV again", verb)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
