package config_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"log/slog"
	"maps"
	"net/netip"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/config"
)

// envOf returns a getenv that reads env and nothing else.
func envOf(env map[string]string) func(string) string {
	return func(name string) string { return env[name] }
}

// envVars maps each variable FromEnv reads to the field it sets, a value
// that differs from the default, and the field's value after reading it.
var envVars = []struct {
	name  string
	field string
	value string
	want  any
}{
	{"AEGIS_DATA_DIR", "DataDir", "/var/lib/aegis", "/var/lib/aegis"},
	{"DATABASE_URL", "DatabaseURL", "postgres://u:p@db:5432/aegis", "postgres://u:p@db:5432/aegis"},
	{"NATS_URL", "NATSURL", "nats://n1:4222,nats://n2:4222", "nats://n1:4222,nats://n2:4222"},
	{"AEGIS_NATS_ADDR", "NATSAddr", "0.0.0.0:4333", "0.0.0.0:4333"},
	{"AEGIS_ADMIN_ADDR", "AdminAddr", ":8080", ":8080"},
	{"AEGIS_REPLICAS", "Replicas", "3", 3},
	{"AEGIS_ROLES", "Roles", " admin, ,projector ", []string{"admin", "projector"}},
	{"AEGIS_READY_MAX_LAG", "ReadyMaxLag", "250", uint64(250)},
	{"AEGIS_SHUTDOWN_TIMEOUT", "ShutdownTimeout", "1m30s", 90 * time.Second},
	{"AEGIS_LOG_LEVEL", "LogLevel", "debug", "debug"},
	{"AEGIS_LOG_FORMAT", "LogFormat", "json", "json"},
	{"JWT_SECRET", "JWTSecret", "0123456789abcdef0123456789abcdef", "0123456789abcdef0123456789abcdef"},
	{"AEGIS_MASTER_KEY", "MasterKey", "c2VjcmV0", "c2VjcmV0"},
	{"SMTP_URL", "SMTPURL", "smtp://127.0.0.1:1025", "smtp://127.0.0.1:1025"},
	{"AEGIS_PUBLIC_URL", "PublicURL", "https://aegis.example.com", "https://aegis.example.com"},
	{"AEGIS_GATEWAY_ADDR", "GatewayAddr", "0.0.0.0:8080", "0.0.0.0:8080"},
	{"AEGIS_NODE_ID", "NodeID", "gw-1", "gw-1"},
	{"AEGIS_WEB_DIR", "WebDir", "/srv/aegis/web", "/srv/aegis/web"},
	{"AEGIS_ACCESS_LOG_SAMPLE", "AccessLogSample", "0.25", 0.25},
	{"AEGIS_GATEWAY_MAX_REQUEST_BODY", "MaxRequestBody", "64MiB", int64(64 << 20)},
	{"AEGIS_GATEWAY_MAX_RESPONSE_BODY", "MaxResponseBody", "1048576", int64(1 << 20)},
	{"AEGIS_TRUSTED_PROXIES", "TrustedProxies", "10.0.0.0/8, 192.0.2.1", []string{"10.0.0.0/8", "192.0.2.1"}},
	{"AEGIS_EGRESS_ALLOW", "EgressAllow", "127.0.0.0/8, ,fd00::1", []string{"127.0.0.0/8", "fd00::1"}},
}

// withField returns c with the named field set to v.
func withField(t *testing.T, c config.Config, field string, v any) config.Config {
	t.Helper()
	f := reflect.ValueOf(&c).Elem().FieldByName(field)
	if !f.IsValid() {
		t.Fatalf("Config has no field %s", field)
	}
	f.Set(reflect.ValueOf(v))
	return c
}

// documentedVars returns, per Config field, the environment variables its
// doc comment names.
func documentedVars(t *testing.T) map[string][]string {
	t.Helper()
	f, err := parser.ParseFile(token.NewFileSet(), "config.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatalf("parse config.go: %v", err)
	}
	envName := regexp.MustCompile(`\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b`)
	out := make(map[string][]string)
	ast.Inspect(f, func(n ast.Node) bool {
		ts, ok := n.(*ast.TypeSpec)
		if !ok || ts.Name.Name != "Config" {
			return true
		}
		for _, field := range ts.Type.(*ast.StructType).Fields.List {
			if field.Doc == nil {
				continue
			}
			for _, name := range field.Names {
				out[name.Name] = envName.FindAllString(field.Doc.Text(), -1)
			}
		}
		return false
	})
	if len(out) == 0 {
		t.Fatal("found no documented Config fields in config.go")
	}
	return out
}

