package platform

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/config"
	"github.com/aegis-oss/aegis/commands"
	"github.com/aegis-oss/aegis/commands/api"
	"github.com/aegis-oss/aegis/commands/mail"
	"github.com/aegis-oss/aegis/commands/readmodel"
	"github.com/aegis-oss/aegis/gateway"
	"github.com/aegis-oss/aegis/projector"
	"github.com/aegis-oss/aegis/schema"
	"github.com/aegis-oss/aegis/schema/eventlog"
)

// Platform is a running Aegis server.
type Platform struct {
	cfg    config.Config
	logger *slog.Logger

	embedded *server.Server // nil with an external NATS
	nc       *nats.Conn
	log      *eventlog.Log
	pool     *pgxpool.Pool

	admin   *api.Server
	adminLn net.Listener
	gateway *gateway.Gateway
	gwLn    net.Listener
	runners []*projector.Runner

	stop   context.CancelFunc
	wg     sync.WaitGroup
	failed chan error
}

// Start brings up every part cfg asks for and returns once all of them
// serve. On failure it stops what it started and returns one error naming
// the problem.
func Start(ctx context.Context, cfg config.Config, logger *slog.Logger, version string) (_ *Platform, err error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("configuration: %w", err)
	}
	p := &Platform{cfg: cfg, logger: logger, failed: make(chan error, 8)}
	defer func() {
		if err != nil {
			p.close(context.Background())
		}
	}()
	if err := checkDataDir(cfg.DataDir); err != nil {
		return nil, err
	}
	// Take the listening ports first: a port in use is the most common
	// problem, and nothing should start before it is known.
	if cfg.Has(config.RoleAdmin) {
		if p.adminLn, err = net.Listen("tcp", cfg.AdminAddr); err != nil {
			return nil, fmt.Errorf("admin API: cannot listen on %s: %w", cfg.AdminAddr, unwrapListen(err))
		}
	}
	if cfg.Has(config.RoleGateway) {
		if p.gwLn, err = net.Listen("tcp", cfg.GatewayAddr); err != nil {
			return nil, fmt.Errorf("gateway: cannot listen on %s: %w", cfg.GatewayAddr, unwrapListen(err))
		}
	}
	natsURL := cfg.NATSURL
	if natsURL == "" {
		if p.embedded, err = startNATS(cfg.NATSAddr, cfg.DataDir, logger); err != nil {
			return nil, err
		}
		natsURL = p.embedded.ClientURL()
	}
	if p.nc, err = ConnectNATS(natsURL, "aegis-server"); err != nil {
		return nil, err
	}
	if p.pool, err = ConnectDB(ctx, cfg.DatabaseURL); err != nil {
		return nil, err
	}
	if _, err := Migrate(ctx, cfg.DatabaseURL); err != nil {
		return nil, err
	}
	if p.log, err = eventlog.Open(ctx, p.nc, eventlog.WithReplicas(cfg.Replicas)); err != nil {
		return nil, fmt.Errorf("NATS: %w", err)
	}

	runCtx, stop := context.WithCancel(context.WithoutCancel(ctx))
	p.stop = stop
	if cfg.Has(config.RoleProjector) {
		if err := p.startProjector(runCtx); err != nil {
			return nil, err
		}
	}
	if cfg.Has(config.RoleGateway) {
		if err := p.startGateway(runCtx, version); err != nil {
			return nil, err
		}
	}
	if cfg.Has(config.RoleAdmin) {
		if err := p.startAdmin(runCtx, version); err != nil {
			return nil, err
		}
	}
	return p, nil
}

func (p *Platform) startGateway(ctx context.Context, version string) error {
	proxies, err := p.cfg.ProxyPrefixes()
	if err != nil {
		return err
	}
	egress, err := p.cfg.EgressPrefixes()
	if err != nil {
		return err
	}
	keys, err := loadKeys(p.cfg)
	if err != nil {
		return err
	}
	node := p.cfg.NodeID
	if node == "" {
		node, _ = os.Hostname()
	}
	if p.gateway, err = gateway.New(p.nc, gateway.Options{
		NodeID: node, Version: version, Logger: p.logger.With("part", "gateway"), TrustedProxies: proxies,
		AccessLogSample: p.cfg.AccessLogSample, MasterKey: keys.Master, EgressAllow: egress,
		MaxRequestBodySize: p.cfg.MaxRequestBody, MaxResponseBodySize: p.cfg.MaxResponseBody,
	}); err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	p.gateway.Run(ctx)
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		if err := p.gateway.Serve(p.gwLn); err != nil {
			p.failed <- fmt.Errorf("gateway: %w", err)
		}
	}()
	return nil
}

// GatewayAddr returns the gateway's listening address, or "" without the
// gateway role.
func (p *Platform) GatewayAddr() string {
	if p.gwLn == nil {
		return ""
	}
	return p.gwLn.Addr().String()
}

// Gateway returns the gateway node, or nil without the gateway role.
func (p *Platform) Gateway() *gateway.Gateway { return p.gateway }

func (p *Platform) startProjector(ctx context.Context) error {
	kv := projector.NewKV(p.log.JetStream())
	for _, proj := range projector.All() {
		r, err := projector.NewRunner(p.log, p.pool, proj,
			projector.WithKV(kv), projector.WithLogger(p.logger.With("part", "projector")))
		if err != nil {
			return fmt.Errorf("projector: %w", err)
		}
		p.runners = append(p.runners, r)
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			if err := r.Run(ctx); err != nil {
				p.failed <- fmt.Errorf("projection %s: %w", r.Name(), err)
			}
		}()
	}
	return nil
}

