package api

import (
	"encoding/json"

	"github.com/aegis-oss/aegis/commands"
)

// DocumentVersion is the info.version of the OpenAPI document that
// OpenAPI returns: the API's version, not a build's.
const DocumentVersion = "v1"

// OpenAPI returns the admin API's OpenAPI 3.1 document, as JSON, without
// a server: the same operations and schemas as /api/v1/openapi.json, with
// DocumentVersion as its version. docs/openapi.json is its output, from
// which the dashboard's typed client is generated.
func OpenAPI() ([]byte, error) {
	// Registering the operations touches no service: an empty one will do.
	s := New(Options{Version: DocumentVersion, Service: &commands.Service{}})
	b, err := json.MarshalIndent(s.api.OpenAPI(), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
