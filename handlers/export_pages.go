package handlers

import (
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/exportlog"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/views/pages"
)

// List shows the user's exports, or everyone's to managers.
func (h *Exports) List(c echo.Context) error {
	u := currentUser(c)
	all := routes.Allows(u.Role, routes.Manager)
	q := h.client.ExportLog.Query().WithUser().Order(ent.Desc(exportlog.FieldID)).Limit(200)
	if !all {
		q.Where(exportlog.UserID(u.UserID))
	}
	logs, err := q.All(c.Request().Context())
	if err != nil {
		return err
	}
	p := pages.ExportsProps{Meta: meta(c, "Exports"), All: all}
	for _, l := range logs {
		p.Exports = append(p.Exports, exportRow(c, l))
	}
	return render(c, http.StatusOK, pages.Exports(p))
}

// Show is one export's page, with whom its download leaves out because
// they were excluded after the export was made.
func (h *Exports) Show(c echo.Context) error {
	log, err := h.load(c)
	if err != nil {
		return err
	}
	_, left, err := crm.LeftOutSince(c.Request().Context(), h.selections, log)
	if err != nil {
		return err
	}
	row := exportRow(c, log)
	row.LeftOutSince = exclusions(left)
	return render(c, http.StatusOK, pages.ExportShow(pages.ExportShowProps{Meta: meta(c, "Export"), Export: row}))
}

func exportRow(c echo.Context, l *ent.ExportLog) pages.ExportRow {
	u := currentUser(c)
	r := pages.ExportRow{ID: l.ID, Format: export.Label(l.Format), Purpose: l.Purpose, Status: string(l.Status), Rows: l.RowCount,
		Segment: l.SegmentName, Override: l.OverrideReason, At: l.CreatedAt, Excluded: exclusions(l.ExcludedCounts)}
	if l.Edges.User != nil {
		r.User = l.Edges.User.Name
	}
	if l.Filter.Campaign != nil && l.Purpose == crm.TargetListPurpose { // a campaign's target list: the app's words
		r.Purpose = locale.T(c.Request().Context(), crm.TargetListPurpose)
	}
	r.CanDownload = crm.CanDownload(c.Request().Context(), l) == nil
	mine := l.UserID != nil && *l.UserID == u.UserID
	r.CanDecide = l.Status == exportlog.StatusPendingApproval && routes.Allows(u.Role, routes.Manager) && !mine
	return r
}

func exclusions(m map[string]int) []pages.Exclusion {
	var out []pages.Exclusion
	for _, k := range []string{crm.ExcludedDoNotContact, crm.ExcludedWithdrawn, crm.ExcludedObjected, crm.ExcludedNoBasis, crm.ExcludedNoEmail} {
		if m[k] > 0 {
			out = append(out, pages.Exclusion{Label: crm.ExclusionLabels[k], Count: m[k]})
		}
	}
	return out
}

// form builds the export form's props with the live preview.
func (h *Exports) form(c echo.Context, segment string, sel crm.Selection, errs map[string]string) (pages.ExportFormProps, error) {
	seg, err := h.segment(c, segment)
	if err != nil {
		return pages.ExportFormProps{}, err
	}
	p := pages.ExportFormProps{Meta: meta(c, "Export"), Errors: errs, CanOverride: routes.Allows(currentUser(c).Role, routes.Manager)}
	if seg != nil {
		sel, p.SegmentName = crm.SegmentSelection(seg), seg.Name
	}
	p.Selection = selectionQuery(sel)
	if seg != nil {
		p.Selection.Set("segment", segment)
	}
	res, err := h.selections.Resolve(c.Request().Context(), sel, false)
	if err != nil {
		return p, err
	}
	p.Summary, p.Count, p.Excluded = describe(locale.From(c.Request().Context()), sel), len(res.IDs), exclusions(res.Excluded)
	format := c.FormValue("format")
	if format == "" {
		format = export.ExcelDE
	}
	for _, f := range export.Formats {
		p.Formats = append(p.Formats, pages.ExportOption{Key: f.Key, Label: f.Label, Checked: f.Key == format})
	}
	chosen := c.Request().Form["columns"]
	if len(chosen) == 0 {
		chosen = export.DefaultColumns
	}
	for _, col := range export.Columns {
		p.Columns = append(p.Columns, pages.ExportOption{Key: col.Key, Label: col.Header, Checked: slices.Contains(chosen, col.Key)})
	}
	fields, err := crm.LoadCustomFields(c.Request().Context(), h.client, crm.EntityContact)
	if err != nil {
		return p, err
	}
	for _, f := range fields { // labels are the users' words: shown as they are
		key := export.CustomPrefix + f.Key
		p.Columns = append(p.Columns, pages.ExportOption{Key: key, Label: f.Label(currentLang(c)), Checked: slices.Contains(chosen, key), Plain: true})
	}
	return p, nil
}
