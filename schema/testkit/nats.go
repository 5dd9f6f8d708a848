package testkit

import (
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// NewNATS starts an in-process nats-server with JetStream on a random
// loopback port, storing under a fresh temporary directory and syncing
// every write as Aegis's own embedded server does, and shuts it down at
// the end of the test. Options adjust the server's settings. It fails the
// test if the server does not start.
func NewNATS(t testing.TB, options ...func(*server.Options)) *server.Server {
	t.Helper()
	return StartNATS(t, t.TempDir(), options...)
}

// StartNATS is NewNATS with the store directory chosen by the caller, so
// that a test can stop a server and start another on the same files.
func StartNATS(t testing.TB, storeDir string, options ...func(*server.Options)) *server.Server {
	t.Helper()
	opts := &server.Options{
		ServerName: "aegis-test",
		Host:       "127.0.0.1",
		Port:       server.RANDOM_PORT,
		NoLog:      true,
		NoSigs:     true,
		JetStream:  true,
		StoreDir:   storeDir,
		SyncAlways: true,
	}
	for _, o := range options {
		o(opts)
	}
	s, err := server.NewServer(opts)
	if err != nil {
		t.Fatalf("start nats: %v", err)
	}
	s.Start()
	if !s.ReadyForConnections(10 * time.Second) {
		s.Shutdown()
		t.Fatalf("start nats: not ready after 10s")
	}
	t.Cleanup(func() {
		s.Shutdown()
		s.WaitForShutdown()
	})
	return s
}

// NoSync is a NewNATS option for benchmarks that seed many events: the
// server acknowledges writes before they reach the disk.
func NoSync(o *server.Options) { o.SyncAlways = false }

// Connect returns a connection to s, closed at the end of the test.
func Connect(t testing.TB, s *server.Server) *nats.Conn {
	t.Helper()
	nc, err := nats.Connect(s.ClientURL(), nats.Name(t.Name()))
	if err != nil {
		t.Fatalf("connect nats: %v", err)
	}
	t.Cleanup(nc.Close)
	return nc
}
