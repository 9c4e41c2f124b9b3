package handlers

import (
	"errors"
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importjob"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/components"
	"github.com/rapport-crm/rapport/views/pages"
)

// props builds an import's page for its status; userErr, when set, is shown.
func (h *Imports) props(c echo.Context, j *ent.ImportJob, userErr error) (pages.ImportJobProps, error) {
	ctx := c.Request().Context()
	p := pages.ImportJobProps{Meta: meta(c, "Import {{.File}}", "File", j.Filename), Job: jobView(j), Errors: map[string]string{}}
	if userErr != nil {
		msg, kv := crm.UserMessage(userErr)
		p.Error = tr(c, msg, kv...)
		p.TemplateName = c.FormValue("template_name")
		var e *crm.Error
		if errors.As(userErr, &e) {
			for k, v := range e.Fields {
				p.Errors[k] = v
			}
		}
	}
	st := j.Status
	p.Editable = st == importjob.StatusUploaded || st == importjob.StatusMapped || st == importjob.StatusDryRun
	if p.Editable {
		if err := h.previewProps(c, j, &p); err != nil {
			return p, err
		}
	}
	p.Dry = p.Editable
	p.Columns = columnReport(j)
	switch st {
	case importjob.StatusRunning, importjob.StatusUploaded, importjob.StatusMapped, importjob.StatusChecking:
		return p, nil
	case importjob.StatusReverted:
		kept, err := importing.KeptContacts(ctx, h.client, j)
		if err != nil {
			return p, err
		}
		p.Kept, p.KeptCount = changedRows(kept), j.RevertKeptCount
	}
	counts, err := importing.ActionCounts(ctx, h.client, j.ID, p.Dry)
	if err != nil {
		return p, err
	}
	p.Counts, p.Filter = counts, c.QueryParam("action")
	rows, err := importing.Rows(ctx, h.client, j.ID, p.Dry, p.Filter, pages.OutcomeLimit)
	if err != nil {
		return p, err
	}
	names, err := importing.RowNames(ctx, h.client, j, rows)
	if err != nil {
		return p, err
	}
	for _, r := range rows {
		o := pages.OutcomeRow{Row: r.RowNo, Action: string(r.Action), Reason: importing.ReasonText(c.Request().Context(), r.Reason), Name: names[r.RowNo]}
		if r.ContactID != nil {
			o.ContactID = *r.ContactID
		}
		p.Outcomes = append(p.Outcomes, o)
	}
	p.CanRun = st == importjob.StatusDryRun
	p.CanResume = st == importjob.StatusInterrupted || st == importjob.StatusFailed
	p.CanRevert = revertable(st)
	return p, nil
}

