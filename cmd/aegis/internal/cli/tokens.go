package cli

import (
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/commands/api"
	"github.com/aegis-oss/aegis/commands/readmodel"
)

func (e *env) tokensCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "tokens",
		Short: "Manage your personal access tokens",
		Long: `Manage your personal access tokens, the credentials of the command line
and of scripts. 'aegis login' creates one; the dashboard creates others.`,
		PersistentPreRunE: noServerConfig,
	}
	cmd.AddCommand(e.tokensListCommand(), e.tokensRevokeCommand())
	return cmd
}

func (e *env) tokensListCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List your personal access tokens, newest first",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			c, err := e.apiClient()
			if err != nil {
				return err
			}
			var out api.ListTokensOutput
			if err := c.get(cmd.Context(), "/api/v1/tokens", nil, &out.Body); err != nil {
				return err
			}
			if e.output == "json" {
				return writeJSON(e.stdout, out.Body.Tokens)
			}
			now := time.Now()
			rows := make([][]string, len(out.Body.Tokens))
			for i, t := range out.Body.Tokens {
				rows[i] = []string{t.TokenID, t.Name, t.Prefix + "...", tokenStatus(t, now),
					formatTime(&t.CreatedAt), formatTime(t.ExpiresAt)}
			}
			return writeTable(e.stdout, []string{"ID", "NAME", "TOKEN", "STATUS", "CREATED", "EXPIRES"}, rows)
		},
	}
	e.addOutputFlag(cmd)
	return cmd
}

// tokenStatus returns active, expired or revoked.
func tokenStatus(t readmodel.Token, now time.Time) string {
	switch {
	case t.RevokedAt != nil:
		return "revoked"
	case t.ExpiresAt != nil && !t.ExpiresAt.After(now):
		return "expired"
	}
	return "active"
}

func (e *env) tokensRevokeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "revoke ID",
		Short: "Revoke a personal access token: it stops working at once",
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
			if err := c.do(cmd.Context(), request{method: http.MethodDelete, path: "/api/v1/tokens/" + url.PathEscape(a[0])}, &res); err != nil {
				return err
			}
			e.settle(cmd.Context(), c)
			if creds, ok, _ := e.loadCredentials(); ok && creds.TokenID == a[0] && e.getenv("AEGIS_TOKEN") == "" {
				e.warn("that was this command line's own token: run 'aegis login' again")
			}
			if e.output == "json" {
				return writeJSON(e.stdout, res)
			}
			fmt.Fprintf(e.stdout, "Revoked token %s.\n", a[0])
			return nil
		},
	}
	e.addOutputFlag(cmd)
	return cmd
}
