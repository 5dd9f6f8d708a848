package backend

import (
	"net/http"
	"strings"
)

// The headers the gateway sets on every request it forwards.
const (
	headerTenantID  = "X-Aegis-Tenant-Id"
	headerUserID    = "X-Aegis-User-Id"
	headerAppID     = "X-Aegis-App-Id"
	headerKeyEnv    = "X-Aegis-Key-Env"
	headerRequestID = "X-Request-Id"

	aegisHeaderPrefix = "X-Aegis-"
)

// tenantOf returns the tenant the gateway forwarded the request for. If
// there is none, it answers 401 and returns false: the request did not come
// through the gateway, or the app has no tenants.
func tenantOf(w http.ResponseWriter, r *http.Request) (string, bool) {
	tenant := strings.TrimSpace(r.Header.Get(headerTenantID))
	if tenant == "" {
		writeError(w, http.StatusUnauthorized, codeUnauthorized, "no "+headerTenantID+" header: call this API through Aegis")
		return "", false
	}
	return tenant, true
}
