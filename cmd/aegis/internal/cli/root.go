// Package cli is the aegis command line: `aegis server` runs the platform,
// every other subcommand is a client of it.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/config"
)

// Version is the build's version, set with -ldflags "-X ...cli.Version=v1.2.3".
var Version = ""

func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

// env is what every command shares: where it writes, and the
// configuration read from the environment and flags.
type env struct {
	getenv func(string) string
	stdout io.Writer
	stderr io.Writer
	cfg    config.Config
	output string
}

// Main runs the aegis command line with args (without the program name),
// reading the environment through getenv. It returns the exit code: 0 on
// success, 1 on failure (after one line on stderr naming the problem), 2
// on bad usage.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	e := &env{getenv: getenv, stdout: stdout, stderr: stderr}
	cfg, envErr := config.FromEnv(getenv)
	e.cfg = cfg
	root := e.rootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if envErr != nil {
		fmt.Fprintln(stderr, "aegis: configuration:", oneLine(envErr))
		return 1
	}
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	var usage usageError
	if errors.As(err, &usage) || strings.HasPrefix(err.Error(), "unknown command") {
		fmt.Fprintf(stderr, "aegis: %s\nRun '%s --help' for usage.\n", oneLine(err), cmd.CommandPath())
		return 2
	}
	fmt.Fprintln(stderr, "aegis:", oneLine(err))
	return 1
}

// usageError is a mistake in the command line itself.
type usageError struct{ error }

// args wraps a cobra argument check so that its failure is a usage error.
func args(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, a []string) error {
		if err := check(cmd, a); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// oneLine joins a multi-line error (errors.Join) into one line.
func oneLine(err error) string {
	return strings.ReplaceAll(strings.TrimSpace(err.Error()), "\n", "; ")
}

func (e *env) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "aegis",
		Short: "Aegis: a multi-tenant API gateway for SaaS companies",
		Long: `Aegis is a self-hosted, multi-tenant API gateway. 'aegis server' runs the
platform; the other commands talk to it.

Configuration comes from the environment (DATABASE_URL, NATS_URL,
AEGIS_DATA_DIR, AEGIS_ADMIN_ADDR, ...) and from flags, which win.`,
		SilenceErrors: true,
		SilenceUsage:  true,
		// Flag mistakes are usage errors; everything after parsing is not.
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			if err := e.cfg.Validate(); err != nil {
				return fmt.Errorf("configuration: %w", err)
			}
			return nil
		},
	}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	f := root.PersistentFlags()
	f.StringVar(&e.cfg.DataDir, "data-dir", e.cfg.DataDir, "directory for local state (AEGIS_DATA_DIR)")
	f.StringVar(&e.cfg.DatabaseURL, "database-url", e.cfg.DatabaseURL, "PostgreSQL URL (DATABASE_URL)")
	f.StringVar(&e.cfg.NATSURL, "nats-url", e.cfg.NATSURL, "NATS URL(s); empty runs or uses the embedded server (NATS_URL)")
	f.StringVar(&e.cfg.NATSAddr, "nats-addr", e.cfg.NATSAddr, "embedded NATS listen address (AEGIS_NATS_ADDR)")
	f.StringVar(&e.cfg.LogLevel, "log-level", e.cfg.LogLevel, "debug, info, warn or error (AEGIS_LOG_LEVEL)")
	f.StringVar(&e.cfg.LogFormat, "log-format", e.cfg.LogFormat, "text or json (AEGIS_LOG_FORMAT)")
	root.AddCommand(e.serverCommand(), e.migrateCommand(), e.versionCommand(), e.eventsCommand(), e.projectorCommand())
	root.AddCommand(e.loginCommand(), e.logoutCommand(), e.whoamiCommand(), e.appsCommand(), e.keysCommand(), e.tokensCommand(), e.auditCommand(), e.customersCommand(), e.gatewayCommand(), e.cacheCommand(), e.openapiCommand())
	return root
}

// logger returns the logger the configuration asks for, on stderr.
func (e *env) logger() *slog.Logger {
	level, _ := e.cfg.SlogLevel()
	opts := &slog.HandlerOptions{Level: level}
	if e.cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(e.stderr, opts))
	}
	return slog.New(slog.NewTextHandler(e.stderr, opts))
}

func (e *env) versionCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  args(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintln(e.stdout, "aegis", version())
			return nil
		},
	}
}
