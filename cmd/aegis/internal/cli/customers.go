package cli

import (
	"context"
	"fmt"
	"os"
	"os/user"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/commands/readmodel"
	"github.com/aegis-oss/aegis/schema"
)

// customersCommand is the platform operator's view of every customer. It
// runs on the platform itself, with DATABASE_URL and NATS, not through the
// admin API, whose every caller belongs to one customer.
func (e *env) customersCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "customers",
		Short: "List, inspect, suspend and reactivate customers (platform operators)",
		Long: `Operate on every customer of the platform. These commands reach PostgreSQL and
NATS directly (DATABASE_URL, NATS_URL), like 'aegis projector', so they are for
the people who run the platform, not for its customers.`,
	}
	cmd.AddCommand(e.customersListCommand(), e.customersGetCommand(), e.customersSuspendCommand(true), e.customersSuspendCommand(false))
	return cmd
}

func (e *env) customersListCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use: "list", Short: "List every customer, newest first", Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			nc, _, pool, err := e.connectAll(cmd.Context())
			if err != nil {
				return err
			}
			defer nc.Close()
			defer pool.Close()
			list, err := readmodel.New(pool).Customers(cmd.Context())
			if err != nil {
				return err
			}
			if e.output == "json" {
				return writeJSON(e.stdout, list)
			}
			rows := make([][]string, len(list))
			for i, c := range list {
				rows[i] = []string{c.CustomerID, c.CompanyName, c.Status, c.OwnerEmail, strconv.Itoa(c.Members), strconv.Itoa(c.Apps), formatTime(&c.CreatedAt)}
			}
			return writeTable(e.stdout, []string{"CUSTOMER", "COMPANY", "STATUS", "OWNER", "MEMBERS", "APPS", "CREATED"}, rows)
		},
	}
	e.addOutputFlag(cmd)
	return cmd
}

func (e *env) customersGetCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use: "get ID", Short: "Show one customer", Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			if err := e.checkOutput(); err != nil {
				return err
			}
			nc, _, pool, err := e.connectAll(cmd.Context())
			if err != nil {
				return err
			}
			defer nc.Close()
			defer pool.Close()
			c, err := readmodel.New(pool).CustomerByID(cmd.Context(), a[0])
			if err != nil {
				return err
			}
			if e.output == "json" {
				return writeJSON(e.stdout, c)
			}
			return writeFields(e.stdout, []field{
				{"customer", c.CustomerID}, {"company", c.CompanyName}, {"status", c.Status},
				{"suspended because", c.SuspendedReason}, {"owner", c.OwnerEmail},
				{"members", strconv.Itoa(c.Members)}, {"apps", strconv.Itoa(c.Apps)}, {"created", formatTime(&c.CreatedAt)},
			})
		},
	}
	e.addOutputFlag(cmd)
	return cmd
}

func (e *env) customersSuspendCommand(suspend bool) *cobra.Command {
	reason := ""
	use, short := "reactivate ID", "Lift a customer's suspension"
	if suspend {
		use, short = "suspend ID", "Suspend a customer: its members' sessions and tokens stop working"
	}
	cmd := &cobra.Command{
		Use: use, Short: short, Args: args(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, a []string) error {
			nc, l, err := e.attachLog(cmd.Context())
			if err != nil {
				return err
			}
			defer nc.Close()
			svc := commands.New(l, nil, commands.Keys{}, commands.Options{})
			m := commands.Meta{Actor: schema.Actor{Kind: schema.ActorCLI, ID: operator()}}
			var res commands.Result
			if suspend {
				res, err = svc.SuspendCustomer(context.WithoutCancel(cmd.Context()), a[0], reason, m)
			} else {
				res, err = svc.ReactivateCustomer(context.WithoutCancel(cmd.Context()), a[0], m)
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "customer %s %s at revision %d\n", a[0], map[bool]string{true: "suspended", false: "reactivated"}[suspend], res.Revision)
			return nil
		},
	}
	if suspend {
		cmd.Flags().StringVar(&reason, "reason", "", "why, for the audit log")
	}
	return cmd
}

// operator names who runs an operator command, for the audit log: the
// operating-system user and host.
func operator() string {
	name := "operator"
	if u, err := user.Current(); err == nil && u.Username != "" {
		name = u.Username
	}
	if host, err := os.Hostname(); err == nil && host != "" {
		name += "@" + host
	}
	return name
}
