package api

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"github.com/aegis-oss/aegis/schema"
)

// apiError is the body of every error answer, huma's included: a code a
// client can branch on and a message a person can read.
type apiError struct {
	status  int
	Code    schema.Code `json:"code" doc:"What went wrong, for programs: invalid, not_found, conflict, unauthorized, forbidden, rate_limited, too_large, unavailable, timeout, internal."`
	Message string      `json:"message" doc:"What went wrong, for people."`
}

func (e *apiError) Error() string  { return e.Message }
func (e *apiError) GetStatus() int { return e.status }

// statusCodes maps the statuses huma produces on its own (validation,
// unknown content types, oversize bodies) to Aegis codes.
var statusCodes = map[int]schema.Code{
	http.StatusBadRequest:            schema.CodeInvalid,
	http.StatusUnprocessableEntity:   schema.CodeInvalid,
	http.StatusUnsupportedMediaType:  schema.CodeInvalid,
	http.StatusNotAcceptable:         schema.CodeInvalid,
	http.StatusMethodNotAllowed:      schema.CodeInvalid,
	http.StatusUnauthorized:          schema.CodeUnauthorized,
	http.StatusForbidden:             schema.CodeForbidden,
	http.StatusNotFound:              schema.CodeNotFound,
	http.StatusConflict:              schema.CodeConflict,
	http.StatusRequestEntityTooLarge: schema.CodeTooLarge,
	http.StatusTooManyRequests:       schema.CodeRateLimited,
	http.StatusServiceUnavailable:    schema.CodeUnavailable,
	http.StatusGatewayTimeout:        schema.CodeTimeout,
}

func init() {
	// Every error huma writes itself (a request that fails validation, a
	// body over the limit) takes Aegis's shape.
	huma.NewError = func(status int, msg string, errs ...error) huma.StatusError {
		code, ok := statusCodes[status]
		if !ok {
			code = schema.CodeInternal
		}
		status = schema.HTTPStatus(code) // 422 becomes 400, like every invalid request
		var details []string
		for _, err := range errs {
			switch d := err.(type) {
			case nil:
			case huma.ErrorDetailer:
				// Location and message only: the value may be a password.
				det := d.ErrorDetail()
				if det.Location != "" {
					details = append(details, det.Location+": "+det.Message)
				} else {
					details = append(details, det.Message)
				}
			default:
				details = append(details, err.Error())
			}
		}
		if len(details) > 0 {
			msg = strings.TrimSuffix(msg, ".") + ": " + strings.Join(details, "; ")
		}
		if code == schema.CodeInternal {
			msg = "internal error"
		}
		return &apiError{status: status, Code: code, Message: msg}
	}
}

// fail turns an error from a command or a query into the API's error
// answer. Internal errors are logged, and shown only as "internal error".
func fail(logger *slog.Logger, err error) error {
	code := schema.ErrorCode(err)
	if code == schema.CodeInternal {
		var se huma.StatusError
		if errors.As(err, &se) {
			return err // huma's own, already shaped
		}
		logger.Error("admin API request failed", "err", err)
	}
	return &apiError{status: schema.HTTPStatus(code), Code: code, Message: schema.ErrorMessage(err)}
}
