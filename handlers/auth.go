package handlers

import (
	"errors"
	"net/http"
	"time"

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
	sso      *SSOConfig // nil: passwords only
}

// Form shows the login page (or sends a signed-in user on).
func (a *Auth) Form(c echo.Context) error {
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, localPath(c.QueryParam("next"), routes.URL(routes.Dashboard)))
	}
	return render(c, http.StatusOK, pages.Login(a.props(c, "", "")))
}

// props are the login page's values: the form, and the provider's button.
func (a *Auth) props(c echo.Context, email, msg string) pages.LoginProps {
	p := pages.LoginProps{Meta: meta(c, "Sign in"), Email: email, Error: msg, Next: c.QueryParam("next"), Passwords: true}
	if a.sso != nil {
		p.SSOName, p.Passwords = a.sso.Name, a.sso.PasswordLogin
		if p.SSOName == "" {
			p.SSOName = tr(c, "your organisation's account")
		}
	}
	return p
}

// Login checks the credentials, starts a fresh session and answers 303.
func (a *Auth) Login(c echo.Context) error {
	email, password := c.FormValue("email"), c.FormValue("password")
	if a.sso != nil && !a.sso.PasswordLogin {
		msg := tr(c, "Password sign-in is turned off here; sign in with {{.Provider}}.", "Provider", a.props(c, "", "").SSOName)
		return render(c, http.StatusForbidden, pages.Login(a.props(c, "", msg)))
	}
	u, err := a.logins.Login(c.Request().Context(), email, password)
	if code := crm.ErrorCode(err); code == crm.EUnauthorized || code == crm.ETooMany {
		status := http.StatusUnauthorized
		if code == crm.ETooMany {
			status = http.StatusTooManyRequests
			setRetryAfter(c, err)
		}
		return render(c, status, pages.Login(a.props(c, email, loginMessage(c, err))))
	}
	if err != nil {
		return err
	}
	if err := a.sessions.Start(c, u.ID); err != nil {
		return err
	}
	return redirect(c, localPath(c.QueryParam("next"), routes.URL(routes.Dashboard)), "")
}

// loginMessage is a refused sign-in's message in the request's language. The
// throttle's message says in {{.Minutes}} how long to wait, which its
// RetryAfter tells, rounded up to whole minutes (the message's old "+1" said
// 16 for a wait of exactly 15 minutes, and 15 or 16 by the clock's second).
func loginMessage(c echo.Context, err error) string {
	minutes := 0
	var e *crm.Error
	if errors.As(err, &e) {
		minutes = int((e.RetryAfter + time.Minute - 1) / time.Minute)
	}
	return tr(c, crm.ErrorMessage(err), "Minutes", minutes)
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
