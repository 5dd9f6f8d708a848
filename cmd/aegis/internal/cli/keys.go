package cli

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/commands/api"
	"github.com/aegis-oss/aegis/schema"
)

// environments are the environments an API key is for.
var environments = []string{"production", "staging", "development"}

func (e *env) keysCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:               "keys",
		Short:             "Manage the API keys your customers call your apps with",
		PersistentPreRunE: noServerConfig,
	}
	cmd.AddCommand(e.keysCreateCommand(), e.keysListCommand(), e.keysRotateCommand(), e.keysRevokeCommand())
	return cmd
}

func (e *env) keysCreateCommand() *cobra.Command {
	var in api.CreateKeyInput
	var expires, rate, key string
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Create an API key, shown this once",
		Long: `Create an API key for an app. The key is printed once, on stdout alone
(or in the JSON with -o json): Aegis keeps only its hash and cannot show it
again.`,
		Example: `  aegis keys create --app 0193e0c4-... --env production --name web --scope orders:read
  aegis keys create --app 0193e0c4-... --env staging --name ci --tenant t-42 --rate 100/60 \
    --expires 2030-01-01T00:00:00Z`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			if err := required(cmd, "app", "env", "name"); err != nil {
				return err
			}
			b := &in.Body
			if !slices.Contains(environments, b.Environment) {
				return usageError{fmt.Errorf("--env must be %s, not %q", strings.Join(environments, ", "), b.Environment)}
			}
			if expires != "" {
				t, err := time.Parse(time.RFC3339, expires)
				if err != nil {
					return usageError{fmt.Errorf("--expires %q is not a time such as 2030-01-31T00:00:00Z", expires)}
				}
				b.ExpiresAt = &t
			}
			if rate != "" {
				rl, err := parseRate(rate)
				if err != nil {
					return err
				}
				b.RateLimit = &rl
			}
			c, err := e.apiClient()
			if err != nil {
				return err
			}
			var created commands.CreatedKey
			path := "/api/v1/apps/" + url.PathEscape(in.AppID) + "/api-keys"
			if err := c.do(cmd.Context(), request{method: http.MethodPost, path: path, body: in.Body, idempotencyKey: key}, &created); err != nil {
				return err
			}
			e.settle(cmd.Context(), c)
			return e.writeKeyOnce(created, fmt.Sprintf("API key %s created", created.KeyID))
		},
	}
	f := cmd.Flags()
	f.StringVar(&in.AppID, "app", "", "the app's id")
	f.StringVar(&in.Body.Environment, "env", "", "production, staging or development")
	f.StringVar(&in.Body.Name, "name", "", "what the key is for")
	f.StringSliceVar(&in.Body.Scopes, "scope", nil, "a scope the key grants (repeat or comma-separate)")
	f.StringVar(&in.Body.TenantID, "tenant", "", "bind the key to one of your tenants")
	f.StringVar(&expires, "expires", "", "when the key stops working, as RFC 3339 (2030-01-31T00:00:00Z)")
	f.StringVar(&rate, "rate", "", "the key's own rate limit: requests/period, the period in seconds or as 1m (100/60)")
	addIdempotencyFlag(cmd, &key)
	e.addOutputFlag(cmd)
	return cmd
}

// writeKeyOnce prints a new key: alone on stdout (so that scripts can
// capture it), or in its JSON, with a warning on stderr that it will not
// be shown again.
func (e *env) writeKeyOnce(k commands.CreatedKey, what string) error {
	var err error
	if e.output == "json" {
		err = writeJSON(e.stdout, k)
	} else {
		_, err = fmt.Fprintln(e.stdout, k.Key)
	}
	fmt.Fprintf(e.stderr, "aegis: %s. Copy the key now: it will not be shown again.\n", what)
	return err
}

