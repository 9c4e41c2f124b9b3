package handlers

import (
	"errors"
	"net/http"
	"sort"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
)

// Problem is an API error as RFC 9457 describes it (application/problem+json),
// with the request id and, for invalid input, one entry per field.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []ProblemField `json:"errors,omitempty"`
}

// ProblemField is what is wrong with one field of the request.
type ProblemField struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// problemTitle names each status an API error may have.
var problemTitle = map[int]string{
	http.StatusBadRequest:            "Bad request",
	http.StatusUnauthorized:          "Unauthorized",
	http.StatusForbidden:             "Forbidden",
	http.StatusNotFound:              "Not found",
	http.StatusMethodNotAllowed:      "Method not allowed",
	http.StatusConflict:              "Conflict",
	http.StatusPreconditionFailed:    "Precondition failed",
	http.StatusRequestEntityTooLarge: "Request too large",
	http.StatusUnsupportedMediaType:  "Unsupported media type",
	http.StatusUnprocessableEntity:   "Invalid input",
	http.StatusPreconditionRequired:  "Precondition required",
	http.StatusTooManyRequests:       "Too many requests",
	http.StatusInternalServerError:   "Internal error",
	http.StatusServiceUnavailable:    "Service unavailable",
}

// writeProblem answers an API request with a problem document. msg is safe to
// show (the funnel never passes an internal error's text).
func writeProblem(c echo.Context, status int, msg string, err error) error {
	p := Problem{Type: "about:blank", Title: problemTitle[status], Status: status, Detail: msg,
		RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}
	if p.Title == "" {
		p.Title = http.StatusText(status)
	}
	var e *crm.Error
	if errors.As(err, &e) && len(e.Fields) > 0 {
		for f, d := range e.Fields {
			p.Errors = append(p.Errors, ProblemField{Field: f, Detail: d})
		}
		sort.Slice(p.Errors, func(i, j int) bool { return p.Errors[i].Field < p.Errors[j].Field })
	}
	c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
	c.Response().Header().Del("Content-Security-Policy") // nothing to render
	if c.Request().Method == http.MethodHead {
		return c.NoContent(status)
	}
	return c.JSON(status, p)
}

// apiError is an error the API states with its own status (412, 428, 415).
type apiError struct {
	status int
	msg    string
}

func (e *apiError) Error() string { return e.msg }
