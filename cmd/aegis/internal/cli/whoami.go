package cli

import (
	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/commands/readmodel"
)

func (e *env) whoamiCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:               "whoami",
		Short:             "Show whose credentials the commands use",
		Long:              `Show the member and the company the personal access token in use belongs to.`,
		Args:              args(cobra.NoArgs),
		PersistentPreRunE: noServerConfig,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			c, err := e.apiClient()
			if err != nil {
				return err
			}
			var me readmodel.Profile
			if err := c.get(cmd.Context(), "/api/v1/me", nil, &me); err != nil {
				return err
			}
			if e.output == "json" {
				return writeJSON(e.stdout, me)
			}
			return writeFields(e.stdout, []field{
				{"email", me.Email},
				{"role", me.Role},
				{"company", me.CompanyName},
				{"customer", me.CustomerID},
				{"member", me.MemberID},
				{"status", me.Status},
				{"admin API", c.base},
			})
		},
	}
	e.addOutputFlag(cmd)
	return cmd
}
