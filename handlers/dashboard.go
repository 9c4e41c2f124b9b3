package handlers

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Dashboard is the start page.
type Dashboard struct {
	client  *ent.Client
	lookups *crm.Lookups // the team's figures, cached; nil reads them every time
	now     func() time.Time
}

// NewDashboard returns the dashboard handler.
func NewDashboard(client *ent.Client, lookups *crm.Lookups) *Dashboard {
	return &Dashboard{client: client, lookups: lookups, now: time.Now}
}

// Show renders the counts and the team's recent interactions.
func (h *Dashboard) Show(c echo.Context) error {
	now := h.now()
	u := currentUser(c)
	s, work, err := crm.LoadStartPage(c.Request().Context(), h.client, h.lookups, u.UserID, routes.Allows(u.Role, routes.Manager), now)
	if err != nil {
		return err
	}
	mine, team, err := crm.LoadStartChartsFor(c.Request().Context(), h.client, h.lookups, u.UserID, routes.Allows(u.Role, routes.Manager), now)
	if err != nil {
		return err
	}
	p := pages.DashboardProps{Mine: mine, Team: team, Meta: meta(c, "Dashboard"), Contacts: s.Contacts, Outlets: s.Outlets,
		Interactions: s.Interactions, Stale: s.Stale, Now: now, Work: work}
	for _, r := range s.Recent {
		p.Recent = append(p.Recent, pages.RecentInteraction{ContactID: r.ContactID, ContactName: r.ContactName,
			Type: r.Type, Subject: r.Subject, Author: r.Author, OccurredAt: r.OccurredAt})
	}
	return render(c, http.StatusOK, pages.Dashboard(p))
}
