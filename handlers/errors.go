package handlers

import (
	"context"
	"database/sql/driver"
	"fmt"
	"io"
	"net"
	"regexp"
	"strconv"
	"syscall"
	"time"

	"errors"
	"github.com/lib/pq"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/search"
	"github.com/rapport-crm/rapport/views/pages"
)

// statusOf maps an error kind to an HTTP status. This is the only such table.
var statusOf = map[crm.Code]int{
	crm.EInvalid:      http.StatusUnprocessableEntity,
	crm.ENotFound:     http.StatusNotFound,
	crm.EConflict:     http.StatusConflict,
	crm.EForbidden:    http.StatusForbidden,
	crm.EUnauthorized: http.StatusUnauthorized,
	crm.ETooMany:      http.StatusTooManyRequests,
	crm.EUnavailable:  http.StatusServiceUnavailable,
}

var titleOf = map[int]string{
	http.StatusBadRequest:            "That request was not understood",
	http.StatusUnauthorized:          "Please sign in",
	http.StatusForbidden:             "Not allowed",
	http.StatusNotFound:              "Not found",
	http.StatusMethodNotAllowed:      "Not allowed",
	http.StatusConflict:              "Changed in the meantime",
	http.StatusTooManyRequests:       "Too many attempts",
	http.StatusRequestEntityTooLarge: "Too large",
	http.StatusUnprocessableEntity:   "Please check your input",
	http.StatusServiceUnavailable:    "Temporarily unavailable",
	http.StatusInternalServerError:   "Something went wrong",
}

var defaultMessage = map[int]string{
	http.StatusBadRequest:            "The form or link was malformed. Go back and try again.",
	http.StatusNotFound:              "There is nothing at this address. It may have been deleted.",
	http.StatusMethodNotAllowed:      "This address does not accept that kind of request.",
	http.StatusForbidden:             "Your role does not allow this. Ask an admin if you need it.",
	http.StatusRequestEntityTooLarge: "What you sent is larger than Rapport accepts.",
	http.StatusServiceUnavailable:    "Rapport cannot reach its database right now. Try again in a moment.",
	http.StatusInternalServerError:   "This is our fault, not yours. Nothing you typed was saved by this request; please try again. If it keeps happening, tell your admin the reference below.",
}

// errorHandler is the one error funnel. Errors of a known kind become their
// status with a message safe to show; anything else is logged once with the
// request id and shown as a generic page.
func errorHandler(log *slog.Logger) echo.HTTPErrorHandler {
	return func(err error, c echo.Context) {
		if c.Response().Committed {
			// Too late for an error page (a download broke off): log it.
			if crm.ErrorCode(err) == crm.EInternal {
				log.Error("request failed after the response started", "err", redacted{err},
					"request_id", c.Response().Header().Get(echo.HeaderXRequestID), "route", c.Path())
			}
			return
		}
		status, msg := http.StatusInternalServerError, ""
		var args []any // msg's placeholders
		var he *echo.HTTPError
		var te *search.TextError
		var ae *apiError
		switch code := crm.ErrorCode(err); {
		case errors.As(err, &ae):
			status, msg = ae.status, ae.msg
		case errors.As(err, &he):
			status = he.Code
		case code != crm.EInternal:
			status = statusOf[code]
			msg, args = crm.UserMessage(err)
		case errors.As(err, &te): // text that a page did not check itself (a saved segment, a link)
			status, msg = http.StatusUnprocessableEntity, te.Message
		case errors.Is(err, search.ErrOverBudget):
			status, msg = http.StatusServiceUnavailable, "This search took too long. Try fewer words, or more letters of each."
		}
		if unavailable(err) {
			status, msg, args = http.StatusServiceUnavailable, "", nil
			err = &crm.Error{Code: crm.EUnavailable, RetryAfter: 5 * time.Second, Message: defaultMessage[status]}
		}
		setRetryAfter(c, err)
		if errors.Is(err, search.ErrOverBudget) { // its text says the text's length, never the text
			log.Warn("search over budget", "err", redacted{err}, "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"route", c.Path())
		}
		if status >= 500 && status != http.StatusServiceUnavailable {
			log.Error("request failed", "err", redacted{err}, "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "route", c.Path())
		}
		if msg == "" {
			msg = defaultMessage[status]
		}
		title := titleOf[status]
		if title == "" {
			title = http.StatusText(status)
		}
		title, msg = tr(c, title), tr(c, msg, args...)
		if isAPI(c) {
			if status >= 500 && status != http.StatusServiceUnavailable {
				msg = "Something went wrong on our side; quote the request id if it keeps happening."
			}
			_ = writeProblem(c, status, msg, err)
			return
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(status)
			return
		}
		// The page renders even when the request's deadline has passed.
		c.SetRequest(c.Request().WithContext(context.WithoutCancel(c.Request().Context())))
		p := pages.ErrorProps{Meta: metaText(c, title), Status: status, Title: title, Message: msg}
		if rerr := render(c, status, pages.Error(p)); rerr != nil {
			log.Error("render error page", "err", rerr)
		}
	}
}

// setRetryAfter sets the Retry-After header from an error that carries one.
func setRetryAfter(c echo.Context, err error) {
	var e *crm.Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		c.Response().Header().Set("Retry-After", strconv.Itoa(int(e.RetryAfter.Seconds())))
	}
}

// unavailable reports whether err says the database cannot be reached (down,
// restarting, refusing connections), which is a 503 to retry, not a bug.
func unavailable(err error) bool {
	var pqErr *pq.Error
	if errors.As(err, &pqErr) {
		class := pqErr.Code.Class()
		return class == "08" || class == "57" || class == "53"
	}
	var opErr *net.OpError
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, driver.ErrBadConn) || errors.As(err, &opErr) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) || errors.Is(err, io.ErrUnexpectedEOF)
}

var emailLike = regexp.MustCompile(`[^\s@()<>"',;:=]+@[^\s@()<>"',;:=]+\.[A-Za-z]{2,}`)

// redact removes e-mail addresses from text bound for the log: driver errors
// quote the values that broke a constraint.
func redact(s string) string { return emailLike.ReplaceAllString(s, "[e-mail]") }

// redacted logs an error without the e-mail addresses in its text. It is
// only ever a log value: users see the funnel's generic message.
type redacted struct{ err error }

// LogValue implements slog.LogValuer.
func (r redacted) LogValue() slog.Value { return slog.StringValue(redact(fmt.Sprint(r.err))) }
