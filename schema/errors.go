package schema

import (
	"errors"
	"fmt"
	"net/http"
)

// Code names a kind of failure. Codes are part of the public API: clients
// branch on them, so they never change meaning.
type Code string

// The error codes. HTTPStatus maps each to its HTTP status.
const (
	CodeInvalid      Code = "invalid"      // the request is malformed or breaks a rule
	CodeNotFound     Code = "not_found"    // the thing does not exist, or is not yours
	CodeConflict     Code = "conflict"     // a concurrent change or a taken unique value
	CodeUnauthorized Code = "unauthorized" // no valid credentials
	CodeForbidden    Code = "forbidden"    // credentials valid, permission missing
	CodeRateLimited  Code = "rate_limited" // too many requests
	CodeTooLarge     Code = "too_large"    // a body or header over its limit
	CodeUnavailable  Code = "unavailable"  // a dependency is down or a read model is behind
	CodeTimeout      Code = "timeout"      // an upstream or a wait ran out of time
	CodeBadGateway   Code = "bad_gateway"  // the gateway could not reach an upstream
	CodeInternal     Code = "internal"     // a bug or an unexpected failure; details are logged
)

var codeStatus = map[Code]int{
	CodeInvalid:      http.StatusBadRequest,
	CodeNotFound:     http.StatusNotFound,
	CodeConflict:     http.StatusConflict,
	CodeUnauthorized: http.StatusUnauthorized,
	CodeForbidden:    http.StatusForbidden,
	CodeRateLimited:  http.StatusTooManyRequests,
	CodeTooLarge:     http.StatusRequestEntityTooLarge,
	CodeUnavailable:  http.StatusServiceUnavailable,
	CodeTimeout:      http.StatusGatewayTimeout,
	CodeBadGateway:   http.StatusBadGateway,
	CodeInternal:     http.StatusInternalServerError,
}

// HTTPStatus returns the HTTP status for code, or 500 for a code it does
// not know.
func HTTPStatus(code Code) int {
	if s, ok := codeStatus[code]; ok {
		return s
	}
	return http.StatusInternalServerError
}

// Error is the one error type that crosses Aegis's boundaries. Message is
// safe to show to whoever made the request; Err, the cause, is for logs.
type Error struct {
	Code    Code
	Message string
	Err     error
}

// Errorf returns an *Error with code and a formatted, user-safe message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Wrap returns an *Error with code and message that keeps err as its cause.
func Wrap(code Code, err error, message string) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same code, so that
// errors.Is(err, ErrConflict) matches any conflict.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Message == "" && t.Code == e.Code
}

// Sentinels for errors.Is: each matches every *Error of its code.
var (
	ErrInvalid     = &Error{Code: CodeInvalid}
	ErrNotFound    = &Error{Code: CodeNotFound}
	ErrConflict    = &Error{Code: CodeConflict}
	ErrUnavailable = &Error{Code: CodeUnavailable}
)

// ErrorCode returns the code of the first *Error in err's chain, or
// CodeInternal if there is none.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// ErrorMessage returns the user-safe message of the first *Error in err's
// chain, or a generic message that reveals nothing if there is none.
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) && e.Message != "" {
		return e.Message
	}
	return "internal error"
}
