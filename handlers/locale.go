package handlers

import (
	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/locale"
)

// speak puts the request's language into its context: the user's choice in
// /account, else the browser's Accept-Language, else English. It runs after
// the session is loaded.
func speak(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		choice := ""
		if u := currentUser(c); u != nil {
			choice = u.Locale
		}
		l := locale.Negotiate(choice, c.Request().Header.Get("Accept-Language"))
		c.SetRequest(c.Request().WithContext(locale.With(c.Request().Context(), l)))
		c.Response().Header().Set("Content-Language", l.Code)
		return next(c)
	}
}

// tr translates a message into the request's language; see locale.T.
func tr(c echo.Context, id string, kv ...any) string {
	return locale.T(c.Request().Context(), id, kv...)
}

// currentLang is the request's language code ("de", "en").
func currentLang(c echo.Context) string { return locale.From(c.Request().Context()).Code }
