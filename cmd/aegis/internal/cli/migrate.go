package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/platform"
)

func (e *env) migrateCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply the read-model database migrations",
		Long: `Apply every pending migration to DATABASE_URL. 'aegis server' does this at
start too; run it alone before starting several servers at once.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			pool, err := platform.ConnectDB(cmd.Context(), e.cfg.DatabaseURL)
			if err != nil {
				return err
			}
			pool.Close()
			v, err := platform.Migrate(cmd.Context(), e.cfg.DatabaseURL)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "database at migration %d\n", v)
			return nil
		},
	}
}
