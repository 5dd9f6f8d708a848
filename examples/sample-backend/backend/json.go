package backend

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
)

// maxBodyBytes bounds the JSON bodies the backend reads.
const maxBodyBytes = 64 << 10

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v) // the client is gone; nothing left to tell it
}

// decodeJSON reads r's body, at most maxBodyBytes of one JSON object with
// no unknown fields, into dst. If the body does not fit, it answers 413 or
// 400 and returns false.
func decodeJSON(w http.ResponseWriter, r *http.Request, dst any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	if err == nil {
		switch rest := dec.Decode(new(json.RawMessage)); {
		case errors.Is(rest, io.EOF):
			return true
		case isMaxBytes(rest):
			err = rest
		default:
			err = errors.New("the body holds more than one JSON value")
		}
	}
	if isMaxBytes(err) {
		writeError(w, http.StatusRequestEntityTooLarge, codeTooLarge, "the body is over 64 KiB")
		return false
	}
	if errors.Is(err, io.EOF) {
		writeError(w, http.StatusBadRequest, codeInvalid, "the body is empty: send a JSON object")
		return false
	}
	writeError(w, http.StatusBadRequest, codeInvalid, "the body is not the JSON object expected: "+err.Error())
	return false
}

func isMaxBytes(err error) bool {
	_, ok := errors.AsType[*http.MaxBytesError](err)
	return ok
}
