package cli

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/commands/api"
	"github.com/aegis-oss/aegis/commands/readmodel"
	"github.com/aegis-oss/aegis/schema"
)

func (e *env) appsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:               "apps",
		Short:             "Manage the apps (your APIs) behind the gateway",
		PersistentPreRunE: noServerConfig,
	}
	cmd.AddCommand(e.appsListCommand(), e.appsGetCommand(), e.appsCreateCommand(), e.appsDeleteCommand())
	return cmd
}

func (e *env) appsListCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List your apps, newest first",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			c, err := e.apiClient()
			if err != nil {
				return err
			}
			var out api.AppsOutput
			if err := c.get(cmd.Context(), "/api/v1/apps", nil, &out.Body); err != nil {
				return err
			}
			if e.output == "json" {
				return writeJSON(e.stdout, out.Body.Apps)
			}
			rows := make([][]string, len(out.Body.Apps))
			for i, a := range out.Body.Apps {
				rows[i] = []string{a.AppID, a.Config.Slug, a.Config.Name, strings.Join(a.Config.Hostnames, ","),
					a.Config.AuthMode, a.Config.Status, formatTime(&a.CreatedAt)}
			}
			return writeTable(e.stdout, []string{"ID", "SLUG", "NAME", "HOSTS", "AUTH", "STATUS", "CREATED"}, rows)
		},
	}
	e.addOutputFlag(cmd)
	return cmd
}

func (e *env) appsGetCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "get ID",
		Short: "Show an app's configuration",
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			c, err := e.apiClient()
			if err != nil {
				return err
			}
			var app readmodel.App
			if err := c.get(cmd.Context(), "/api/v1/apps/"+url.PathEscape(a[0]), nil, &app); err != nil {
				return err
			}
			return e.writeApp(app)
		},
	}
	e.addOutputFlag(cmd)
	return cmd
}

// writeApp prints one app, as JSON or as fields.
func (e *env) writeApp(a readmodel.App) error {
	if e.output == "json" {
		return writeJSON(e.stdout, a)
	}
	cfg := a.Config
	upstreams := make([]string, len(cfg.Upstreams))
	for i, u := range cfg.Upstreams {
		upstreams[i] = u.URL + "=" + strconv.Itoa(u.Weight)
	}
	fields := []field{
		{"id", a.AppID},
		{"name", cfg.Name},
		{"slug", cfg.Slug},
		{"status", cfg.Status},
		{"hosts", strings.Join(cfg.Hostnames, ", ")},
		{"path prefixes", strings.Join(cfg.PathPrefixes, ", ")},
		{"upstreams", strings.Join(upstreams, ", ")},
		{"timeouts", fmt.Sprintf("connect %dms, read %dms, write %dms", cfg.Timeouts.ConnectMS, cfg.Timeouts.ReadMS, cfg.Timeouts.WriteMS)},
		{"auth mode", cfg.AuthMode},
	}
	if cfg.AuthorizeURL != "" {
		fields = append(fields, field{"authorize URL", cfg.AuthorizeURL})
	}
	fields = append(fields,
		field{"revision", strconv.FormatUint(a.Revision, 10)},
		field{"created", formatTime(&a.CreatedAt)},
		field{"updated", formatTime(&a.UpdatedAt)},
	)
	return writeFields(e.stdout, fields)
}

func (e *env) appsCreateCommand() *cobra.Command {
	var body api.AppBody
	var upstreams []string
	var key string
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Register one of your APIs behind the gateway",
		Long: `Create an app: the gateway routes requests for its hosts and path prefixes
to its upstreams. The slug, and each host and path prefix pair, are unique
across the platform. Prints the app as stored, with its defaults.`,
		Example: `  aegis apps create --name "Shop API" --slug shop --host api.acme.example \
    --prefix /v1 --upstream http://10.0.0.5:8080=3 --upstream http://10.0.0.6:8080`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			if err := required(cmd, "name", "slug", "host", "upstream"); err != nil {
				return err
			}
			for _, s := range upstreams {
				u, err := parseUpstream(s)
				if err != nil {
					return err
				}
				body.Upstreams = append(body.Upstreams, u)
			}
			c, err := e.apiClient()
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			var res commands.AppResult
			if err := c.do(ctx, request{method: http.MethodPost, path: "/api/v1/apps", body: body, idempotencyKey: key}, &res); err != nil {
				return err
			}
			// Read it back, which also waits until the app is visible.
			var app readmodel.App
			if err := c.get(ctx, "/api/v1/apps/"+url.PathEscape(res.AppID), nil, &app); err != nil {
				return fmt.Errorf("app %s created, but reading it back failed: %w", res.AppID, err)
			}
			return e.writeApp(app)
		},
	}
	f := cmd.Flags()
	f.StringVar(&body.Name, "name", "", "the app's name")
	f.StringVar(&body.Slug, "slug", "", "a short unique name: lowercase letters, digits and -")
	f.StringArrayVar(&body.Hostnames, "host", nil, "a hostname the gateway routes to the app; *.example.com matches subdomains (repeatable)")
	f.StringArrayVar(&body.PathPrefixes, "prefix", nil, "a path prefix the app serves, such as /v1; default / (repeatable)")
	f.StringArrayVar(&upstreams, "upstream", nil, "an upstream URL, with an optional weight: http://10.0.0.5:8080=3 (repeatable)")
	f.StringVar(&body.AuthMode, "auth-mode", "", "api_key, jwt or both; default api_key")
	addIdempotencyFlag(cmd, &key)
	e.addOutputFlag(cmd)
	return cmd
}

// parseUpstream parses URL[=weight]: the weight is what follows the last
// = when that is a number. It returns a usage error for a weight below 1.
func parseUpstream(s string) (schema.Upstream, error) {
	u := schema.Upstream{URL: s}
	i := strings.LastIndexByte(s, '=')
	if i < 0 {
		return u, nil
	}
	w, err := strconv.Atoi(s[i+1:])
	if err != nil || strings.ContainsAny(s[i+1:], "+-") {
		return u, nil // not a weight: part of the URL, which the API checks
	}
	if w < 1 {
		return u, usageError{fmt.Errorf("--upstream %q: the weight after = must be at least 1", s)}
	}
	u.URL, u.Weight = s[:i], w
	return u, nil
}

func (e *env) appsDeleteCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "delete ID",
		Short: "Delete an app",
		Long:  `Delete an app: its slug and routes are freed, and its API keys stop working.`,
		Args:  args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			c, err := e.apiClient()
			if err != nil {
				return err
			}
			var res commands.AppResult
			if err := c.do(cmd.Context(), request{method: http.MethodDelete, path: "/api/v1/apps/" + url.PathEscape(a[0])}, &res); err != nil {
				return err
			}
			e.settle(cmd.Context(), c)
			if e.output == "json" {
				return writeJSON(e.stdout, res)
			}
			fmt.Fprintf(e.stdout, "Deleted app %s.\n", a[0])
			return nil
		},
	}
	e.addOutputFlag(cmd)
	return cmd
}

// required returns a usage error naming the flags of cmd, among names,
// that are not set.
func required(cmd *cobra.Command, names ...string) error {
	var missing []string
	for _, n := range names {
		if !cmd.Flags().Changed(n) {
			missing = append(missing, "--"+n)
		}
	}
	if len(missing) > 0 {
		return usageError{fmt.Errorf("missing %s", strings.Join(missing, ", "))}
	}
	return nil
}
