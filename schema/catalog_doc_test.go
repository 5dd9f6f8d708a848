package schema_test

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/schema"
)

// The event catalog in docs/architecture.md lists every type the code
// writes, at its current version.
func TestCatalogIsDocumented(t *testing.T) {
	doc, err := os.ReadFile("../docs/architecture.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, et := range schema.Catalog().Types() {
		row := "| `" + et.Name + "` | " + strconv.Itoa(et.Version) + " |"
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/architecture.md has no catalog row starting %q", row)
		}
	}
}
