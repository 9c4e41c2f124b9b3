package handlers

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/handlers/routes"
)

// csrfKey is where the request's CSRF token waits for the page's forms.
const csrfKey = "csrf"

// csrfCookie holds the token of a browser without a session (the sign-in form).
const csrfCookie = "rapport_csrf"

// oneClickPath is the unsubscribe link's POST, exempt from the form token.
var oneClickPath = routes.PathOf(routes.UnsubscribeOneClick)

// csrf checks a token on every unsafe request: the form field _csrf or the
// X-CSRF-Token header (htmx) must equal the request's token. With a session
// the token is an HMAC of the session's secret cookie, so it is good for that
// session only and changes at every sign-in; without one it is a random value
// in an HttpOnly cookie (double submit). A failure is 403, whatever the reason.
// It runs after the session is loaded.
func csrf(cfg Config) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if isAPI(c) {
				return next(c) // bearer tokens only: no cookie, no forged request
			}
			tok := sessionCSRF(c)
			if tok == "" {
				tok = anonymousCSRF(c, cfg)
			}
			c.Set(csrfKey, tok)
			switch c.Request().Method {
			case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
				return next(c)
			}
			if c.Path() == oneClickPath {
				return next(c) // RFC 8058: mail clients post no form token; the signed link is the credential
			}
			sent := c.Request().Header.Get("X-CSRF-Token")
			if sent == "" && isMultipart(c.Request()) {
				if currentUser(c) == nil {
					// Nobody signed in uploads: refused before the body is read,
					// which could be 50 MB (an import) written to a temporary file.
					return crm.Errorf(crm.EForbidden, "The form has expired or did not come from Rapport. Reload the page and try again.")
				}
				// Files past 1 MB go to temporary files (removed by
				// removeUploads), not the 32 MB in memory that FormValue allows.
				if err := c.Request().ParseMultipartForm(multipartMemory); tooLarge(err) {
					return echo.NewHTTPError(http.StatusRequestEntityTooLarge)
				} else if err != nil {
					return crm.Errorf(crm.EInvalid, "The upload broke off or is not a form. Try again.")
				}
			}
			if sent == "" {
				sent = c.FormValue("_csrf")
			}
			if subtle.ConstantTimeCompare([]byte(sent), []byte(tok)) != 1 {
				return crm.Errorf(crm.EForbidden, "The form has expired or did not come from Rapport. Reload the page and try again.")
			}
			return next(c)
		}
	}
}

// multipartMemory is how much of a multipart form is kept in memory; the
// rest of its files goes to temporary files.
const multipartMemory = 1 << 20

func isMultipart(r *http.Request) bool {
	return strings.HasPrefix(r.Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm)
}

// removeUploads removes the temporary files of a request's multipart form
// when it has been answered. net/http removes only those of the request it
// made, and the middlewares hand on copies (WithContext) that parse the
// form: without this every upload over the in-memory part stayed in the
// temporary directory.
func removeUploads(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		defer func() {
			if f := c.Request().MultipartForm; f != nil {
				_ = f.RemoveAll()
			}
		}()
		return next(c)
	}
}

// sessionCSRF is the token of the signed-in session, "" without one.
func sessionCSRF(c echo.Context) string {
	if currentUser(c) == nil {
		return ""
	}
	ck, err := c.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return ""
	}
	mac := hmac.New(sha256.New, []byte(ck.Value))
	mac.Write([]byte("rapport csrf v1"))
	return base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// anonymousCSRF returns the browser's pre-session token, setting one if it has none.
func anonymousCSRF(c echo.Context, cfg Config) string {
	if ck, err := c.Cookie(csrfCookie); err == nil && len(ck.Value) == 43 {
		return ck.Value
	}
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	tok := base64.RawURLEncoding.EncodeToString(b)
	c.SetCookie(&http.Cookie{Name: csrfCookie, Value: tok, Path: "/", HttpOnly: true,
		Secure: cfg.SecureCookies || c.IsTLS(), SameSite: http.SameSiteLaxMode, MaxAge: 86400})
	return tok
}

// requestLogger logs one line per request with the request id, route, status
// and latency, and no personal data (no query strings, no e-mails). The
// status of a failed request is the one the error funnel gives it, which
// answers after this logs (a 404 was logged as 200).
func requestLogger(log *slog.Logger) echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogStatus: true, LogMethod: true, LogRoutePath: true, LogLatency: true, LogRequestID: true, LogError: true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			log.LogAttrs(context.Background(), slog.LevelInfo, "request",
				slog.String("request_id", v.RequestID), slog.String("method", v.Method),
				slog.String("route", v.RoutePath), slog.Int("status", statusAfter(c, v.Error)),
				slog.Duration("latency", v.Latency))
			return nil
		},
	})
}
