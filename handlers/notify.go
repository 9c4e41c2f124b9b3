package handlers

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/notify"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// notifyChoices are the kinds of e-mail, as /account and the unsubscribe page name them.
var notifyChoices = []pages.NotifyChoice{
	{Kind: notify.Digest, Label: "Morning digest of my follow-ups", Hint: "(on days when some are due or overdue)"},
	{Kind: notify.NominationWaiting, Label: "Nominations waiting for a manager", Hint: "(managers and admins)"},
	{Kind: notify.NominationDecided, Label: "Decisions on my nominations", Hint: ""},
	{Kind: notify.ImportFinished, Label: "My imports finished", Hint: ""},
	{Kind: notify.ExportFinished, Label: "My exports ready, approved or rejected", Hint: ""},
}

func notifyLabel(kind string) string {
	for _, c := range notifyChoices {
		if c.Kind == kind {
			return c.Label
		}
	}
	return kind
}

// Notifications serves the e-mail choices, the unsubscribe links (no
// sign-in: the signed token is the credential) and the calendar feed (its
// secret token likewise).
type Notifications struct {
	client *ent.Client
	env    notify.Settings // RAPPORT_SMTP_*: an admin's saved settings take precedence
	now    func() time.Time
}

// props are the account page's sections for the signed-in user.
func (h *Notifications) props(c echo.Context, csrf string) (pages.NotifyProps, error) {
	ctx, id := c.Request().Context(), currentUser(c).UserID
	on, err := notify.Wanted(ctx, h.client, id)
	if err != nil {
		return pages.NotifyProps{}, err
	}
	tok, err := crm.CalendarToken(ctx, h.client, id)
	if err != nil {
		return pages.NotifyProps{}, err
	}
	st, err := notify.LoadSettings(ctx, h.client, h.env)
	if err != nil {
		return pages.NotifyProps{}, err
	}
	p := pages.NotifyProps{Choices: notifyChoices, On: on, MailEnabled: st.SMTP.Enabled(), CSRF: csrf}
	if tok != "" {
		p.CalendarURL = origin(c) + routes.URL(routes.Calendar, tok+".ics")
	}
	return p, nil
}

// origin is the scheme and host the browser used.
func origin(c echo.Context) string { return c.Scheme() + "://" + c.Request().Host }

// Choose records which kinds of e-mail the user receives.
func (h *Notifications) Choose(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return crm.Errorf(crm.EInvalid, "The form could not be read.")
	}
	if err := notify.SetChoices(c.Request().Context(), h.client, currentUser(c).UserID, form["kinds"]); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Account), "Notifications saved.")
}

// CalendarNew makes a new calendar address; the old one stops working.
func (h *Notifications) CalendarNew(c echo.Context) error {
	if _, err := crm.NewCalendarToken(c.Request().Context(), h.client, currentUser(c).UserID); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Account), "Your calendar address is ready.")
}

// CalendarRevoke turns the user's calendar feed off.
func (h *Notifications) CalendarRevoke(c echo.Context) error {
	if err := crm.RevokeCalendarToken(c.Request().Context(), h.client, currentUser(c).UserID); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Account), "Your calendar feed is off.")
}

// Calendar serves the iCalendar feed of a token; 404 when it is not one.
func (h *Notifications) Calendar(c echo.Context) error {
	token := strings.TrimSuffix(c.Param("token"), ".ics")
	body, err := crm.CalendarFeed(c.Request().Context(), h.client, token, origin(c), h.now())
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `inline; filename="rapport.ics"`)
	return c.Blob(http.StatusOK, "text/calendar; charset=utf-8", []byte(body))
}

// Unsubscribe shows whom and what a link unsubscribes, with a button: a GET
// changes nothing, since mail scanners open links.
func (h *Notifications) Unsubscribe(c echo.Context) error {
	un, err := notify.ReadToken(c.Request().Context(), h.client, c.Param("token"))
	if err != nil {
		return err
	}
	return h.renderUnsubscribe(c, un)
}

// UnsubscribeOneClick unsubscribes: the page's button, and RFC 8058's
// one-click POST from a mail client.
func (h *Notifications) UnsubscribeOneClick(c echo.Context) error {
	un, err := notify.Unsubscribe(c.Request().Context(), h.client, c.Param("token"))
	if err != nil {
		return err
	}
	return h.renderUnsubscribe(c, un)
}

func (h *Notifications) renderUnsubscribe(c echo.Context, un notify.Unsubscription) error {
	return render(c, http.StatusOK, pages.Unsubscribe(pages.UnsubscribeProps{Meta: meta(c, "Unsubscribe"), Email: un.Email,
		Kind: notifyLabel(un.Kind), Done: un.Off, Token: c.Param("token")}))
}
