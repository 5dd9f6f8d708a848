package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/schema"
)

// cacheCommand acts on what the gateway nodes hold in memory: their view of
// the KV buckets and the JWKS they fetched.
func (e *env) cacheCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "cache",
		Short: "Inspect and refresh what the gateway nodes hold in memory",
	}
	health := &cobra.Command{
		Use:   "health",
		Short: "Show every gateway node's view: revision, lag, staleness (as 'aegis gateway health')",
		Args:  args(cobra.NoArgs),
		RunE:  e.gatewayHealth,
	}
	e.addOutputFlag(health)
	send := func(use, short, control string) *cobra.Command {
		return &cobra.Command{
			Use: use, Short: short, Args: args(cobra.NoArgs),
			RunE: func(cmd *cobra.Command, _ []string) error {
				nc, _, err := e.attachLog(cmd.Context())
				if err != nil {
					return err
				}
				defer nc.Close()
				if err := nc.Publish(schema.SubjectGatewayControl, []byte(control)); err != nil {
					return err
				}
				if err := nc.Flush(); err != nil {
					return err
				}
				fmt.Fprintf(e.stdout, "asked every gateway node to %s\n", control)
				return nil
			},
		}
	}
	cmd.AddCommand(health,
		send("warm", "Make every gateway node load every KV bucket again", schema.ControlResync),
		send("invalidate", "Make every gateway node forget its fetched JWKS and verified JWTs, and load KV again", schema.ControlInvalidate))
	return cmd
}
