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

// Feeds shows admins the feed poller's state and lets them check a feed now.
type Feeds struct {
	client *ent.Client
	now    func() time.Time
}

// List shows every feed: last and next poll, posts, errors.
func (h *Feeds) List(c echo.Context) error {
	fs, err := crm.FeedsForAdmin(c.Request().Context(), h.client)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.FeedsPage(pages.FeedsProps{Meta: meta(c, "Feeds"), Feeds: fs}))
}

// Check makes a feed due at once; the poller takes it within a minute.
func (h *Feeds) Check(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := crm.CheckFeedNow(c.Request().Context(), h.client, id, h.now()); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Feeds), "The feed will be checked within a minute.")
}
