package billing_test

import (
	"testing"

	"github.com/aegis-oss/aegis/schema/deptest"
)

func TestBillingImportRules(t *testing.T) {
	deptest.Forbid(t, "./...",
		deptest.Module+"/commands",
		deptest.Module+"/gateway",
		deptest.Module+"/marketplace",
		deptest.Module+"/cmd",
	)
}

func TestEveryPackageIsDocumented(t *testing.T) {
	deptest.PackageDocs(t, ".")
}
