package commands_test

import (
	"context"
	"net/netip"
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
	"github.com/aegis-oss/aegis/schema/testkit"
)

// newService returns a service on a fresh event log.
func newService(t *testing.T, opts commands.Options) *commands.Service {
	t.Helper()
	l, err := eventlog.Open(context.Background(), testkit.Connect(t, testkit.NewNATS(t)))
	if err != nil {
		t.Fatal(err)
	}
	return commands.New(l, nil, commands.Keys{Master: make([]byte, 32)}, opts)
}

// jwksApp is an app whose JWT keys come from jwksURL.
func jwksApp(slug, jwksURL string) commands.AppInput {
	return commands.AppInput{AppConfig: schema.AppConfig{
		Name: "Shop", Slug: slug, Hostnames: []string{slug + ".acme.example"},
		Upstreams: []schema.Upstream{{URL: "http://127.0.0.1:4000"}},
		AuthMode:  schema.AuthJWT,
		JWT:       &schema.JWTConfig{Algorithms: []string{"RS256"}, JWKSURL: jwksURL},
	}}
}

func TestAppJWKSURLMustNotBeInternal(t *testing.T) {
	ctx := context.Background()
	byDefault := newService(t, commands.Options{})
	allowing := newService(t, commands.Options{EgressAllow: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}})
	m := commands.Meta{Actor: schema.Actor{Kind: schema.ActorCLI, ID: "test"}}
	customer := schema.NewID()

	for i, tc := range []struct {
		name string
		svc  *commands.Service
		url  string
		want string // part of the invalid error; "" means created
	}{
		{"public", byDefault, "https://idp.example.com/.well-known/jwks.json", ""},
		{"loopback", byDefault, "http://127.0.0.1:8080/jwks", "jwt.jwks_url must not point at an internal address: the host 127.0.0.1 is a loopback address"},
		{"metadata", byDefault, "http://169.254.169.254/latest/meta-data/", "jwt.jwks_url must not point at an internal address: the host 169.254.169.254 is a link-local address"},
		{"mapped private", byDefault, "http://[::ffff:10.0.0.1]/jwks", "private address"},
		{"localhost", byDefault, "http://localhost:8080/jwks", "loopback name"},
		{"decimal", byDefault, "http://2130706433/jwks", "non-standard form"},
		{".internal", byDefault, "http://metadata.google.internal/", ".internal"},
		{"not http", byDefault, "ftp://idp.example.com/jwks", "jwt.jwks_url: the URL's scheme must be http or https"},
		{"user info", byDefault, "https://u:hunter2@idp.example.com/jwks", "jwt.jwks_url: the URL must not hold a user name or password"},
		{"loopback allowed", allowing, "http://127.0.0.1:8080/jwks", ""},
		{"localhost allowed", allowing, "http://localhost:8080/jwks", ""},
		{"metadata with loopback allowed", allowing, "http://169.254.169.254/", "link-local"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.svc.CreateApp(ctx, customer, jwksApp("app-"+string(rune('a'+i)), tc.url), m)
			if tc.want == "" {
				if err != nil {
					t.Fatalf("CreateApp with jwks_url %s: %v", tc.url, err)
				}
				return
			}
			if schema.ErrorCode(err) != schema.CodeInvalid || !strings.Contains(schema.ErrorMessage(err), tc.want) {
				t.Fatalf("CreateApp with jwks_url %s: %v, want invalid with %q", tc.url, err, tc.want)
			}
			if strings.Contains(schema.ErrorMessage(err), "hunter2") {
				t.Errorf("the message %q shows the URL's password", schema.ErrorMessage(err))
			}
		})
	}

	// An update is checked as a creation is.
	res, err := byDefault.CreateApp(ctx, customer, jwksApp("upd", "https://idp.example.com/jwks"), m)
	if err != nil {
		t.Fatal(err)
	}
	_, err = byDefault.UpdateApp(ctx, customer, res.AppID, 0, jwksApp("upd", "http://10.1.2.3/jwks"), m)
	if schema.ErrorCode(err) != schema.CodeInvalid || !strings.Contains(schema.ErrorMessage(err), "jwt.jwks_url must not point at an internal address") {
		t.Errorf("UpdateApp to a private jwks_url: %v, want invalid", err)
	}
}