func TestDefaultIsValid(t *testing.T) {
	if err := config.Default().Validate(); err != nil {
		t.Errorf("Default().Validate() = %v, want nil", err)
	}
}

func TestFromEnvEmptyIsDefault(t *testing.T) {
	got, err := config.FromEnv(envOf(nil))
	if err != nil {
		t.Fatalf("FromEnv(empty) error: %v", err)
	}
	if want := config.Default(); !reflect.DeepEqual(got, want) {
		t.Errorf("FromEnv(empty) = %+v, want Default() %+v", got, want)
	}
}

func TestFromEnvReadsEachVariable(t *testing.T) {
	for _, tc := range envVars {
		t.Run(tc.name, func(t *testing.T) {
			def := reflect.ValueOf(config.Default()).FieldByName(tc.field).Interface()
			if reflect.DeepEqual(def, tc.want) {
				t.Fatalf("test value %v is %s's default; pick another", tc.want, tc.field)
			}

			got, err := config.FromEnv(envOf(map[string]string{tc.name: tc.value}))
			if err != nil {
				t.Fatalf("FromEnv(%s=%q) error: %v", tc.name, tc.value, err)
			}
			want := withField(t, config.Default(), tc.field, tc.want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("FromEnv(%s=%q) = %+v, want %+v", tc.name, tc.value, got, want)
			}
		})
	}
}

