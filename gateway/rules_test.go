package gateway_test

import (
	"testing"

	"github.com/aegis-oss/aegis/schema/deptest"
)

func TestGatewayImportRules(t *testing.T) {
	deptest.Forbid(t, "./...",
		deptest.Module+"/commands",
		deptest.Module+"/projector",
		deptest.Module+"/billing",
		deptest.Module+"/marketplace",
		deptest.Module+"/cmd",
		// The data plane answers from memory: no database, no admin framework.
		"github.com/jackc/pgx", "github.com/gofiber/fiber", "github.com/pressly/goose",
	)
}

func TestEveryPackageIsDocumented(t *testing.T) {
	deptest.PackageDocs(t, ".")
}
