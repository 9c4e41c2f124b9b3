package handlers

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/views/pages"
)

// ChannelFigures serves the channels' figures: a channel's page with its
// form, the region × topic page, the weekly table's download and the
// figures import.
type ChannelFigures struct {
	client  *ent.Client
	svc     *crm.ChannelFigures
	owned   *crm.OwnedChannels
	lookups *crm.Lookups // the matrix's axes, cached; nil reads them every time
	now     func() time.Time
}

func (h *ChannelFigures) routes() map[string]echo.HandlerFunc {
	return map[string]echo.HandlerFunc{routes.ChannelFigures: h.Show, routes.ChannelFigureAdd: h.Add,
		routes.Figures: h.Cells, routes.FiguresExport: h.Export, routes.FiguresImport: h.ImportForm, routes.FiguresImportRun: h.Import}
}

// weeks is the request's number of weeks (default 12, at most 104).
func weeks(c echo.Context) int {
	n, _ := strconv.Atoi(c.QueryParam("weeks"))
	if n <= 0 {
		return crm.DefaultFigureWeeks
	}
	return min(n, crm.MaxFigureWeeks)
}

// Show is an owned channel's figures with the form to record them.
func (h *ChannelFigures) Show(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	return h.channelPage(c, http.StatusOK, id, crm.FigureForm{At: h.now().UTC().Format(time.DateOnly)}, nil)
}

// Add records one reading typed on the channel's page.
func (h *ChannelFigures) Add(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	f := crm.FigureForm{At: c.FormValue("at"), Followers: c.FormValue("followers"), Engagement: c.FormValue("engagement"),
		Impressions: c.FormValue("impressions"), Posts: c.FormValue("posts")}
	in, fe := f.Input(id)
	if len(fe) == 0 {
		_, err = h.svc.Record(c.Request().Context(), []crm.FigureInput{in}, crm.MsgFiguresTyped(id))
		fe = fieldErrors(err)
	}
	if len(fe) > 0 {
		return h.channelPage(c, http.StatusUnprocessableEntity, id, f, fe)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ChannelFigures, id), "Figures saved.")
}

func (h *ChannelFigures) channelPage(c echo.Context, status, id int, f crm.FigureForm, errs map[string]string) error {
	ctx := c.Request().Context()
	ch, _, err := h.owned.Get(ctx, id)
	if err != nil {
		return err
	}
	n := weeks(c)
	rep, err := h.svc.Weekly(ctx, crm.FigureScope{ChannelID: id}, n)
	if err != nil {
		return err
	}
	return render(c, status, pages.FiguresPage(pages.FiguresProps{Meta: meta(c, "Figures"), Channel: ch, Report: rep, Weeks: n,
		CanManage: routes.Allows(currentUser(c).Role, routes.Manager), Form: f, Errors: errs}))
}

// Cells is the figures of the owned channels of a region and a topic (?region=, ?topic=; empty: all).
func (h *ChannelFigures) Cells(c echo.Context) error {
	ctx := c.Request().Context()
	m, err := crm.LoadChannelMatrix(ctx, h.client, h.lookups, h.now())
	if err != nil {
		return err
	}
	p := pages.FiguresProps{Meta: meta(c, "Figures by region and topic"), Regions: m.Regions, Topics: m.Topics,
		Region: c.QueryParam("region"), Topic: c.QueryParam("topic"), Weeks: weeks(c),
		CanManage: routes.Allows(currentUser(c).Role, routes.Manager)}
	if p.Report, err = h.svc.Weekly(ctx, crm.FigureScope{Region: p.Region, Topic: p.Topic}, p.Weeks); err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.FiguresPage(p))
}

// Export downloads the weekly table of a channel (?channel=), a contact's
// channel (?profile=) or a region and topic as XLSX, headers and dates in
// the user's language.
func (h *ChannelFigures) Export(c echo.Context) error {
	id, _ := strconv.Atoi(c.QueryParam("channel"))
	profile, _ := strconv.Atoi(c.QueryParam("profile"))
	rep, err := h.svc.Weekly(c.Request().Context(), crm.FigureScope{ChannelID: id, ProfileID: profile, Region: c.QueryParam("region"), Topic: c.QueryParam("topic")}, weeks(c))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	t := crm.FigureTable(rep, tr(c, "Weekly evaluation"), func(s string) string { return tr(c, s) },
		func(at time.Time) string { return locale.Date(ctx, at) })
	var buf bytes.Buffer
	if err := export.WriteTablesXLSX(&buf, []export.Table{t}); err != nil {
		return fmt.Errorf("figures xlsx: %w", err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="figures-weekly.xlsx"`)
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}
