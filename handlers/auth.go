package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Auth signs users in and out.
type Auth struct {
	client   *ent.Client
	logins   *crm.Logins
	sessions *Sessions
}

// Form shows the login page (or sends a signed-in user on).
func (a *Auth) Form(c echo.Context) error {
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, localPath(c.QueryParam("next"), routes.URL(routes.Dashboard)))
	}
	return render(c, http.StatusOK, pages.Login(pages.LoginProps{Meta: meta(c, "Sign in"), Next: c.QueryParam("next")}))
}

// Login checks the credentials, starts a fresh session and answers 303.
func (a *Auth) Login(c echo.Context) error {
	email, password := c.FormValue("email"), c.FormValue("password")
	u, err := a.logins.Login(c.Request().Context(), email, password)
	if code := crm.ErrorCode(err); code == crm.EUnauthorized || code == crm.ETooMany {
		status := http.StatusUnauthorized
		if code == crm.ETooMany {
			status = http.StatusTooManyRequests
			setRetryAfter(c, err)
		}
		return render(c, status, pages.Login(pages.LoginProps{
			Meta: meta(c, "Sign in"), Email: email, Error: crm.ErrorMessage(err), Next: c.QueryParam("next")}))
	}
	if err != nil {
		return err
	}
	if err := a.sessions.Start(c, u.ID); err != nil {
		return err
	}
	return redirect(c, localPath(c.QueryParam("next"), routes.URL(routes.Dashboard)), "")
}

// Logout ends the session server-side and answers 303 to the login page.
func (a *Auth) Logout(c echo.Context) error {
	if err := crm.RecordLogout(c.Request().Context(), a.client); err != nil {
		return err
	}
	if err := a.sessions.End(c); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Login), "You are signed out.")
}