// previewProps adds the decoded first rows, the read settings and the mapping.
func (h *Imports) previewProps(c echo.Context, j *ent.ImportJob, p *pages.ImportJobProps) error {
	header, recs, err := importing.Preview(j, 10)
	if err != nil {
		if crm.ErrorCode(err) != crm.EInvalid {
			return err
		}
		p.Error = crm.ErrorMessage(err)
	}
	p.Header = header
	for _, r := range recs {
		p.Preview = append(p.Preview, r.Cells)
	}
	for _, e := range importing.Encodings {
		p.Encodings = append(p.Encodings, components.Option{Value: e.Key, Label: tr(c, e.Label)})
	}
	for _, d := range importing.Delimiters {
		p.Delimiters = append(p.Delimiters, components.Option{Value: d.Key, Label: tr(c, d.Label)})
	}
	if j.Format == importjob.FormatXlsx {
		sn, err := importing.Detect(j.Filename, importing.FileOf(j))
		if err == nil {
			p.Sheets = components.Options(sn.Sheets)
			for i := range p.Sheets {
				p.Sheets[i].Label = p.Sheets[i].Value
			}
		}
	}
	p.Fields = []components.Option{{Value: "", Label: tr(c, "— ignore —")}}
	for _, f := range importing.Fields { // the labels are catalogue messages (the CLI's --help shows them too)
		p.Fields = append(p.Fields, components.Option{Value: f.Key, Label: tr(c, f.Label)})
	}
	custom, err := crm.LoadCustomFields(c.Request().Context(), h.client, crm.EntityContact)
	if err != nil {
		return err
	}
	for _, f := range custom { // the admins' fields, by their label in the user's language
		p.Fields = append(p.Fields, components.Option{Value: importing.CustomPrefix + f.Key, Label: f.Label(currentLang(c))})
	}
	ts, err := importing.Templates(c.Request().Context(), h.client)
	if err != nil {
		return err
	}
	p.Templates = []components.Option{{Value: "", Label: "—"}}
	for _, t := range ts {
		p.Templates = append(p.Templates, components.Option{Value: t.Name, Label: t.Name})
	}
	for i, col := range header {
		m := pages.MappingRow{Index: i, Column: col, Field: j.Mapping[col]}
		for _, r := range recs {
			if i < len(r.Cells) && r.Cells[i] != "" {
				m.Sample = crm.Truncate(r.Cells[i], 60)
				break
			}
		}
		p.Mapping = append(p.Mapping, m)
	}
	return nil
}

func jobView(j *ent.ImportJob) pages.ImportJobView {
	v := pages.ImportJobView{ID: j.ID, Filename: j.Filename, Format: string(j.Format), Encoding: j.Encoding, Delimiter: j.Delimiter,
		Sheet: j.Sheet, Status: string(j.Status), Message: j.Message, Total: j.TotalRows, Processed: j.ProcessedRows,
		Created: j.CreatedCount, Updated: j.UpdatedCount, Unchanged: j.UnchangedCount, Errors: j.ErrorCount, CreatedAt: j.CreatedAt}
	if u := j.Edges.User; u != nil {
		v.Owner = u.Name
	}
	if j.Status == importjob.StatusReverting {
		v.Processed, v.Total = j.RevertDone, j.RevertTotal
	}
	return v
}

func jobRows(js []*ent.ImportJob) []pages.ImportJobView {
	out := make([]pages.ImportJobView, len(js))
	for i, j := range js {
		out[i] = jobView(j)
	}
	return out
}

// defaultMaxUpload is the largest import file accepted unless configured.
const defaultMaxUpload = 50 << 20

// uploadLimit is the configured upload limit, set on the context by bodyLimits.
func uploadLimit(c echo.Context) int64 {
	if n, ok := c.Get("upload_limit").(int64); ok {
		return n
	}
	return defaultMaxUpload
}

// bodyLimits applies the general body limit to every route except the
// import upload, which gets its own, larger one; an upload over it is told
// so plainly (413), before any of it is read.
func bodyLimits(cfg Config) echo.MiddlewareFunc {
	upload := cfg.MaxUploadBytes
	if upload <= 0 {
		upload = defaultMaxUpload
	}
	isUpload := func(c echo.Context) bool {
		return c.Path() == routes.URL(routes.ImportCreate) && c.Request().Method == http.MethodPost
	}
	general := middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: bodyLimit(cfg.MaxBodyBytes), Skipper: isUpload})
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		limited := general(next)
		return func(c echo.Context) error {
			if !isUpload(c) {
				return limited(c)
			}
			c.Set("upload_limit", upload)
			if c.Request().ContentLength > upload+64<<10 { // the form around the file is small
				return uploadTooLarge(c)
			}
			c.Request().Body = http.MaxBytesReader(c.Response(), c.Request().Body, upload+64<<10)
			return next(c)
		}
	}
}

func uploadTooLarge(c echo.Context) error {
	return render(c, http.StatusRequestEntityTooLarge, pages.ImportTooLarge(pages.ImportNewProps{Meta: meta(c, "File too large"), MaxMB: uploadLimit(c) >> 20}))
}