func TestFromEnvReadsEveryVariableAtOnce(t *testing.T) {
	env := make(map[string]string, len(envVars))
	want := config.Default()
	for _, tc := range envVars {
		env[tc.name] = tc.value
		want = withField(t, want, tc.field, tc.want)
	}
	got, err := config.FromEnv(envOf(env))
	if err != nil {
		t.Fatalf("FromEnv error: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("FromEnv = %+v, want %+v", got, want)
	}
}

// TestFromEnvCoversTheDocs keeps the variables named in Config's field
// comments and the ones FromEnv is tested to read the same.
func TestFromEnvCoversTheDocs(t *testing.T) {
	documented := documentedVars(t)
	tested := make(map[string]string, len(envVars))
	for _, tc := range envVars {
		tested[tc.name] = tc.field
	}
	for field, names := range documented {
		for _, name := range names {
			got, ok := tested[name]
			if !ok {
				t.Errorf("Config.%s documents %s, which no FromEnv test sets", field, name)
				continue
			}
			if got != field {
				t.Errorf("%s is documented on Config.%s but sets Config.%s", name, field, got)
			}
		}
	}
	for _, tc := range envVars {
		if !slices.Contains(documented[tc.field], tc.name) {
			t.Errorf("FromEnv reads %s into Config.%s, whose comment does not name it (documented: %v)",
				tc.name, tc.field, documented[tc.field])
		}
	}
}

func TestFromEnvUnparsable(t *testing.T) {
	for _, tc := range []struct{ name, value string }{
		{"AEGIS_REPLICAS", "three"},
		{"AEGIS_REPLICAS", "1.5"},
		{"AEGIS_READY_MAX_LAG", "-1"},
		{"AEGIS_READY_MAX_LAG", "10k"},
		{"AEGIS_SHUTDOWN_TIMEOUT", "15"},
		{"AEGIS_SHUTDOWN_TIMEOUT", "soon"},
	} {
		t.Run(tc.name+"="+tc.value, func(t *testing.T) {
			_, err := config.FromEnv(envOf(map[string]string{tc.name: tc.value}))
			if err == nil {
				t.Fatalf("FromEnv(%s=%q) succeeded, want an error", tc.name, tc.value)
			}
			if !strings.Contains(err.Error(), tc.name) || !strings.Contains(err.Error(), tc.value) {
				t.Errorf("FromEnv(%s=%q) error = %q, want it to name the variable and its value", tc.name, tc.value, err)
			}
		})
	}
}

func TestFromEnvReportsEveryUnparsableVariable(t *testing.T) {
	env := map[string]string{
		"AEGIS_REPLICAS":         "x",
		"AEGIS_READY_MAX_LAG":    "y",
		"AEGIS_SHUTDOWN_TIMEOUT": "z",
	}
	_, err := config.FromEnv(envOf(env))
	if err == nil {
		t.Fatal("FromEnv with three bad variables succeeded, want an error")
	}
	for _, name := range slices.Sorted(maps.Keys(env)) {
		if !strings.Contains(err.Error(), name) {
			t.Errorf("error = %q, want it to name %s", err, name)
		}
	}
}

func TestValidate(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*config.Config)
		want   string // part of the error; "" means valid
	}{
		{"default", func(*config.Config) {}, ""},
		{"three replicas", func(c *config.Config) { c.Replicas = 3 }, ""},
		{"five replicas", func(c *config.Config) { c.Replicas = 5 }, ""},
		{"postgres scheme", func(c *config.Config) { c.DatabaseURL = "postgres://u@db/aegis" }, ""},
		{"NATS cluster", func(c *config.Config) { c.NATSURL = "nats://a:4222, tls://b:4222,ws://c:80,wss://d:443" }, ""},
		{"NATS URL makes the NATS address unused", func(c *config.Config) {
			c.NATSURL = "nats://nats:4222"
			c.NATSAddr = "not an address"
		}, ""},
		{"port 0", func(c *config.Config) { c.AdminAddr = "127.0.0.1:0"; c.NATSAddr = ":0" }, ""},
		{"roles listed", func(c *config.Config) { c.Roles = []string{config.RoleAdmin} }, ""},
		{"json logs at debug", func(c *config.Config) { c.LogFormat = "json"; c.LogLevel = "debug" }, ""},
		{"egress allow list", func(c *config.Config) { c.EgressAllow = []string{"10.20.0.0/16", "127.0.0.1", "fd00::/8"} }, ""},

		{"no data dir", func(c *config.Config) { c.DataDir = "" }, "data dir is empty"},
		{"MySQL URL", func(c *config.Config) { c.DatabaseURL = "mysql://u@db/aegis" }, "DATABASE_URL"},
		{"database URL without host", func(c *config.Config) { c.DatabaseURL = "postgresql:///aegis" }, "DATABASE_URL"},
		{"empty database URL", func(c *config.Config) { c.DatabaseURL = "" }, "DATABASE_URL"},
		{"HTTP NATS URL", func(c *config.Config) { c.NATSURL = "http://nats:4222" }, `NATS_URL "http://nats:4222"`},
		{"one bad NATS URL of two", func(c *config.Config) { c.NATSURL = "nats://a:4222,b:4222" }, `NATS_URL "b:4222"`},
		{"NATS address without port", func(c *config.Config) { c.NATSAddr = "localhost" }, "AEGIS_NATS_ADDR"},
		{"admin address with a named port", func(c *config.Config) { c.AdminAddr = "127.0.0.1:http" }, "AEGIS_ADMIN_ADDR"},
		{"admin port too high", func(c *config.Config) { c.AdminAddr = "127.0.0.1:65536" }, "AEGIS_ADMIN_ADDR"},
		{"two replicas", func(c *config.Config) { c.Replicas = 2 }, "AEGIS_REPLICAS must be 1, 3 or 5, not 2"},
		{"zero replicas", func(c *config.Config) { c.Replicas = 0 }, "AEGIS_REPLICAS"},
		{"unknown role", func(c *config.Config) { c.Roles = []string{"billing"} }, `unknown role "billing"`},
		{"no roles", func(c *config.Config) { c.Roles = nil }, "no role to run"},
		{"zero shutdown timeout", func(c *config.Config) { c.ShutdownTimeout = 0 }, "AEGIS_SHUTDOWN_TIMEOUT"},
		{"negative shutdown timeout", func(c *config.Config) { c.ShutdownTimeout = -time.Second }, "AEGIS_SHUTDOWN_TIMEOUT"},
		{"unknown log level", func(c *config.Config) { c.LogLevel = "verbose" }, `AEGIS_LOG_LEVEL must be debug, info, warn or error, not "verbose"`},
		{"unknown log format", func(c *config.Config) { c.LogFormat = "xml" }, `AEGIS_LOG_FORMAT must be text or json, not "xml"`},
		{"short JWT secret", func(c *config.Config) { c.JWTSecret = "short" }, "JWT_SECRET must be at least 32 characters"},
		{"public URL not http", func(c *config.Config) { c.PublicURL = "ftp://x" }, "AEGIS_PUBLIC_URL"},
		{"egress allow not a CIDR", func(c *config.Config) { c.EgressAllow = []string{"10.0.0.0/8", "intranet"} }, `AEGIS_EGRESS_ALLOW: "intranet" is not a CIDR`},
		{"egress allow bad mask", func(c *config.Config) { c.EgressAllow = []string{"10.0.0.0/33"} }, "AEGIS_EGRESS_ALLOW"},
		{"trusted proxy not a CIDR", func(c *config.Config) { c.TrustedProxies = []string{"proxy"} }, "AEGIS_TRUSTED_PROXIES"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := config.Default()
			tc.change(&c)
			err := c.Validate()
			if tc.want == "" {
				if err != nil {
					t.Errorf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want an error containing %q", tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %q, want it to contain %q", err, tc.want)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	c := config.Default()
	c.DataDir = ""
	c.Replicas = 2
	c.LogFormat = "xml"

	err := c.Validate()
	if err == nil {
		t.Fatal("Validate() = nil, want three problems")
	}
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("Validate() = %T, want errors joined with errors.Join", err)
	}
	if got := len(joined.Unwrap()); got != 3 {
		t.Errorf("Validate() joined %d errors, want 3: %v", got, err)
	}
	for _, want := range []string{"data dir", "AEGIS_REPLICAS", "AEGIS_LOG_FORMAT"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %q, want it to name %s", err, want)
		}
	}
}

