package backend_test

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

type echoReply struct {
	Method    string              `json:"method"`
	Path      string              `json:"path"`
	Query     string              `json:"query"`
	Host      string              `json:"host"`
	Headers   map[string][]string `json:"headers"`
	BodyBytes int64               `json:"body_bytes"`
}

func TestEchoReportsWhatArrived(t *testing.T) {
	base := startBackend(t)
	resp, body := call(t, http.MethodPost, base+"/echo/orders/a%2Fb/caf%C3%A9?q=x%2Fy&q=2", strings.Repeat("x", 100<<10),
		"X-Aegis-Tenant-Id", "tenant-a",
		"X-Aegis-User-Id", "ada",
		"X-Aegis-App-Id", "app-1",
		"X-Aegis-Key-Env", "production",
		"X-Aegis-Something-New", "yes",
		"X-Request-Id", "req-1",
		"X-Forwarded-For", "203.0.113.7",
		"X-Forwarded-For", "10.0.0.1",
		"X-Forwarded-Proto", "https",
		"X-Forwarded-Host", "api.acme.example",
		"Authorization", "Bearer not-echoed",
	)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", resp.StatusCode, body)
	}
	got := decode[echoReply](t, body)
	want := echoReply{
		Method: http.MethodPost,
		Path:   "/echo/orders/a%2Fb/caf%C3%A9",
		Query:  "q=x%2Fy&q=2",
		Host:   strings.TrimPrefix(base, "http://"),
		Headers: map[string][]string{
			"X-Aegis-Tenant-Id":     {"tenant-a"},
			"X-Aegis-User-Id":       {"ada"},
			"X-Aegis-App-Id":        {"app-1"},
			"X-Aegis-Key-Env":       {"production"},
			"X-Aegis-Something-New": {"yes"},
			"X-Request-Id":          {"req-1"},
			"X-Forwarded-For":       {"203.0.113.7", "10.0.0.1"},
			"X-Forwarded-Proto":     {"https"},
			"X-Forwarded-Host":      {"api.acme.example"},
		},
		BodyBytes: 100 << 10,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("echo = %+v\nwant   %+v", got, want)
	}
}

func TestEchoKeepsThePathAsSent(t *testing.T) {
	base := startBackend(t)
	for _, path := range []string{
		"/echo",
		"/echo/",
		"/echo/a%2fb",
		"/echo//double",
		"/echo/../v1/notes",
		"/echo/./x/%2e%2e/y",
	} {
		t.Run(path, func(t *testing.T) {
			resp, body := call(t, http.MethodGet, base+path, "")
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status = %d, want 200; body %s", resp.StatusCode, body)
			}
			got := decode[echoReply](t, body)
			if got.Path != path || got.BodyBytes != 0 || len(got.Headers) != 0 {
				t.Errorf("echo = %+v, want path %q, no body and no headers", got, path)
			}
		})
	}
}

func TestEchoAnswersAnyMethod(t *testing.T) {
	base := startBackend(t)
	for _, method := range []string{http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions, "PURGE"} {
		resp, body := call(t, method, base+"/echo/x", "")
		if resp.StatusCode != http.StatusOK || decode[echoReply](t, body).Method != method {
			t.Errorf("%s /echo/x: status %d, body %s; want 200 and method %s", method, resp.StatusCode, body, method)
		}
	}
}
