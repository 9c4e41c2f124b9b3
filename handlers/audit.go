package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// AuditLog shows the audit trail: all of it to managers, a contact's history to staff.
type AuditLog struct{ client *ent.Client }

// NewAuditLog returns the audit handlers.
func NewAuditLog(client *ent.Client) *AuditLog { return &AuditLog{client: client} }

// List filters the whole trail by user, record type, action and dates.
func (h *AuditLog) List(c echo.Context) error {
	ctx := c.Request().Context()
	f := pages.AuditFilter{User: c.QueryParam("user"), Entity: c.QueryParam("entity"), Action: c.QueryParam("action"),
		From: c.QueryParam("from"), To: c.QueryParam("to")}
	q := crm.AuditFilter{Entity: f.Entity, Action: f.Action}
	q.ActorID, _ = strconv.Atoi(f.User)
	q.Before, _ = strconv.Atoi(c.QueryParam("before"))
	errs := map[string]string{}
	var err error
	if q.From, err = parseDay(f.From); err != nil {
		errs["from"] = "Dates look like 2026-03-12."
	}
	if q.To, err = parseDay(f.To); err != nil {
		errs["from"] = "Dates look like 2026-03-12."
	} else if !q.To.IsZero() {
		q.To = q.To.AddDate(0, 0, 1) // the whole "to" day
	}
	page, err := crm.ListAudit(ctx, h.client, q)
	if err != nil {
		return err
	}
	us, err := h.client.User.Query().Order(user.ByName()).All(ctx)
	if err != nil {
		return err
	}
	p := pages.AuditProps{Meta: meta(c, "Audit trail"), Filter: f, Users: ownerOptions(us), Events: page.Events, Errors: errs}
	if page.Next != 0 {
		_, p.NextURL = pageLinks(routes.URL(routes.Audit), c.QueryParams(), "before", "", strconv.Itoa(page.Next))
	}
	return render(c, http.StatusOK, pages.Audit(p))
}

// History shows one contact's events.
func (h *AuditLog) History(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	ct, err := h.client.Contact.Get(c.Request().Context(), id)
	if err != nil {
		return err
	}
	before, _ := strconv.Atoi(c.QueryParam("before"))
	page, err := crm.ContactHistory(c.Request().Context(), h.client, id, before)
	if err != nil {
		return err
	}
	name := crm.DisplayName(ct.FirstName, ct.LastName)
	p := pages.HistoryProps{Meta: meta(c, "History of {{.Name}}", "Name", name), ContactID: id, Name: name, Events: page.Events}
	if page.Next != 0 {
		_, p.NextURL = pageLinks(routes.URL(routes.ContactHistory, id), nil, "before", "", strconv.Itoa(page.Next))
	}
	return render(c, http.StatusOK, pages.History(p))
}

// parseDay reads a yyyy-mm-dd date in local time; "" is the zero time.
func parseDay(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	return time.ParseInLocation("2006-01-02", s, time.Local)
}
