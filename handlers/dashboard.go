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
	start, err := crm.LoadStart(c.Request().Context(), h.client, h.lookups, u.UserID, routes.Allows(u.Role, routes.Manager), now)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.Dashboard(pages.NewDashboardProps(meta(c, "Dashboard"), start, now)))
}
