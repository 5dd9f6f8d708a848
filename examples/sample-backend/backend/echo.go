package backend

import (
	"io"
	"net/http"
	"strings"
)

// echoReply is what /echo answers: what reached the backend, for the
// gateway's tests to compare with what the client sent.
type echoReply struct {
	Method string `json:"method"`
	// Path is the path exactly as it arrived, escapes and dot segments
	// included.
	Path string `json:"path"`
	// Query is the raw query string, without the "?".
	Query string `json:"query"`
	// Host is the Host header.
	Host string `json:"host"`
	// Headers holds every X-Aegis-* header, X-Request-Id and the
	// X-Forwarded-For, -Proto and -Host headers that arrived, by canonical
	// name, each with all its values.
	Headers map[string][]string `json:"headers"`
	// BodyBytes is the size of the body that arrived.
	BodyBytes int64 `json:"body_bytes"`
}

// echoedHeaders are the headers /echo reports besides the X-Aegis-* ones.
var echoedHeaders = []string{headerRequestID, "X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"}

// isEcho reports whether r is for /echo or a path under /echo/. Those
// requests skip the router, which would redirect paths it cleans.
func isEcho(r *http.Request) bool {
	return r.URL.Path == "/echo" || strings.HasPrefix(r.URL.Path, "/echo/")
}

// echo answers any method with what it received. The body is counted, not
// kept, so it has no size limit.
func echo(w http.ResponseWriter, r *http.Request) {
	n, err := io.Copy(io.Discard, r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, codeInvalid, "the body could not be read")
		return
	}
	reply := echoReply{
		Method:    r.Method,
		Path:      rawPath(r),
		Query:     r.URL.RawQuery,
		Host:      r.Host,
		Headers:   make(map[string][]string),
		BodyBytes: n,
	}
	for name, values := range r.Header {
		if strings.HasPrefix(name, aegisHeaderPrefix) {
			reply.Headers[name] = values
		}
	}
	for _, name := range echoedHeaders {
		if values := r.Header.Values(name); len(values) > 0 {
			reply.Headers[name] = values
		}
	}
	writeJSON(w, http.StatusOK, reply)
}

// rawPath returns r's path as the client wrote it in the request line, or,
// when the request line held a whole URL, its path as escaped.
func rawPath(r *http.Request) string {
	if strings.HasPrefix(r.RequestURI, "/") {
		path, _, _ := strings.Cut(r.RequestURI, "?")
		return path
	}
	return r.URL.EscapedPath()
}
