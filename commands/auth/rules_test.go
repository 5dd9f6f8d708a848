package auth_test

import (
	"testing"

	"github.com/aegis-oss/aegis/schema/deptest"
)

// TestAuthImportRules keeps auth a package of pure functions: no HTTP
// framework, no database driver.
func TestAuthImportRules(t *testing.T) {
	deptest.Forbid(t, ".",
		"github.com/gofiber",
		"github.com/valyala/fasthttp",
		"github.com/jackc/pgx",
		"github.com/danielgtaylor/huma",
	)
}
