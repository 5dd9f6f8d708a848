package backend

import (
	"net/http"
	"strings"
)

// The notes API: /v1/notes and /v1/notes/{id}, scoped to the tenant the
// gateway names. A note of another tenant is answered as if it did not
// exist.

type notesHandler struct {
	book *notebook
}

type createNoteRequest struct {
	Text string `json:"text"`
}

type listNotesResponse struct {
	Notes []note `json:"notes"`
}

// collection serves /v1/notes: GET lists the tenant's notes, POST adds one.
func (h notesHandler) collection(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet, http.MethodPost) {
		return
	}
	tenant, ok := tenantOf(w, r)
	if !ok {
		return
	}
	if r.Method == http.MethodPost {
		h.create(w, r, tenant)
		return
	}
	notes := h.book.list(tenant)
	if notes == nil {
		notes = []note{}
	}
	writeJSON(w, http.StatusOK, listNotesResponse{Notes: notes})
}

func (h notesHandler) create(w http.ResponseWriter, r *http.Request, tenant string) {
	var req createNoteRequest
	if !decodeJSON(w, r, &req) {
		return
	}
	text := strings.TrimSpace(req.Text)
	if text == "" {
		writeError(w, http.StatusBadRequest, codeInvalid, "text is required")
		return
	}
	n := h.book.add(tenant, r.Header.Get(headerUserID), text)
	w.Header().Set("Location", "/v1/notes/"+n.ID)
	writeJSON(w, http.StatusCreated, n)
}

// item serves /v1/notes/{id}: GET returns the note, DELETE removes it.
func (h notesHandler) item(w http.ResponseWriter, r *http.Request) {
	if !allowMethods(w, r, http.MethodGet, http.MethodDelete) {
		return
	}
	tenant, ok := tenantOf(w, r)
	if !ok {
		return
	}
	id := r.PathValue("id")
	if r.Method == http.MethodDelete {
		if !h.book.delete(tenant, id) {
			writeError(w, http.StatusNotFound, codeNotFound, "note not found")
			return
		}
		w.WriteHeader(http.StatusNoContent)
		return
	}
	n, found := h.book.get(tenant, id)
	if !found {
		writeError(w, http.StatusNotFound, codeNotFound, "note not found")
		return
	}
	writeJSON(w, http.StatusOK, n)
}
