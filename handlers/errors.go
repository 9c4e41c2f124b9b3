package handlers

import (
	"errors"
	"log/slog"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/views/pages"
)

// statusOf maps an error kind to an HTTP status. This is the only such table.
var statusOf = map[crm.Code]int{
	crm.EInvalid:      http.StatusUnprocessableEntity,
	crm.ENotFound:     http.StatusNotFound,
	crm.EConflict:     http.StatusConflict,
	crm.EForbidden:    http.StatusForbidden,
	crm.EUnauthorized: http.StatusUnauthorized,
}

var titleOf = map[int]string{
	http.StatusBadRequest:            "That request was not understood",
	http.StatusUnauthorized:          "Please sign in",
	http.StatusForbidden:             "Not allowed",
	http.StatusNotFound:              "Not found",
	http.StatusMethodNotAllowed:      "Not allowed",
	http.StatusConflict:              "Changed in the meantime",
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
			return
		}
		status, msg := http.StatusInternalServerError, ""
		var he *echo.HTTPError
		switch code := crm.ErrorCode(err); {
		case errors.As(err, &he):
			status = he.Code
		case code != crm.EInternal:
			status, msg = statusOf[code], crm.ErrorMessage(err)
		}
		if status >= 500 {
			log.Error("request failed", "err", err, "request_id", c.Response().Header().Get(echo.HeaderXRequestID),
				"method", c.Request().Method, "route", c.Path())
		}
		if msg == "" {
			msg = defaultMessage[status]
		}
		title := titleOf[status]
		if title == "" {
			title = http.StatusText(status)
		}
		if c.Request().Method == http.MethodHead {
			_ = c.NoContent(status)
			return
		}
		p := pages.ErrorProps{Meta: meta(c, title), Status: status, Title: title, Message: msg}
		if rerr := render(c, status, pages.Error(p)); rerr != nil {
			log.Error("render error page", "err", rerr)
		}
	}
}