func TestEgressPrefixes(t *testing.T) {
	c := config.Default()
	if got, err := c.EgressPrefixes(); err != nil || len(got) != 0 {
		t.Errorf("EgressPrefixes() by default = %v, %v; want none", got, err)
	}
	c.EgressAllow = []string{"127.0.0.0/8", "10.1.2.3", "10.1.2.3/16", "fd00::1", "::ffff:192.168.0.0/112"}
	got, err := c.EgressPrefixes()
	if err != nil {
		t.Fatalf("EgressPrefixes() error: %v", err)
	}
	want := []netip.Prefix{
		netip.MustParsePrefix("127.0.0.0/8"),
		netip.MustParsePrefix("10.1.2.3/32"), // an address stands for itself
		netip.MustParsePrefix("10.1.0.0/16"), // masked
		netip.MustParsePrefix("fd00::1/128"),
		netip.MustParsePrefix("::ffff:192.168.0.0/112"),
	}
	if !slices.Equal(got, want) {
		t.Errorf("EgressPrefixes() = %v, want %v", got, want)
	}
}

func TestRunRoles(t *testing.T) {
	for _, tc := range []struct {
		name  string
		roles []string
		want  []string
	}{
		{"all", []string{config.RoleAll}, config.Roles},
		{"all among others", []string{config.RoleAdmin, config.RoleAll}, config.Roles},
		{"one", []string{config.RoleAdmin}, []string{config.RoleAdmin}},
		{"start order, not listed order", []string{config.RoleAdmin, config.RoleProjector}, []string{config.RoleProjector, config.RoleAdmin}},
		{"duplicates once", []string{config.RoleAdmin, config.RoleAdmin}, []string{config.RoleAdmin}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := config.Default()
			c.Roles = tc.roles
			got, err := c.RunRoles()
			if err != nil {
				t.Fatalf("RunRoles(%v) error: %v", tc.roles, err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("RunRoles(%v) = %v, want %v", tc.roles, got, tc.want)
			}
		})
	}
}

func TestRunRolesAllIsEveryRoleInStartOrder(t *testing.T) {
	want := []string{config.RoleProjector, config.RoleGateway, config.RoleAdmin}
	if !slices.Equal(config.Roles, want) {
		t.Errorf("Roles = %v, want %v (projections start before the API that reads them)", config.Roles, want)
	}
}

func TestRunRolesRejects(t *testing.T) {
	for _, tc := range []struct {
		name  string
		roles []string
		want  string
	}{
		{"unknown", []string{"billing"}, `unknown role "billing"`},
		{"unknown after a known one", []string{config.RoleAdmin, "billing"}, `unknown role "billing"`},
		{"wrong case", []string{"Admin"}, `unknown role "Admin"`},
		{"none", nil, "no role to run"},
		{"empty list", []string{}, "no role to run"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := config.Default()
			c.Roles = tc.roles
			got, err := c.RunRoles()
			if err == nil {
				t.Fatalf("RunRoles(%v) = %v, nil; want an error", tc.roles, got)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("RunRoles(%v) error = %q, want it to contain %q", tc.roles, err, tc.want)
			}
		})
	}
}

