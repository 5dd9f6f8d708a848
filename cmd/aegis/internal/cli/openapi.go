package cli

import (
	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/commands/api"
)

func (e *env) openapiCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "openapi",
		Short: "Print the admin API's OpenAPI 3.1 document (docs/openapi.json)",
		Long: "Print the admin API's OpenAPI 3.1 document as JSON, as the server serves it at /api/v1/openapi.json,\n" +
			"without connecting to anything. docs/openapi.json is its output; the dashboard's typed client is generated from it.",
		Args: args(cobra.NoArgs),
		RunE: func(*cobra.Command, []string) error {
			doc, err := api.OpenAPI()
			if err != nil {
				return err
			}
			_, err = e.stdout.Write(doc)
			return err
		},
	}
}
