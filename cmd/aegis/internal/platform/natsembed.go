package platform

import (
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// startNATS starts the embedded NATS server with JetStream, storing under
// dataDir/nats and syncing every write to disk before acknowledging it.
func startNATS(addr, dataDir string, logger *slog.Logger) (*server.Server, error) {
	host, portStr, _ := net.SplitHostPort(addr)
	port, _ := strconv.Atoi(portStr)
	if port == 0 {
		port = server.RANDOM_PORT
	} else if err := portFree(addr); err != nil {
		return nil, fmt.Errorf("embedded NATS: cannot listen on %s: %w", addr, err)
	}
	s, err := server.NewServer(&server.Options{
		ServerName: "aegis",
		Host:       host,
		Port:       port,
		NoSigs:     true,
		JetStream:  true,
		StoreDir:   filepath.Join(dataDir, "nats"),
		// Acknowledged admin changes must survive a power cut.
		SyncAlways: true,
	})
	if err != nil {
		return nil, fmt.Errorf("embedded NATS: %w", err)
	}
	s.SetLoggerV2(natsLogger{logger.With("part", "nats")}, false, false, false)
	s.Start()
	if !s.ReadyForConnections(15 * time.Second) {
		s.Shutdown()
		return nil, fmt.Errorf("embedded NATS: not ready on %s after 15s", addr)
	}
	return s, nil
}

// portFree reports an error if nothing can listen on addr now.
func portFree(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return unwrapListen(err)
	}
	return ln.Close()
}

// unwrapListen keeps the part of a listen error that names the problem,
// "address already in use", without Go's operation prefix.
func unwrapListen(err error) error {
	if op, ok := err.(*net.OpError); ok && op.Err != nil {
		return op.Err
	}
	return err
}

// natsLogger sends the embedded server's log to slog. Its notices are
// routine, so they go to debug.
type natsLogger struct{ l *slog.Logger }

func (n natsLogger) Noticef(format string, v ...any) { n.l.Debug(fmt.Sprintf(format, v...)) }
func (n natsLogger) Warnf(format string, v ...any)   { n.l.Warn(fmt.Sprintf(format, v...)) }
func (n natsLogger) Fatalf(format string, v ...any)  { n.l.Error(fmt.Sprintf(format, v...)) }
func (n natsLogger) Errorf(format string, v ...any)  { n.l.Error(fmt.Sprintf(format, v...)) }
func (n natsLogger) Debugf(format string, v ...any)  { n.l.Debug(fmt.Sprintf(format, v...)) }
func (n natsLogger) Tracef(format string, v ...any)  { n.l.Debug(fmt.Sprintf(format, v...)) }
