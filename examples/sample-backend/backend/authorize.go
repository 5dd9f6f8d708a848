package backend

import (
	"net/http"
	"strings"
)

// decisionTTL is how long, in seconds, the gateway may cache a decision.
const decisionTTL = 60

type authorizeRequest struct {
	TenantID string `json:"tenant_id"`
	UserID   string `json:"user_id"`
	Resource string `json:"resource"`
	Action   string `json:"action"`
}

type authorizeResponse struct {
	Allowed     bool     `json:"allowed"`
	Permissions []string `json:"permissions"`
	TTL         int      `json:"ttl"`
}

// authorize serves POST /aegis/authorize, the backend's side of the
// gateway's subrequest authorization: when the app's RBAC rules do not
// decide a request, the gateway asks the app's authorize URL whether the
// tenant's user may take the action on the resource. A denial is an answer
// (200 with allowed false), not an error; the gateway denies if the call
// fails or times out.
//
// The built-in policy, checked in this order:
//
//   - the tenant "blocked" may do nothing;
//   - "read" is allowed to everyone, even without a user;
//   - "write" is allowed to any named user (user_id not empty);
//   - "delete" is allowed to users whose id starts with "admin";
//   - any other action is denied.
//
// The answer lists the permissions ("resource:action") the user holds on
// the resource, and how many seconds the gateway may keep the decision.
func authorize(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodPost) {
		return
	}
	var req authorizeRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	if req.TenantID == "" || req.Resource == "" || req.Action == "" {
		writeError(w, http.StatusBadRequest, codeInvalid, "tenant_id, resource and action are required")
		return
	}
	actions := allowedActions(req.TenantID, req.UserID)
	resp := authorizeResponse{Permissions: make([]string, 0, len(actions)), TTL: decisionTTL}
	for _, action := range actions {
		resp.Permissions = append(resp.Permissions, req.Resource+":"+action)
		if action == req.Action {
			resp.Allowed = true
		}
	}
	writeJSON(w, http.StatusOK, resp)
}

// allowedActions returns the actions the policy gives user in tenant.
func allowedActions(tenant, user string) []string {
	switch {
	case tenant == "blocked":
		return nil
	case strings.HasPrefix(user, "admin"):
		return []string{"read", "write", "delete"}
	case user != "":
		return []string{"read", "write"}
	default:
		return []string{"read"}
	}
}
