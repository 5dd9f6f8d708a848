package cli

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/commands/api"
)

func (e *env) auditCommand() *cobra.Command {
	var typ, cursor string
	var limit int
	cmd := &cobra.Command{
		Use:   "audit",
		Short: "Show your audit log, newest first",
		Long: `Show your company's audit log: every change, newest first, with who made
it. One page at a time: when there are more, stderr says how to get the
next page; with -o json the page's next_cursor does.`,
		Example: `  aegis audit --type apikey.created --limit 20
  aegis audit --cursor 1234`,
		Args:              args(cobra.NoArgs),
		PersistentPreRunE: noServerConfig,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			if limit < 1 || limit > 200 {
				return usageError{fmt.Errorf("--limit must be from 1 to 200, not %d", limit)}
			}
			c, err := e.apiClient()
			if err != nil {
				return err
			}
			q := url.Values{"limit": {strconv.Itoa(limit)}}
			if typ != "" {
				q.Set("type", typ)
			}
			if cursor != "" {
				q.Set("cursor", cursor)
			}
			var page api.AuditOutput
			if err := c.get(cmd.Context(), "/api/v1/audit", q, &page.Body); err != nil {
				return err
			}
			if e.output == "json" {
				return writeJSON(e.stdout, page.Body)
			}
			rows := make([][]string, len(page.Body.Events))
			for i, ev := range page.Body.Events {
				actor := ev.Actor.Kind
				if ev.Actor.ID != "" {
					actor += ":" + ev.Actor.ID
				}
				rows[i] = []string{strconv.FormatUint(ev.Revision, 10), ev.OccurredAt.UTC().Format(timeFormat),
					ev.Type, ev.Aggregate + "/" + ev.AggregateID, actor}
			}
			if err := writeTable(e.stdout, []string{"REVISION", "OCCURRED", "TYPE", "AGGREGATE", "ACTOR"}, rows); err != nil {
				return err
			}
			if page.Body.NextCursor != "" {
				fmt.Fprintf(e.stderr, "aegis: more events: add --cursor %s for the next page\n", page.Body.NextCursor)
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&typ, "type", "", "only events of this type, such as apikey.created")
	f.IntVar(&limit, "limit", 50, "at most this many events (1 to 200)")
	f.StringVar(&cursor, "cursor", "", "continue after the previous page (its next cursor)")
	e.addOutputFlag(cmd)
	return cmd
}
