package testkit

import (
	"log/slog"
	"testing"
)

// Logger returns a logger that writes through t.Log, so that a passing
// test stays quiet and a failing one shows what happened.
func Logger(t testing.TB) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Helper()
	w.t.Log(string(p))
	return len(p), nil
}
