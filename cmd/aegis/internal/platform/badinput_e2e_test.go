package platform_test

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// Every operation of the OpenAPI document that takes a body refuses a bad
// one with a 4xx {code, message} and appends nothing: not JSON, the wrong
// type, unknown fields, nothing at all.
func TestEveryOperationRefusesBadBodies(t *testing.T) {
	p := startPlatform(t)
	c := ownerClient(t, p, "Acme", "ada@acme.example")
	var tok struct {
		Token string `json:"token"`
	}
	c.must("POST", "/api/v1/tokens", map[string]string{"name": "sweep"}, &tok, 201)

	resp, err := http.Get(c.base + "/api/v1/openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody *struct{} `json:"requestBody"`
		} `json:"paths"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()

	param := regexp.MustCompile(`\{[^}]+\}`)
	var ops []string
	for path, methods := range doc.Paths {
		for method, op := range methods {
			if op.RequestBody != nil {
				ops = append(ops, strings.ToUpper(method)+" "+param.ReplaceAllString(path, "01a21ab7-e85d-741c-8ac6-d8b96a2e7309"))
			}
		}
	}
	sort.Strings(ops)
	if len(ops) < 12 {
		t.Fatalf("only %d operations with a body in the OpenAPI document: %v", len(ops), ops)
	}
	before := lastRevision(t, p.Platform)
	for _, op := range ops {
		method, path, _ := strings.Cut(op, " ")
		for _, body := range []string{`{`, `[]`, `"text"`, `{"no_such_field": 1}`, ``} {
			req, _ := http.NewRequest(method, c.base+path, strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+tok.Token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			var e struct{ Code, Message string }
			if resp.StatusCode < 400 || resp.StatusCode >= 500 || json.Unmarshal(raw, &e) != nil || e.Code == "" || e.Message == "" {
				t.Errorf("%s with body %q = %d %s; want 4xx {code, message}", op, body, resp.StatusCode, raw)
			}
		}
	}
	if after := lastRevision(t, p.Platform); after != before {
		t.Fatalf("bad bodies appended %d events", after-before)
	}
}
