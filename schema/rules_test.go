package schema_test

import (
	"testing"

	"github.com/aegis-oss/aegis/schema/deptest"
)

func TestSchemaUsesOnlyTheStandardLibrary(t *testing.T) {
	deptest.OnlyStandardLibrary(t, ".")
	deptest.OnlyStandardLibrary(t, "./deptest")
	deptest.OnlyStandardLibrary(t, "./egress")
}

func TestSchemaKnowsNoOtherModule(t *testing.T) {
	deptest.Forbid(t, "./...",
		deptest.Module+"/commands", deptest.Module+"/projector", deptest.Module+"/gateway",
		deptest.Module+"/billing", deptest.Module+"/marketplace", deptest.Module+"/cmd")
}

func TestEveryPackageIsDocumented(t *testing.T) {
	deptest.PackageDocs(t, ".")
}
