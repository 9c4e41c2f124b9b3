package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// ContactChannelFigures serves a contact's channel's figures: the owned
// channels' figures page (chart, weekly table, form), reached from the
// channel's row on the contact page. Whoever may edit the contact records
// figures; a newer reading moves the channel's count on the contact
// (crm.ChannelFigures.Record).
type ContactChannelFigures struct {
	client *ent.Client
	svc    *crm.ChannelFigures
	now    func() time.Time
}

// channelParams are the contact (:id) and its channel (:channel).
func channelParams(c echo.Context) (int, int, error) {
	id, err := paramID(c)
	if err != nil {
		return 0, 0, err
	}
	ch, err := strconv.Atoi(c.Param("channel"))
	if err != nil || ch <= 0 {
		return 0, 0, echo.ErrNotFound
	}
	return id, ch, nil
}

// Show is the channel's figures with the form to record them.
func (h *ContactChannelFigures) Show(c echo.Context) error {
	id, ch, err := channelParams(c)
	if err != nil {
		return err
	}
	return h.page(c, http.StatusOK, id, ch, crm.FigureForm{At: h.now().UTC().Format(time.DateOnly)}, nil)
}

// Add records one reading typed on the channel's page.
func (h *ContactChannelFigures) Add(c echo.Context) error {
	id, chID, err := channelParams(c)
	if err != nil {
		return err
	}
	ch, err := crm.LoadContactChannel(c.Request().Context(), h.client, id, chID)
	if err != nil {
		return err
	}
	f := crm.FigureForm{At: c.FormValue("at"), Followers: c.FormValue("followers"), Engagement: c.FormValue("engagement"),
		Impressions: c.FormValue("impressions"), Posts: c.FormValue("posts")}
	in, fe := f.ProfileInput(ch.ID)
	if len(fe) == 0 {
		_, err = h.svc.Record(c.Request().Context(), []crm.FigureInput{in}, crm.MsgFiguresTypedFor(string(ch.Platform)+"/"+ch.Handle))
		fe = fieldErrors(err)
	}
	if len(fe) > 0 {
		return h.page(c, http.StatusUnprocessableEntity, id, chID, f, fe)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ContactChannelFigures, id, chID), "Figures saved.")
}

func (h *ContactChannelFigures) page(c echo.Context, status, id, chID int, f crm.FigureForm, errs map[string]string) error {
	ctx := c.Request().Context()
	ch, err := crm.LoadContactChannel(ctx, h.client, id, chID)
	if err != nil {
		return err
	}
	n := weeks(c)
	rep, err := h.svc.Weekly(ctx, crm.FigureScope{ProfileID: ch.ID}, n)
	if err != nil {
		return err
	}
	return render(c, status, pages.FiguresPage(pages.FiguresProps{Meta: meta(c, "Figures"), Profile: ch, Report: rep, Weeks: n,
		CanManage: routes.Allows(currentUser(c).Role, routes.Manager), Form: f, Errors: errs}))
}