func (p *Platform) startAdmin(ctx context.Context, version string) error {
	keys, err := loadKeys(p.cfg)
	if err != nil {
		return err
	}
	egress, err := p.cfg.EgressPrefixes()
	if err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(p.cfg.WebDir, "index.html")); p.cfg.WebDir != "" && err != nil {
		p.logger.Info("no dashboard: the admin API serves the API and the email links' pages (make web builds the dashboard)",
			"web_dir", p.cfg.WebDir)
	}
	store := readmodel.New(p.pool)
	// Aegis-Min-Revision waits for the read models the admin API reads:
	// not for the gateway's view in KV.
	var names []string
	for _, proj := range projector.All() {
		if proj.Name() != schema.ProjectionGateway {
			names = append(names, proj.Name())
		}
	}
	p.admin = api.New(api.Options{
		Version:       version,
		Logger:        p.logger.With("part", "admin"),
		Checks:        p.readyChecks(),
		Service:       commands.New(p.log, store, keys, commands.Options{EgressAllow: egress}),
		Store:         store,
		Keys:          keys,
		SecureCookies: strings.HasPrefix(p.cfg.PublicURL, "https://"),
		WebDir:        p.cfg.WebDir,
		Projections:   names,
	})
	if p.cfg.SMTPURL == "" {
		p.logger.Warn("SMTP_URL is not set: verification emails are not sent")
	} else {
		smtp, err := mail.ParseURL(p.cfg.SMTPURL)
		if err != nil {
			return err
		}
		sender, err := mail.New(smtp)
		if err != nil {
			return fmt.Errorf("SMTP_URL: %w", err)
		}
		mailer := commands.NewMailer(p.log, store, sender, keys.Master, strings.TrimSuffix(p.cfg.PublicURL, "/"), p.logger.With("part", "mailer"))
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			if err := mailer.Run(ctx); err != nil {
				p.failed <- fmt.Errorf("mailer: %w", err)
			}
		}()
	}
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		if err := p.admin.Serve(p.adminLn); err != nil {
			p.failed <- fmt.Errorf("admin API: %w", err)
		}
	}()
	return nil
}

// readyChecks are what /ready looks at: NATS, PostgreSQL, and how far
// behind the projections are.
func (p *Platform) readyChecks() []api.Check {
	return []api.Check{
		{Name: "nats", Func: func(ctx context.Context) error {
			if !p.nc.IsConnected() {
				return errors.New("not connected")
			}
			_, err := p.log.LastRevision(ctx)
			return err
		}},
		{Name: "postgres", Func: func(ctx context.Context) error { return p.pool.Ping(ctx) }},
		{Name: "projections", Func: func(ctx context.Context) error {
			statuses, err := projector.Statuses(ctx, p.log, p.pool)
			if err != nil {
				return err
			}
			for _, s := range statuses {
				if s.Lag > p.cfg.ReadyMaxLag {
					return fmt.Errorf("%s is %d events behind (limit %d)", s.Name, s.Lag, p.cfg.ReadyMaxLag)
				}
			}
			return nil
		}},
	}
}

// AdminAddr returns the admin API's listening address, or "" without the
// admin role.
func (p *Platform) AdminAddr() string {
	if p.adminLn == nil {
		return ""
	}
	return p.adminLn.Addr().String()
}

// NATSURL returns the URL clients reach NATS at.
func (p *Platform) NATSURL() string {
	if p.embedded != nil {
		return p.embedded.ClientURL()
	}
	return p.cfg.NATSURL
}

// Embedded reports whether NATS runs inside this process.
func (p *Platform) Embedded() bool { return p.embedded != nil }

// Failed delivers the error of a role that stopped on its own.
func (p *Platform) Failed() <-chan error { return p.failed }

// Shutdown stops every part gracefully: the admin API stops taking
// requests and finishes those in flight; projections stop, a batch not yet
// committed rolls back, to be applied again at the next start; the NATS
// connection drains; the embedded server flushes and stops. It gives up
// waiting when ctx is done.
func (p *Platform) Shutdown(ctx context.Context) error {
	return p.close(ctx)
}

func (p *Platform) close(ctx context.Context) error {
	var errs []error
	if p.admin != nil {
		if err := p.admin.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("admin API: %w", err))
		}
	} else if p.adminLn != nil {
		p.adminLn.Close()
	}
	if p.gateway != nil {
		if err := p.gateway.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("gateway: %w", err))
		}
	} else if p.gwLn != nil {
		p.gwLn.Close()
	}
	if p.stop != nil {
		p.stop()
	}
	done := make(chan struct{})
	go func() { p.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		errs = append(errs, errors.New("roles did not stop in time"))
	}
	if p.nc != nil && !p.nc.IsClosed() {
		closed := make(chan struct{})
		p.nc.SetClosedHandler(func(*nats.Conn) { close(closed) })
		if err := p.nc.Drain(); err != nil {
			p.nc.Close()
		}
		select {
		case <-closed:
		case <-ctx.Done():
			p.nc.Close()
		}
	}
	if p.embedded != nil {
		p.embedded.Shutdown()
		p.embedded.WaitForShutdown()
	}
	if p.pool != nil {
		p.pool.Close()
	}
	return errors.Join(errs...)
}
