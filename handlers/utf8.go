package handlers

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
)

// validUTF8 answers 422 when a query parameter or a form field is not valid
// UTF-8 text (`%ff` in a filter, say), before any handler or database sees it:
// PostgreSQL refuses such text with an internal error, SQLite stores it, and
// neither is what the user meant. File uploads (multipart) are read by their
// own decoders and not checked here.
func validUTF8(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := checkUTF8(c.QueryParams()); err != nil {
			return err
		}
		r := c.Request()
		if r.Method != http.MethodGet && r.Method != http.MethodHead &&
			strings.HasPrefix(r.Header.Get(echo.HeaderContentType), echo.MIMEApplicationForm) {
			form, err := c.FormParams()
			if err != nil {
				return echo.NewHTTPError(http.StatusBadRequest)
			}
			if err := checkUTF8(form); err != nil {
				return err
			}
		}
		return next(c)
	}
}

// checkUTF8 returns an invalid-input error naming every field whose name or
// value is not valid UTF-8.
func checkUTF8(v url.Values) error {
	fe := crm.FieldErrors{}
	var bad []string
	for k, vals := range v {
		ok := utf8.ValidString(k)
		for _, s := range vals {
			ok = ok && utf8.ValidString(s)
		}
		if !ok {
			name := strings.ToValidUTF8(k, "?")
			bad = append(bad, name)
			fe.Add(name, "This field contains characters that are not valid text (UTF-8). Retype it or paste it again as plain text.")
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return &crm.Error{Code: crm.EInvalid, Fields: fe,
		Message: "Some of what was sent is not valid text (UTF-8): " + strings.Join(bad, ", ") + ". Nothing was saved; go back, retype those fields and try again."}
}
