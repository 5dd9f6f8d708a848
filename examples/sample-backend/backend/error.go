package backend

import "net/http"

// The error codes, as the rest of Aegis names them.
const (
	codeInvalid      = "invalid"
	codeNotFound     = "not_found"
	codeUnauthorized = "unauthorized"
	codeTooLarge     = "too_large"
	codeInternal     = "internal"
)

// apiError is the body of every error answer: a code that clients branch
// on and a message that is safe to show.
type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, apiError{Code: code, Message: message})
}

// allowMethods answers 405 and returns false unless r's method is one of
// methods. HEAD is allowed wherever GET is.
func allowMethods(w http.ResponseWriter, r *http.Request, methods ...string) bool {
	for _, m := range methods {
		if r.Method == m || (m == http.MethodGet && r.Method == http.MethodHead) {
			return true
		}
	}
	allow := ""
	for i, m := range methods {
		if i > 0 {
			allow += ", "
		}
		allow += m
	}
	w.Header().Set("Allow", allow)
	writeError(w, http.StatusMethodNotAllowed, codeInvalid, r.Method+" is not allowed here; use "+allow)
	return false
}
