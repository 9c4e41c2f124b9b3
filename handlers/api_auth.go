package handlers

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/handlers/routes"
)

// apiPrefix starts every API path.
const apiPrefix = "/api/"

// scopeKey holds the scope of the request's API token.
const scopeKey = "rapport.scope"

// isAPI reports whether the request is for the JSON API.
func isAPI(c echo.Context) bool { return strings.HasPrefix(c.Request().URL.Path, apiPrefix) }

// apiAuth authenticates API requests by their bearer token, and only by it:
// a browser's session cookie counts for nothing under /api/, so the API
// needs no CSRF token and a page cannot make a signed-in browser call it.
// Each token's requests are rate limited (429 with Retry-After).
type apiAuth struct {
	tokens  *crm.APITokens
	limiter *rateLimiter
}

// withSessions runs load (the session middleware) for pages and the token
// check for the API.
func (a *apiAuth) withSessions(load echo.MiddlewareFunc) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		pages, api := load(next), a.load(next)
		return func(c echo.Context) error {
			if isAPI(c) {
				return api(c)
			}
			return pages(c)
		}
	}
}

func (a *apiAuth) load(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		setActor(c, nil)
		h := c.Request().Header.Get(echo.HeaderAuthorization)
		if h == "" {
			return next(c) // public API routes; the others answer 401
		}
		raw, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return crm.Errorf(crm.EUnauthorized, "Send the token as Authorization: Bearer rap_….")
		}
		u, err := a.tokens.Authenticate(c.Request().Context(), strings.TrimSpace(raw))
		if err != nil {
			return err
		}
		if ok, wait := a.limiter.allow(u.TokenID); !ok {
			return &crm.Error{Code: crm.ETooMany, RetryAfter: wait,
				Message: "This token made too many requests; wait for the time Retry-After says."}
		}
		p := &Principal{UserID: u.UserID, Name: u.Name, Email: u.Email, Role: u.Role}
		c.Set(userKey, p)
		c.Set(scopeKey, u.Scope)
		setActor(c, p)
		return next(c)
	}
}

// apiAuthorize is authorize for the API: 401 without a valid token, 403
// when the user's role is below need or a read-only token tries a change.
func apiAuthorize(need string, next echo.HandlerFunc) echo.HandlerFunc {
	if need == routes.Public {
		return next
	}
	return func(c echo.Context) error {
		u := currentUser(c)
		if u == nil {
			c.Response().Header().Set(echo.HeaderWWWAuthenticate, `Bearer realm="rapport"`)
			return crm.Errorf(crm.EUnauthorized, "This needs an API token: Authorization: Bearer rap_…. Create one on your account page.")
		}
		if !routes.Allows(u.Role, need) {
			who := map[string]string{routes.Manager: "managers and admins", routes.Admin: "admins"}[need]
			return crm.Errorf(crm.EForbidden, "This is only for %s; the token acts as %s.", who, u.Role)
		}
		if m := c.Request().Method; m != http.MethodGet && m != http.MethodHead && c.Get(scopeKey) != crm.ScopeWrite {
			return crm.Errorf(crm.EForbidden, "This token may only read; changes need a token with the write scope.")
		}
		return next(c)
	}
}
