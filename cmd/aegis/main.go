// Command aegis is the Aegis binary: `aegis server` runs the platform, and
// every other subcommand is its command-line client. Run `aegis --help`.
package main

import (
	"context"
	"os"

	"github.com/aegis-oss/aegis/cmd/aegis/internal/cli"
)

func main() {
	os.Exit(cli.Main(context.Background(), os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}