// parseRate parses N/PERIOD, PERIOD in seconds (60 or 60s) or as a
// duration (1m). It returns a usage error if it does not parse.
func parseRate(s string) (schema.RateLimit, error) {
	bad := usageError{fmt.Errorf("--rate %q is not requests/period, such as 100/60 (100 requests a minute)", s)}
	n, period, ok := strings.Cut(s, "/")
	requests, err := strconv.Atoi(n)
	if !ok || err != nil || requests < 1 {
		return schema.RateLimit{}, bad
	}
	seconds, err := strconv.Atoi(period)
	if err != nil {
		d, derr := time.ParseDuration(period)
		if derr != nil || d%time.Second != 0 {
			return schema.RateLimit{}, bad
		}
		seconds = int(d / time.Second)
	}
	if seconds < 1 {
		return schema.RateLimit{}, bad
	}
	return schema.RateLimit{Requests: requests, PeriodSeconds: seconds}, nil
}

func (e *env) keysListCommand() *cobra.Command {
	var app, environment string
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List API keys, masked, newest first",
		Long:  `List API keys: never the keys themselves, only their prefix and last 4 characters.`,
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			if environment != "" && !slices.Contains(environments, environment) {
				return usageError{fmt.Errorf("--env must be %s, not %q", strings.Join(environments, ", "), environment)}
			}
			c, err := e.apiClient()
			if err != nil {
				return err
			}
			q := url.Values{}
			if app != "" {
				q.Set("app_id", app)
			}
			if environment != "" {
				q.Set("environment", environment)
			}
			var out api.KeysOutput
			if err := c.get(cmd.Context(), "/api/v1/api-keys", q, &out.Body); err != nil {
				return err
			}
			if e.output == "json" {
				return writeJSON(e.stdout, out.Body.Keys)
			}
			rows := make([][]string, len(out.Body.Keys))
			for i, k := range out.Body.Keys {
				rows[i] = []string{k.KeyID, k.AppID, k.Environment, k.Name, k.Masked, k.Status, formatTime(&k.CreatedAt)}
			}
			return writeTable(e.stdout, []string{"ID", "APP", "ENV", "NAME", "KEY", "STATUS", "CREATED"}, rows)
		},
	}
	f := cmd.Flags()
	f.StringVar(&app, "app", "", "only this app's keys")
	f.StringVar(&environment, "env", "", "only keys for this environment")
	e.addOutputFlag(cmd)
	return cmd
}

func (e *env) keysRotateCommand() *cobra.Command {
	var grace time.Duration
	cmd := &cobra.Command{
		Use:   "rotate ID",
		Short: "Give an API key a new secret, shown this once",
		Long: `Rotate an API key: it gets a new secret, printed once like a new key's.
The old secret keeps working for --grace (by default it stops at once).`,
		Example: `  aegis keys rotate 0193e0c4-... --grace 24h`,
		Args:    args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			if grace < 0 || grace%time.Second != 0 {
				return usageError{errors.New("--grace must be a whole number of seconds, such as 30s or 24h")}
			}
			c, err := e.apiClient()
			if err != nil {
				return err
			}
			var in api.RotateKeyInput
			in.Body.GraceSeconds = int(grace / time.Second)
			var rotated commands.CreatedKey
			path := "/api/v1/api-keys/" + url.PathEscape(a[0]) + "/rotate"
			if err := c.do(cmd.Context(), request{method: http.MethodPost, path: path, body: in.Body}, &rotated); err != nil {
				return err
			}
			e.settle(cmd.Context(), c)
			what := fmt.Sprintf("API key %s rotated; the old secret has stopped working", rotated.KeyID)
			if grace > 0 {
				what = fmt.Sprintf("API key %s rotated; the old secret works for %s more", rotated.KeyID, grace)
			}
			return e.writeKeyOnce(rotated, what)
		},
	}
	cmd.Flags().DurationVar(&grace, "grace", 0, "how long the old secret keeps working, such as 24h")
	e.addOutputFlag(cmd)
	return cmd
}

func (e *env) keysRevokeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke an API key: it stops working at once",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			c, err := e.apiClient()
			if err != nil {
				return err
			}
			var res commands.Result
			if err := c.do(cmd.Context(), request{method: http.MethodDelete, path: "/api/v1/api-keys/" + url.PathEscape(a[0])}, &res); err != nil {
				return err
			}
			e.settle(cmd.Context(), c)
			if e.output == "json" {
				return writeJSON(e.stdout, res)
			}
			fmt.Fprintf(e.stdout, "Revoked API key %s.\n", a[0])
			return nil
		},
	}
	e.addOutputFlag(cmd)
	return cmd
}
