package gateway_test

import (
	"fmt"
	"os"
	"testing"
)

// TestMain runs the tests; or, in a process that BenchmarkColdStart
// started with nodeEnv set, only a gateway node, for the benchmark to
// measure alone.
func TestMain(m *testing.M) {
	if url := os.Getenv(nodeEnv); url != "" {
		if err := runNode(url, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "gateway node:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