func TestHas(t *testing.T) {
	c := config.Default()
	c.Roles = []string{config.RoleAdmin}
	if !c.Has(config.RoleAdmin) {
		t.Error("Has(admin) = false with roles [admin], want true")
	}
	if c.Has(config.RoleProjector) {
		t.Error("Has(projector) = true with roles [admin], want false")
	}
	c.Roles = []string{config.RoleAll}
	for _, r := range config.Roles {
		if !c.Has(r) {
			t.Errorf("Has(%s) = false with roles [all], want true", r)
		}
	}
	c.Roles = []string{"nonsense"}
	if c.Has(config.RoleAdmin) {
		t.Error("Has(admin) = true with an invalid role list, want false")
	}
}

func TestSplitList(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{" , ,", nil},
		{"a", []string{"a"}},
		{"a,b", []string{"a", "b"}},
		{" a , ,b ,", []string{"a", "b"}},
	} {
		if got := config.SplitList(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("SplitList(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSlogLevel(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want slog.Level
	}{
		{"debug", slog.LevelDebug},
		{"info", slog.LevelInfo},
		{"warn", slog.LevelWarn},
		{"error", slog.LevelError},
	} {
		c := config.Default()
		c.LogLevel = tc.in
		got, err := c.SlogLevel()
		if err != nil || got != tc.want {
			t.Errorf("SlogLevel(%q) = %v, %v; want %v, nil", tc.in, got, err, tc.want)
		}
	}
}

func TestClientNATSURL(t *testing.T) {
	for _, tc := range []struct {
		name     string
		natsURL  string
		natsAddr string
		want     string
	}{
		{"embedded", "", "127.0.0.1:4222", "nats://127.0.0.1:4222"},
		{"embedded on another address", "", "0.0.0.0:5222", "nats://0.0.0.0:5222"},
		{"external", "nats://nats:4222", "127.0.0.1:4222", "nats://nats:4222"},
		{"external cluster", "nats://a:4222,nats://b:4222", "127.0.0.1:4222", "nats://a:4222,nats://b:4222"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := config.Default()
			c.NATSURL, c.NATSAddr = tc.natsURL, tc.natsAddr
			if got := c.ClientNATSURL(); got != tc.want {
				t.Errorf("ClientNATSURL() = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRedactURL(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     string
		want   string
		secret string // must not appear in the result
	}{
		{"default database URL", config.DefaultDatabaseURL,
			"postgresql://aegis_user:xxxxx@localhost:5434/aegis", "aegis_password"},
		{"password with query", "postgres://u:s3cr3t@db:5432/aegis?sslmode=disable",
			"postgres://u:xxxxx@db:5432/aegis?sslmode=disable", "s3cr3t"},
		{"no password", "postgres://u@db:5432/aegis", "postgres://u@db:5432/aegis", ""},
		{"no user", "nats://nats:4222", "nats://nats:4222", ""},
		{"unparsable", "postgres://u:s3cr3t@db:port/aegis", "(unparsable URL)", "s3cr3t"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := config.RedactURL(tc.in)
			if got != tc.want {
				t.Errorf("RedactURL(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if tc.secret != "" && strings.Contains(got, tc.secret) {
				t.Errorf("RedactURL(%q) = %q shows the password", tc.in, got)
			}
		})
	}
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{"0": 0, "1048576": 1 << 20, "10MiB": 10 << 20, "512 KiB": 512 << 10, "2GiB": 2 << 30} {
		if got, err := config.ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "ten", "-1", "10MB", "1.5MiB", "99999999999GiB"} {
		if _, err := config.ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) succeeded, want an error", in)
		}
	}
	if _, err := config.FromEnv(func(name string) string {
		if name == "AEGIS_GATEWAY_MAX_REQUEST_BODY" {
			return "0"
		}
		return ""
	}); err == nil || !strings.Contains(err.Error(), "AEGIS_GATEWAY_MAX_REQUEST_BODY") {
		t.Errorf("a request body limit of 0: err %v, want one naming AEGIS_GATEWAY_MAX_REQUEST_BODY", err)
	}
}
