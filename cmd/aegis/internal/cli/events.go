package cli

import (
	"encoding/json"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
)

func (e *env) eventsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "events",
		Short: "Read the event log, the raw audit log of every change",
	}
	cmd.AddCommand(e.eventsTailCommand())
	return cmd
}

// timeFormat prints event times to the millisecond, in fixed width.
const timeFormat = "2006-01-02T15:04:05.000Z"

// tailedEvent is how one event is printed as JSON: the envelope with its
// revision.
type tailedEvent struct {
	Revision uint64 `json:"revision"`
	schema.Event
}

func (e *env) eventsTailCommand() *cobra.Command {
	var opts eventlog.TailOptions
	cmd := &cobra.Command{
		Use:   "tail",
		Short: "Print events in revision order",
		Long: `Print the events of the log in revision order, oldest first, one per line:
as columns, or with -o json as one JSON object per line (the envelope and its
revision). With --follow, keep printing new events until interrupted.`,
		Example: `  aegis events tail --customer 0193e0c4-... --type app.created
  aegis events tail --follow -o json`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGTERM, syscall.SIGINT)
			defer stop()
			nc, l, err := e.attachLog(ctx)
			if err != nil {
				return err
			}
			defer nc.Close()
			enc := json.NewEncoder(e.stdout)
			if e.output == "table" {
				fmt.Fprintf(e.stdout, "%-8s  %-24s  %-36s  %-24s  %-48s  %s\n", "REVISION", "OCCURRED", "CUSTOMER", "TYPE", "AGGREGATE", "ACTOR")
			}
			return l.Tail(ctx, opts, func(ev schema.Event) error {
				if e.output == "json" {
					return enc.Encode(tailedEvent{Revision: ev.Revision, Event: ev})
				}
				actor := ev.Actor.Kind
				if ev.Actor.ID != "" {
					actor += ":" + ev.Actor.ID
				}
				_, err := fmt.Fprintf(e.stdout, "%-8d  %-24s  %-36s  %-24s  %-48s  %s\n", ev.Revision,
					ev.OccurredAt.UTC().Format(timeFormat),
					ev.Customer, ev.Type, ev.Aggregate+"/"+ev.AggregateID, actor)
				return err
			})
		},
	}
	f := cmd.Flags()
	f.BoolVarP(&opts.Follow, "follow", "f", false, "keep printing new events")
	f.StringVar(&opts.Customer, "customer", "", "only this customer's events (or 'platform')")
	f.StringSliceVar(&opts.Types, "type", nil, "only events of this type (repeat or comma-separate)")
	f.Uint64Var(&opts.From, "from", 0, "start at this revision")
	e.addOutputFlag(cmd)
	return cmd
}
