package handlers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/views/pages"
)

// Privacy is the data-protection officer's desk (/privacy) and the contact
// page's access request and erasure: managers and admins.
type Privacy struct {
	p   *crm.Privacy
	now func() time.Time
}

// NewPrivacy returns the privacy handlers.
func NewPrivacy(p *crm.Privacy, now func() time.Time) *Privacy { return &Privacy{p: p, now: now} }

// maxBulkErase bounds one bulk erasure of the review list.
const maxBulkErase = 1000

// Show is the /privacy page.
func (h *Privacy) Show(c echo.Context) error {
	o, err := h.p.Overview(c.Request().Context())
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.PrivacyPage(pages.PrivacyProps{Meta: meta(c, "Data protection"), Overview: o, Now: h.now()}))
}

// Record downloads the record-of-processing summary as XLSX.
func (h *Privacy) Record(c echo.Context) error {
	header, rows, err := h.p.RecordOfProcessing(c.Request().Context())
	if err != nil {
		return err
	}
	header, rows = recordInWords(locale.From(c.Request().Context()), header, rows)
	var buf bytes.Buffer
	if err := export.WriteTable(&buf, header, rows); err != nil {
		return err
	}
	name := "rapport-record-of-processing-" + h.now().Format("2006-01-02") + ".xlsx"
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", buf.Bytes())
}

// Access logs an access request of the contact and shows its report.
func (h *Privacy) Access(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	r, err := h.p.RequestAccess(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.PrivacyRequest, r.ID), "Access request logged; due {{.Due}}.", "Due", locale.Date(c.Request().Context(), r.DueAt))
}

// Request is the printable access report of a request (HTML).
func (h *Privacy) Request(c echo.Context) error {
	props, err := h.report(c)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.AccessReportPage(props))
}

// RequestJSON downloads the access report as JSON.
func (h *Privacy) RequestJSON(c echo.Context) error {
	props, err := h.report(c)
	if err != nil {
		return err
	}
	if props.Report == nil {
		return crm.Errorf(crm.ENotFound, "This person was erased: there is nothing left to report.")
	}
	b, err := json.MarshalIndent(props.Report, "", "  ")
	if err != nil {
		return err
	}
	name := fmt.Sprintf("rapport-access-%d-%s.json", props.Request.ID, h.now().Format("2006-01-02"))
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSONCharsetUTF8, b)
}

func (h *Privacy) report(c echo.Context) (pages.AccessReportProps, error) {
	id, err := paramID(c)
	if err != nil {
		return pages.AccessReportProps{}, err
	}
	r, err := h.p.Request(c.Request().Context(), id)
	if err != nil {
		return pages.AccessReportProps{}, err
	}
	props := pages.AccessReportProps{Meta: meta(c, "Request #{{.ID}}", "ID", r.ID), Request: r}
	if rep, err := h.p.Access(c.Request().Context(), r.ContactID); err == nil {
		props.Report = rep
	} else if crm.ErrorCode(err) != crm.ENotFound {
		return props, err
	}
	return props, nil
}

// RequestDone marks a request answered.
func (h *Privacy) RequestDone(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := h.p.CloseRequest(c.Request().Context(), id); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Privacy), "Request marked answered.")
}

// Erase erases the contact everywhere, after the confirmation box.
func (h *Privacy) Erase(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return redirect(c, routes.URL(routes.ContactShow, id)+"#consent", "Tick the confirmation box to erase this person.")
	}
	r, err := h.p.Erase(c.Request().Context(), []int{id}, crm.EraseOptions{KeepNotes: c.FormValue("keep_notes") == "1"})
	if err != nil {
		return err
	}
	return redirectText(c, routes.URL(routes.Privacy), erasedFlash(c, r))
}

// Delete is the contact page's delete: an erasure (Art. 17) like Erase,
// back to the contact list.
func (h *Privacy) Delete(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirm") != "yes" {
		return redirect(c, routes.URL(routes.ContactDeleteConfirm, id), "Confirm the delete on this page.")
	}
	if _, err := h.p.Erase(c.Request().Context(), []int{id}, crm.EraseOptions{}); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Contacts), "Contact deleted.")
}

// ConfirmDelete says what deleting the contact removes and asks.
func (h *Privacy) ConfirmDelete(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	d, err := h.p.PreviewDelete(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.ContactDeleteConfirm(pages.ContactDeleteProps{Meta: metaText(c, d.Name), Preview: d}))
}

func erasedFlash(c echo.Context, r crm.ErasureReport) string {
	return locale.N(c.Request().Context(), "Erased {{.Count}} contacts everywhere: {{.Interactions}} interactions deleted, {{.Shared}} shared ones left, {{.Audit}} audit events pseudonymised ({{.Took}}; search index rewritten in {{.Index}}).",
		len(r.IDs), "Interactions", r.Interactions, "Shared", r.Shared, "Audit", r.AuditEvents, "Took", r.Took.Round(time.Millisecond), "Index", r.Index.Round(time.Millisecond))
}

// Sweep runs the retention sweep now.
func (h *Privacy) Sweep(c echo.Context) error {
	n, err := h.p.Sweep(c.Request().Context())
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Privacy)+"#retention", "Retention sweep: {{.N}} added to the review list.", "N", n)
}

// Review decides on the review list: erase or keep the ticked people (or
// everyone listed, up to maxBulkErase).
func (h *Privacy) Review(c echo.Context) error {
	fp, err := c.FormParams()
	if err != nil {
		return crm.Errorf(crm.EInvalid, "The form could not be read. Reload the page and try again.")
	}
	var ids []int
	for _, v := range fp["contact"] {
		if id, err := strconv.Atoi(v); err == nil && len(ids) < maxBulkErase {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return crm.Errorf(crm.EInvalid, "Tick the people to decide on.")
	}
	ctx := c.Request().Context()
	switch c.FormValue("decision") {
	case "erase":
		if c.FormValue("confirm") != "yes" {
			return crm.Errorf(crm.EInvalid, "Tick the confirmation box to erase these people.")
		}
		r, err := h.p.Erase(ctx, ids, crm.EraseOptions{})
		if err != nil {
			return err
		}
		return redirectText(c, routes.URL(routes.Privacy)+"#retention", erasedFlash(c, r))
	case "keep":
		n, err := h.p.KeepReviewed(ctx, ids, strings.TrimSpace(c.FormValue("keep_reason")))
		if err != nil {
			return err
		}
		return redirect(c, routes.URL(routes.Privacy)+"#retention", "{{.N}} kept for another year.", "N", n)
	}
	return crm.Errorf(crm.EInvalid, "Choose erase or keep.")
}

// recordInWords puts the record of processing, a document for people (the
// data-protection officer), into the reader's language: headings and fixed
// texts from the catalogue, the lawful basis as its word; counts and the
// team's own values as they are.
func recordInWords(l *locale.Locale, header []string, rows [][]string) ([]string, [][]string) {
	out := make([]string, len(header))
	for i, h := range header {
		out[i] = l.T(h)
	}
	for _, r := range rows {
		for i, cell := range r {
			switch {
			case i == 1:
				r[i] = l.Label(cell)
			case l.Has(cell):
				r[i] = l.T(cell)
			}
		}
	}
	return out, rows
}
