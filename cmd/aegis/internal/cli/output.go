package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
)

// addOutputFlag adds -o/--output to cmd.
func (e *env) addOutputFlag(cmd *cobra.Command) {
	cmd.Flags().StringVarP(&e.output, "output", "o", "table", "output format: table or json")
}

// checkOutput returns a usage error for an unknown output format.
func (e *env) checkOutput() error {
	if e.output != "table" && e.output != "json" {
		return usageError{fmt.Errorf("--output must be table or json, not %q", e.output)}
	}
	return nil
}

// writeJSON writes v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeTable writes a header and rows aligned in columns.
func writeTable(w io.Writer, header []string, rows [][]string) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(header, "\t"))
	for _, r := range rows {
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}
