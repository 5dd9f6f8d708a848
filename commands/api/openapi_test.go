package api_test

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/aegis-oss/aegis/commands/api"
)

// docsOpenAPI is the committed document, from which the dashboard's client
// is generated.
var docsOpenAPI = filepath.Join("..", "..", "docs", "openapi.json")

// The committed OpenAPI document is the one the code describes. After
// changing an operation, regenerate it: aegis openapi > docs/openapi.json
// (or run this test with AEGIS_UPDATE_OPENAPI=1).
func TestCommittedOpenAPIDocumentIsCurrent(t *testing.T) {
	doc, err := api.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if os.Getenv("AEGIS_UPDATE_OPENAPI") == "1" {
		if err := os.WriteFile(docsOpenAPI, doc, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	committed, err := os.ReadFile(docsOpenAPI)
	if err != nil {
		t.Fatalf("%v: generate it with aegis openapi > docs/openapi.json", err)
	}
	if !bytes.Equal(committed, doc) {
		t.Fatal("docs/openapi.json is not the document the code describes: regenerate it with aegis openapi > docs/openapi.json")
	}
}
