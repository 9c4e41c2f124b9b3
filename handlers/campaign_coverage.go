package handlers

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// CreateCoverage adds a piece of coverage to the campaign; with fetch=1 it
// reads the page's title, date and site into the form instead (and a save
// without a title reads it too). A page that cannot be read still saves by hand.
func (h *Campaigns) CreateCoverage(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	form, _ := c.FormParams()
	f := pages.CoverageForm{URL: strings.TrimSpace(c.FormValue("url")), Title: c.FormValue("title"), Outlet: c.FormValue("outlet"),
		OutletType: c.FormValue("outlet_type"), PublishedAt: c.FormValue("published_at"), Kind: c.FormValue("kind"),
		Reach: c.FormValue("reach"), Sentiment: c.FormValue("sentiment"), Authors: c.FormValue("authors"), KeyMessages: form["key_message"]}
	if f.URL != "" && (c.FormValue("fetch") == "1" || strings.TrimSpace(f.Title) == "") {
		if msg := h.readPage(c.Request().Context(), &f); msg != "" || c.FormValue("fetch") == "1" {
			errs := map[string]string{}
			if msg != "" {
				errs["url"] = msg
			}
			return h.show(c, id, http.StatusOK, errs, f)
		}
	}
	in, errs := coverageInput(id, f)
	var warn crm.CoverageWarnings
	if len(errs) == 0 {
		_, warn, err = h.svc.AddCoverage(c.Request().Context(), in)
		errs = fieldErrors(err)
		var ce *crm.Error
		if errors.As(err, &ce) && ce.Code == crm.EConflict && len(ce.Fields) > 0 {
			errs = ce.Fields
			msg, kv := crm.UserMessage(err)
			f.Message = tr(c, msg, kv...)
		}
	}
	if errs != nil {
		return h.show(c, id, http.StatusUnprocessableEntity, errs, f)
	}
	if err != nil {
		return err
	}
	return redirectText(c, routes.URL(routes.CampaignShow, id)+"#coverage", strings.TrimSpace(tr(c, "Coverage saved.")+" "+strings.Join(warn, " ")))
}

// readPage fills the form from the page's metadata; it returns why it could not.
func (h *Campaigns) readPage(ctx context.Context, f *pages.CoverageForm) string {
	if h.fetch == nil {
		return "Reading pages is switched off; enter the details by hand."
	}
	m, err := h.fetch(ctx, f.URL)
	if err != nil {
		if errors.Is(err, crm.ErrPrivateAddress) {
			return "This address is on a private network, which Rapport does not read; enter the details by hand."
		}
		return "The page could not be read; enter the details by hand."
	}
	if m.Title != "" {
		f.Title = m.Title
	}
	if m.SiteName != "" && f.Outlet == "" {
		f.Outlet = m.SiteName
	}
	if !m.Published.IsZero() {
		f.PublishedAt = m.Published.Format(dateLayout)
	}
	if f.Title == "" {
		return "The page has no title; enter it by hand."
	}
	return ""
}

func coverageInput(id int, f pages.CoverageForm) (crm.CoverageInput, map[string]string) {
	errs := map[string]string{}
	in := crm.CoverageInput{CampaignID: id, URL: f.URL, Title: f.Title, OutletName: f.Outlet, OutletType: f.OutletType,
		Kind: f.Kind, Sentiment: f.Sentiment, KeyMessages: f.KeyMessages}
	if d, err := time.Parse(dateLayout, f.PublishedAt); err == nil {
		in.PublishedAt = d.Add(12 * time.Hour)
	} else {
		errs["published_at"] = "Enter when it was published."
	}
	if r := strings.TrimSpace(f.Reach); r != "" {
		n, err := strconv.ParseInt(strings.ReplaceAll(strings.ReplaceAll(r, ".", ""), ",", ""), 10, 64)
		if err != nil || n < 0 {
			errs["reach"] = "Reach is a number of people, 0 or more."
		} else {
			in.Reach = &n
		}
	}
	list, ok := ids(f.Authors, 20)
	if !ok {
		errs["authors"] = "Enter up to 20 contact numbers separated by commas."
	}
	in.AuthorIDs = list
	if len(errs) == 0 {
		return in, nil
	}
	return in, errs
}

// Report is the campaign's report (managers).
func (h *Campaigns) Report(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	r, err := h.svc.Report(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.CampaignReport(pages.ReportProps{Meta: meta(c, "Report: {{.Name}}", "Name", r.Campaign.Name), Report: r}))
}

// ReportXLSX downloads the report, one sheet per table.
func (h *Campaigns) ReportXLSX(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	r, err := h.svc.Report(c.Request().Context(), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.WriteTablesXLSX(&buf, crm.ReportTables(r)); err != nil {
		return fmt.Errorf("report xlsx: %w", err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="campaign-%d-report.xlsx"`, id))
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// TargetsCSV downloads the target list with pitch states and embargoes.
func (h *Campaigns) TargetsCSV(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	t, err := h.svc.TargetsTable(c.Request().Context(), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := export.WriteTableCSV(&buf, t); err != nil {
		return fmt.Errorf("targets csv: %w", err)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	c.Response().Header().Set(echo.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="campaign-%d-targets.csv"`, id))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}
