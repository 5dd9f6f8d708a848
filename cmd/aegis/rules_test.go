package main_test

import (
	"testing"

	"github.com/aegis-oss/aegis/schema/deptest"
)

func TestEveryPackageIsDocumented(t *testing.T) {
	deptest.PackageDocs(t, ".")
}
