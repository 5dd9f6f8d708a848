package schema_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aegis-oss/aegis/schema"
)

func TestHTTPStatus(t *testing.T) {
	for _, tc := range []struct {
		code schema.Code
		want int
	}{
		{schema.CodeInvalid, http.StatusBadRequest},
		{schema.CodeNotFound, http.StatusNotFound},
		{schema.CodeConflict, http.StatusConflict},
		{schema.CodeUnauthorized, http.StatusUnauthorized},
		{schema.CodeForbidden, http.StatusForbidden},
		{schema.CodeRateLimited, http.StatusTooManyRequests},
		{schema.CodeTooLarge, http.StatusRequestEntityTooLarge},
		{schema.CodeUnavailable, http.StatusServiceUnavailable},
		{schema.CodeTimeout, http.StatusGatewayTimeout},
		{schema.CodeBadGateway, http.StatusBadGateway},
		{schema.CodeInternal, http.StatusInternalServerError},
		{schema.Code("no_such_code"), http.StatusInternalServerError},
		{schema.Code(""), http.StatusInternalServerError},
	} {
		if got := schema.HTTPStatus(tc.code); got != tc.want {
			t.Errorf("HTTPStatus(%q) = %d, want %d", tc.code, got, tc.want)
		}
	}
}

func TestErrorsIsMatchesSentinelsThroughWrapping(t *testing.T) {
	sentinels := map[schema.Code]error{
		schema.CodeInvalid:     schema.ErrInvalid,
		schema.CodeNotFound:    schema.ErrNotFound,
		schema.CodeConflict:    schema.ErrConflict,
		schema.CodeUnavailable: schema.ErrUnavailable,
	}
	for code := range sentinels {
		errs := map[string]error{
			"Errorf":       schema.Errorf(code, "app %s: %s", "a1", code),
			"Wrap":         schema.Wrap(code, errors.New("cause"), "safe message"),
			"wrapped once": fmt.Errorf("load app: %w", schema.Errorf(code, "app a1")),
			"wrapped twice": fmt.Errorf("handle: %w",
				fmt.Errorf("load app: %w", schema.Wrap(code, errors.New("cause"), "app a1"))),
		}
		for how, err := range errs {
			for sentinelCode, sentinel := range sentinels {
				want := sentinelCode == code
				if got := errors.Is(err, sentinel); got != want {
					t.Errorf("%s %s: errors.Is(%q, Err of %s) = %v, want %v", how, code, err, sentinelCode, got, want)
				}
			}
		}
	}
}

func TestErrorsIsRejects(t *testing.T) {
	conflict := schema.Errorf(schema.CodeConflict, "slug taken")
	for _, tc := range []struct {
		name   string
		err    error
		target error
	}{
		{"plain error is no sentinel", errors.New("conflict"), schema.ErrConflict},
		{"wrapped plain error is no sentinel", fmt.Errorf("x: %w", errors.New("not_found")), schema.ErrNotFound},
		{"same code, target with a message", conflict, schema.Errorf(schema.CodeConflict, "slug taken")},
		{"other code", conflict, schema.ErrInvalid},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if errors.Is(tc.err, tc.target) {
				t.Errorf("errors.Is(%q, %q) = true, want false", tc.err, tc.target)
			}
		})
	}
}

func TestErrorsIsFindsTheCause(t *testing.T) {
	// An *Error keeps its cause in the chain, so the cause's code matches too.
	cause := schema.Errorf(schema.CodeNotFound, "app a1")
	err := schema.Wrap(schema.CodeUnavailable, cause, "read model behind")
	if !errors.Is(err, schema.ErrUnavailable) {
		t.Errorf("errors.Is(%q, ErrUnavailable) = false, want true", err)
	}
	if !errors.Is(err, schema.ErrNotFound) {
		t.Errorf("errors.Is(%q, ErrNotFound) = false, want true (the cause)", err)
	}
	if got := errors.Unwrap(err); got != cause {
		t.Errorf("errors.Unwrap(%q) = %v, want the cause %v", err, got, cause)
	}
}

func TestErrorCodeAndMessage(t *testing.T) {
	const secret = "password authentication failed for user aegis_user at 10.0.0.7"
	cause := errors.New(secret)
	for _, tc := range []struct {
		name     string
		err      error
		wantCode schema.Code
		wantMsg  string
	}{
		{"Errorf", schema.Errorf(schema.CodeNotFound, "app %s not found", "a1"), schema.CodeNotFound, "app a1 not found"},
		{"wrapped Errorf",
			fmt.Errorf("load app: %w", schema.Errorf(schema.CodeConflict, "slug %q is taken", "shop")),
			schema.CodeConflict, `slug "shop" is taken`},
		{"Wrap keeps the cause out of the message",
			fmt.Errorf("query: %w", schema.Wrap(schema.CodeUnavailable, cause, "database unavailable")),
			schema.CodeUnavailable, "database unavailable"},
		{"first *Error in the chain wins",
			fmt.Errorf("x: %w", schema.Wrap(schema.CodeForbidden, schema.Errorf(schema.CodeNotFound, "inner"), "outer")),
			schema.CodeForbidden, "outer"},
		{"plain error", cause, schema.CodeInternal, "internal error"},
		{"wrapped plain error", fmt.Errorf("connect: %w", cause), schema.CodeInternal, "internal error"},
		{"*Error without a message", schema.Wrap(schema.CodeInternal, cause, ""), schema.CodeInternal, "internal error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := schema.ErrorCode(tc.err); got != tc.wantCode {
				t.Errorf("ErrorCode(%q) = %q, want %q", tc.err, got, tc.wantCode)
			}
			got := schema.ErrorMessage(tc.err)
			if got != tc.wantMsg {
				t.Errorf("ErrorMessage(%q) = %q, want %q", tc.err, got, tc.wantMsg)
			}
			if strings.Contains(got, "password") || strings.Contains(got, "10.0.0.7") {
				t.Errorf("ErrorMessage(%q) = %q leaks the cause", tc.err, got)
			}
		})
	}
}

func TestErrorString(t *testing.T) {
	for _, tc := range []struct {
		err  *schema.Error
		want string
	}{
		{schema.Errorf(schema.CodeInvalid, "name is %s", "empty"), "invalid: name is empty"},
		{schema.Wrap(schema.CodeInternal, errors.New("disk full"), "append event"), "internal: append event: disk full"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}
