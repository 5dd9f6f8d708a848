package backend_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/examples/sample-backend/backend"
)

// startBackend serves a fresh backend on a loopback port until the test
// ends, and returns its base URL.
func startBackend(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(backend.New(nil))
	t.Cleanup(srv.Close)
	return srv.URL
}

// call sends method url with body (if not empty) and headers given as
// name, value pairs, and returns the response with its body read.
func call(t *testing.T, method, url, body string, headers ...string) (*http.Response, []byte) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequestWithContext(t.Context(), method, url, r)
	if err != nil {
		t.Fatalf("new request %s %s: %v", method, url, err)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Add(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read the answer to %s %s: %v", method, url, err)
	}
	return resp, b
}

// decode unmarshals body into a T, failing the test if it is not JSON.
func decode[T any](t *testing.T, body []byte) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(body, &v); err != nil {
		t.Fatalf("answer is not the JSON expected: %v\n%s", err, body)
	}
	return v
}

type apiError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// wantError fails the test unless resp is a JSON error with status and code.
func wantError(t *testing.T, resp *http.Response, body []byte, status int, code string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Errorf("status = %d, want %d; body %s", resp.StatusCode, status, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", ct)
	}
	got := decode[apiError](t, body)
	if got.Code != code || got.Message == "" {
		t.Errorf("error = %+v, want code %q and a message", got, code)
	}
}
