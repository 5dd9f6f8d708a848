package cli

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/projector"
	"github.com/aegis-oss/aegis/schema"
)

func (e *env) projectorCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "projector",
		Short: "Inspect and rebuild the read models",
	}
	cmd.AddCommand(e.projectorStatusCommand(), e.projectorRebuildCommand())
	return cmd
}

func (e *env) projectorStatusCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show each projection's checkpoint and lag",
		Long: `Show, for each projection, the last revision it applied (its checkpoint),
the newest revision in the event log, and the lag between them.`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			nc, l, pool, err := e.connectAll(cmd.Context())
			if err != nil {
				return err
			}
			defer nc.Close()
			defer pool.Close()
			statuses, err := projector.Statuses(cmd.Context(), l, pool)
			if err != nil {
				return fmt.Errorf("projector status: %w", err)
			}
			if e.output == "json" {
				return writeJSON(e.stdout, statuses)
			}
			rows := make([][]string, len(statuses))
			for i, s := range statuses {
				updated := "never"
				if !s.UpdatedAt.IsZero() {
					updated = s.UpdatedAt.UTC().Format(time.RFC3339)
				}
				rows[i] = []string{s.Name, strconv.FormatUint(s.Checkpoint, 10), strconv.FormatUint(s.Last, 10),
					strconv.FormatUint(s.Lag, 10), updated}
			}
			return writeTable(e.stdout, []string{"PROJECTION", "CHECKPOINT", "LAST", "LAG", "UPDATED"}, rows)
		},
	}
	e.addOutputFlag(cmd)
	return cmd
}

func (e *env) projectorRebuildCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "rebuild NAME",
		Short: "Replay a projection from revision 1 and swap its tables in",
		Long: `Replay the projection NAME from the first event into fresh tables while the
live ones keep serving, then swap the rebuilt rows in at once. A running
server's projector pauses for the swap and carries on from there.`,
		Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			p, ok := projector.ByName(a[0])
			if !ok {
				var names []string
				for _, p := range projector.All() {
					names = append(names, p.Name())
				}
				return schema.Errorf(schema.CodeNotFound, "no projection %q (projections: %s)", a[0], strings.Join(names, ", "))
			}
			nc, l, pool, err := e.connectAll(cmd.Context())
			if err != nil {
				return err
			}
			defer nc.Close()
			defer pool.Close()
			res, err := projector.Rebuild(cmd.Context(), l, pool, p, projector.WithKV(projector.NewKV(l.JetStream())))
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "rebuilt %s at revision %d: %d events applied in %s, tables swapped in %s\n",
				p.Name(), res.Revision, res.Applied, res.Replay.Round(time.Millisecond), res.Swap.Round(time.Millisecond))
			return nil
		},
	}
}
