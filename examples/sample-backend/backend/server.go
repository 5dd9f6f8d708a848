package backend

import (
	"log/slog"
	"net/http"
)

// New returns the sample backend's handler: /health, /echo, the notes API
// under /v1/notes and the authorization callout at /aegis/authorize. Its
// notes live in memory, for as long as the handler does. It logs every
// request to logger; a nil logger discards the logs.
func New(logger *slog.Logger) http.Handler {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	notes := notesHandler{book: newNotebook()}
	mux := http.NewServeMux()
	mux.HandleFunc("/health", health)
	mux.HandleFunc("/v1/notes", notes.collection)
	mux.HandleFunc("/v1/notes/{id}", notes.item)
	mux.HandleFunc("/aegis/authorize", authorize)
	mux.HandleFunc("/", notFound)
	return accessLog(logger, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isEcho(r) {
			echo(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	}))
}

func health(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, codeNotFound, "no such endpoint")
}
