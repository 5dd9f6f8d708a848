package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/aegis-oss/aegis/commands/api"
	"github.com/aegis-oss/aegis/schema"
)

// apiClient talks to the admin API: JSON in and out, a bearer token, and
// read-your-writes within one run of the command line. It is not safe for
// concurrent use.
type apiClient struct {
	base  string // without a trailing slash
	token string
	http  *http.Client
	// csrf is sent as X-CSRF-Token, for a client logged in with a session
	// cookie (only `aegis login` is, for a moment).
	csrf string
	// revision is the highest revision seen in an answer. Later requests
	// send it as Aegis-Min-Revision, so that a query made after a command
	// sees the command's change.
	revision uint64
}

// newAPIClient returns a client of the admin API at base, sending token
// (if not empty) as Authorization: Bearer. It returns a usage error if
// base is not an http(s) URL.
func newAPIClient(base, token string) (*apiClient, error) {
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, usageError{fmt.Errorf("admin API URL %q is not an http(s) URL such as http://localhost:3001", base)}
	}
	return &apiClient{
		base:  strings.TrimRight(base, "/"),
		token: token,
		http:  &http.Client{Timeout: 30 * time.Second},
	}, nil
}

// request is one call to the admin API.
type request struct {
	method, path string
	query        url.Values
	body         any // sent as JSON when not nil
	// idempotencyKey is sent as Idempotency-Key when not empty.
	idempotencyKey string
}

// get sends a GET to path with query and decodes the answer into out.
func (c *apiClient) get(ctx context.Context, path string, query url.Values, out any) error {
	return c.do(ctx, request{method: http.MethodGet, path: path, query: query}, out)
}

// do sends r and decodes the JSON answer into out (if not nil). It returns
// the API's own error as a *schema.Error with the API's code and message,
// and an unavailable *schema.Error when the API cannot be reached.
func (c *apiClient) do(ctx context.Context, r request, out any) error {
	var body io.Reader
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return fmt.Errorf("encode request: %w", err)
		}
		body = bytes.NewReader(b)
	}
	target := c.base + r.path
	if len(r.query) > 0 {
		target += "?" + r.query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, r.method, target, body)
	if err != nil {
		return fmt.Errorf("%s %s: %w", r.method, r.path, err)
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", "aegis-cli/"+version())
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	if c.csrf != "" {
		req.Header.Set(api.CSRFHeader, c.csrf)
	}
	if c.revision > 0 {
		req.Header.Set("Aegis-Min-Revision", strconv.FormatUint(c.revision, 10))
	}
	if r.idempotencyKey != "" {
		req.Header.Set("Idempotency-Key", r.idempotencyKey)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return schema.Wrap(schema.CodeUnavailable, err, "cannot reach the admin API at "+c.base)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return schema.Wrap(schema.CodeUnavailable, err, "read the admin API's answer")
	}
	if resp.StatusCode >= 300 {
		return apiError(resp, raw)
	}
	var rev struct {
		Revision uint64 `json:"revision"`
	}
	if json.Unmarshal(raw, &rev) == nil && rev.Revision > c.revision {
		c.revision = rev.Revision
	}
	if out != nil {
		if err := json.Unmarshal(raw, out); err != nil {
			return fmt.Errorf("decode the answer to %s %s: %w", r.method, r.path, err)
		}
	}
	return nil
}

// apiError returns the *schema.Error an error answer carries, or one made
// from its status when the answer is not the API's {code, message} (a
// proxy in between, say).
func apiError(resp *http.Response, raw []byte) error {
	var body api.ErrorBody
	if json.Unmarshal(raw, &body) == nil && body.Code != "" && body.Message != "" {
		return &schema.Error{Code: body.Code, Message: body.Message}
	}
	code := schema.CodeInternal
	switch {
	case resp.StatusCode == http.StatusUnauthorized:
		code = schema.CodeUnauthorized
	case resp.StatusCode == http.StatusForbidden:
		code = schema.CodeForbidden
	case resp.StatusCode == http.StatusNotFound:
		code = schema.CodeNotFound
	case resp.StatusCode >= 500:
		code = schema.CodeUnavailable
	case resp.StatusCode >= 400:
		code = schema.CodeInvalid
	}
	return schema.Errorf(code, "the admin API answered %s", resp.Status)
}

// settle waits until the read models include every change this client
// made, so that the next run of the command line (a new process, with no
// memory of this one's revision) reads them. The wait happens before the
// API checks credentials, so it works with a token just revoked too: an
// unauthorized answer means the wait is over.
func (c *apiClient) settle(ctx context.Context) error {
	if c.revision == 0 {
		return nil
	}
	err := c.get(ctx, "/api/v1/me", nil, nil)
	if schema.ErrorCode(err) == schema.CodeUnauthorized {
		return nil
	}
	return err
}

// settle is apiClient.settle for a command whose change is made: if the
// wait fails, it says so on stderr and the command still succeeds.
func (e *env) settle(ctx context.Context, c *apiClient) {
	if err := c.settle(ctx); err != nil {
		e.warn("the change is made (revision %d) but not visible yet: %s", c.revision, oneLine(err))
	}
}

// warn writes one line to stderr about something that did not stop the
// command.
func (e *env) warn(format string, a ...any) {
	fmt.Fprintf(e.stderr, "aegis: warning: "+format+"\n", a...)
}

// noServerConfig stands in for the root command's check of the server's
// configuration in commands that only talk to the admin API, which do not
// use it.
func noServerConfig(*cobra.Command, []string) error { return nil }

// addIdempotencyFlag adds --idempotency-key, sent as Idempotency-Key, to
// a command that creates something.
func addIdempotencyFlag(cmd *cobra.Command, key *string) {
	cmd.Flags().StringVar(key, "idempotency-key", "",
		"makes a retry safe: the command sent again with the same key is applied once (letters, digits, _ and -)")
}
