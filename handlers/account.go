package handlers

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/views/pages"
)

// Account lets signed-in users manage their own account.
type Account struct {
	client *ent.Client
	logins *crm.Logins    // password changes count wrong passwords in the sign-in throttle
	tokens *crm.APITokens // nil: no token section
	notify *Notifications // nil: no notification and calendar sections
}

// NewAccount returns the account handlers.
func NewAccount(client *ent.Client, logins *crm.Logins) *Account {
	return &Account{client: client, logins: logins}
}

// Show is the account page.
func (h *Account) Show(c echo.Context) error {
	return h.render(c, http.StatusOK, nil)
}

// Password changes the user's password, ends all their sessions and starts
// a fresh one for this browser, as a sign-in does: the old cookie stops working.
func (h *Account) Password(c echo.Context) error {
	u := currentUser(c)
	err := h.logins.ChangePassword(c.Request().Context(), u.UserID, c.FormValue("current"), c.FormValue("new"))
	if fields := fieldErrors(err); fields != nil {
		return h.render(c, http.StatusUnprocessableEntity, fields)
	}
	if crm.ErrorCode(err) == crm.ETooMany { // too many wrong passwords, or all hashing slots busy
		setRetryAfter(c, err)
		return h.render(c, http.StatusTooManyRequests, map[string]string{"current": crm.ErrorMessage(err)})
	}
	if err != nil {
		return err
	}
	if err := reissueSession(c, u.UserID); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Account), "Password changed. Other devices are signed out.")
}

// Locale records the language the user picked; the next page speaks it.
func (h *Account) Locale(c echo.Context) error {
	u := currentUser(c)
	err := crm.SetLocale(c.Request().Context(), h.client, u.UserID, c.FormValue("locale"))
	if fields := fieldErrors(err); fields != nil {
		return h.render(c, http.StatusUnprocessableEntity, fields)
	}
	if err != nil {
		return err
	}
	l := locale.Negotiate(c.FormValue("locale"), c.Request().Header.Get("Accept-Language"))
	return redirectText(c, routes.URL(routes.Account), l.T("Language saved."))
}

func (h *Account) render(c echo.Context, status int, errs map[string]string) error {
	return h.renderTokens(c, status, errs, nil, "")
}

// renderTokens renders the page with the token section's errors or new token.
func (h *Account) renderTokens(c echo.Context, status int, errs, tokenErrs map[string]string, newToken string) error {
	u := currentUser(c)
	m := meta(c, "Your account")
	p := pages.AccountProps{Meta: m, Email: u.Email, Role: u.Role, Locale: u.Locale, Errors: errs,
		Tokens: pages.TokensProps{NewToken: newToken, Errors: tokenErrs, CSRF: m.CSRFToken}}
	if h.notify != nil {
		np, err := h.notify.props(c, m.CSRFToken)
		if err != nil {
			return err
		}
		p.Notify = np
	}
	if h.tokens != nil {
		ts, err := h.tokens.List(c.Request().Context(), u.UserID)
		if err != nil {
			return err
		}
		p.Tokens.Rows = tokenRows(c.Request().Context(), ts, false)
	}
	return render(c, status, pages.Account(p))
}
