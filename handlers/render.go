package handlers

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/views"
)

// render writes comp with status as an HTML page. It renders into a buffer
// first, so a failure half-way becomes a proper error page, not half a 200.
func render(c echo.Context, status int, comp templ.Component) error {
	buf := templ.GetBuffer()
	defer templ.ReleaseBuffer(buf)
	if err := comp.Render(c.Request().Context(), buf); err != nil {
		return err
	}
	return c.HTMLBlob(status, buf.Bytes())
}

// isHTMX reports whether htmx sent the request (and wants a fragment).
func isHTMX(c echo.Context) bool { return c.Request().Header.Get("HX-Request") == "true" }

// redirect answers 303 See Other, post/redirect/get style, with an optional
// flash message: a catalogue message with its placeholder pairs kv.
func redirect(c echo.Context, to, flash string, kv ...any) error {
	if flash != "" {
		flash = tr(c, flash, kv...)
	}
	return redirectText(c, to, flash)
}

// redirectText is redirect with a flash already in the user's language.
func redirectText(c echo.Context, to, flash string) error {
	if flash != "" {
		setFlash(c, flash)
	}
	return c.Redirect(http.StatusSeeOther, to)
}

const flashCookie = "rapport_flash"

func setFlash(c echo.Context, msg string) {
	c.SetCookie(&http.Cookie{Name: flashCookie, Value: encodeFlash(msg), Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, MaxAge: 60})
}

// meta builds the chrome of a page: user, CSRF token, flash (read once),
// path, and the title: a catalogue message with its placeholder pairs kv.
func meta(c echo.Context, title string, kv ...any) views.PageMeta {
	if title != "" {
		title = tr(c, title, kv...)
	}
	return metaText(c, title)
}

// metaText is meta with a title already in the user's language (a name).
func metaText(c echo.Context, title string) views.PageMeta {
	m := views.PageMeta{Title: title, Path: c.Request().URL.Path,
		RequestID: c.Response().Header().Get(echo.HeaderXRequestID)}
	if tok, ok := c.Get(csrfKey).(string); ok {
		m.CSRFToken = tok
	}
	if u := currentUser(c); u != nil {
		m.UserName, m.UserRole = u.Name, u.Role
	}
	if ck, err := c.Cookie(flashCookie); err == nil {
		m.Flash = decodeFlash(ck.Value)
		c.SetCookie(&http.Cookie{Name: flashCookie, Path: "/", MaxAge: -1, Expires: time.Unix(0, 0)})
	}
	return m
}

// timeNow is the clock of pages that show relative times.
var timeNow = time.Now

// localPath is p when it is a path on this site, else def: a redirect
// target from a form or a query must not lead anywhere else (no scheme, no
// host, no //host or /\host that browsers read as one).
func localPath(p, def string) string {
	u, err := url.Parse(p)
	if err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.HasPrefix(p, "/\\") {
		return def
	}
	return p
}
