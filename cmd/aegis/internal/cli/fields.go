package cli

import (
	"fmt"
	"io"
	"text/tabwriter"
	"time"
)

// field is one line of a single object's table output.
type field struct{ name, value string }

// writeFields writes one object as aligned "name: value" lines, the table
// output of commands that show one thing.
func writeFields(w io.Writer, fields []field) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, f := range fields {
		fmt.Fprintf(tw, "%s:\t%s\n", f.name, f.value)
	}
	return tw.Flush()
}

// formatTime prints a time in tables: UTC to the second, "-" if unset.
func formatTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}
