package cli

import (
	"context"
	"fmt"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/config"
	"github.com/aegis-oss/aegis/cmd/aegis/internal/platform"
)

func (e *env) serverCommand() *cobra.Command {
	roles := ""
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Run the Aegis platform",
		Long: `Run the Aegis platform: every role in one process, or the roles named with
--roles. Without NATS_URL it starts an embedded NATS server with JetStream,
storing under the data dir. It applies database migrations at start, and
stops gracefully on SIGTERM or SIGINT.

Roles: projector (read models and the gateway's view in KV), gateway (API
traffic on AEGIS_GATEWAY_ADDR), admin (the admin API on AEGIS_ADMIN_ADDR).`,
		Args: args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if roles != "" {
				e.cfg.Roles = config.SplitList(roles)
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), syscall.SIGTERM, syscall.SIGINT)
			defer stop()
			return e.runServer(ctx)
		},
	}
	cmd.Flags().StringVar(&roles, "roles", "", "comma-separated roles to run: all, projector, gateway, admin (AEGIS_ROLES)")
	cmd.Flags().StringVar(&e.cfg.GatewayAddr, "gateway-addr", e.cfg.GatewayAddr, "gateway listen address (AEGIS_GATEWAY_ADDR)")
	cmd.Flags().StringVar(&e.cfg.AdminAddr, "admin-addr", e.cfg.AdminAddr, "admin API listen address (AEGIS_ADMIN_ADDR)")
	cmd.Flags().IntVar(&e.cfg.Replicas, "replicas", e.cfg.Replicas, "replicas of the stream and buckets: 1, or 3 on a cluster (AEGIS_REPLICAS)")
	return cmd
}

// runServer starts the platform and runs it until ctx is done or a role
// fails, then shuts it down.
func (e *env) runServer(ctx context.Context) error {
	if err := e.cfg.Validate(); err != nil {
		return fmt.Errorf("configuration: %w", err)
	}
	logger := e.logger()
	p, err := platform.Start(ctx, e.cfg, logger, version())
	if err != nil {
		return err
	}
	roles, _ := e.cfg.RunRoles()
	attrs := []any{"version", version(), "roles", roles, "nats", p.NATSURL(), "embedded_nats", p.Embedded(),
		"database", config.RedactURL(e.cfg.DatabaseURL)}
	if addr := p.AdminAddr(); addr != "" {
		attrs = append(attrs, "admin", "http://"+addr)
	}
	if addr := p.GatewayAddr(); addr != "" {
		attrs = append(attrs, "gateway", "http://"+addr)
	}
	logger.Info("aegis is running", attrs...)

	var failure error
	select {
	case <-ctx.Done():
		logger.Info("shutting down")
	case failure = <-p.Failed():
		logger.Error("a role failed; shutting down", "err", failure)
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), e.cfg.ShutdownTimeout)
	defer cancel()
	if err := p.Shutdown(sctx); err != nil {
		logger.Error("shutdown", "err", err)
	}
	logger.Info("stopped")
	return failure
}
