package projector_test

import (
	"testing"

	"github.com/aegis-oss/aegis/schema/deptest"
)

func TestProjectorImportRules(t *testing.T) {
	deptest.Forbid(t, "./...",
		deptest.Module+"/commands",
		deptest.Module+"/gateway",
		deptest.Module+"/billing",
		deptest.Module+"/marketplace",
		deptest.Module+"/cmd",
	)
}

func TestEveryPackageIsDocumented(t *testing.T) {
	deptest.PackageDocs(t, ".")
}
