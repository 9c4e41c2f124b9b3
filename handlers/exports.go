package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/exportlog"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Exports serves the export form, the export log and downloads.
type Exports struct {
	client     *ent.Client
	loader     export.Loader
	selections *crm.Selections
}

// NewExports returns the export handlers.
func NewExports(d *db.DB, sels *crm.Selections) *Exports {
	return &Exports{client: d.Client, loader: export.Loader{DB: d.SQL, Dialect: d.Dialect}, selections: sels}
}

// New shows the form with a preview: how many will be exported, who is left out.
func (h *Exports) New(c echo.Context) error {
	sel := selectionFrom(c.QueryParams())
	if err := crm.CheckText("q", sel.Query); err != nil {
		return err
	}
	p, err := h.form(c, c.QueryParams().Get("segment"), sel, nil)
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.ExportForm(p))
}

// Create logs the export (freezing its members) and sends the user to it.
func (h *Exports) Create(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return crm.Errorf(crm.EInvalid, "The form could not be read.")
	}
	req := crm.ExportRequest{Selection: selectionFrom(form), Format: form.Get("format"), Columns: form["columns"],
		Purpose: form.Get("purpose"), IncludeExcluded: form.Get("include_excluded") != "", OverrideReason: form.Get("override_reason")}
	if err := crm.CheckText("q", req.Query); err != nil {
		return err // the form cannot be shown again: its preview would search the text
	}
	if seg, err := h.segment(c, form.Get("segment")); err != nil {
		return err
	} else if seg != nil {
		req.Selection, req.SegmentID, req.SegmentName = crm.SegmentSelection(seg), seg.ID, seg.Name
	}
	log, _, err := crm.StartExport(c.Request().Context(), h.selections, req, time.Now())
	if fields := fieldErrors(err); fields != nil {
		p, ferr := h.form(c, form.Get("segment"), req.Selection, fields)
		if ferr != nil {
			return ferr
		}
		p.Purpose, p.OverrideReason, p.Include = req.Purpose, req.OverrideReason, req.IncludeExcluded
		return render(c, http.StatusUnprocessableEntity, pages.ExportForm(p))
	}
	if err != nil {
		return err
	}
	flash := "Export ready."
	if log.Status == exportlog.StatusPendingApproval {
		flash = "This export is larger than your daily limit and waits for a manager's approval."
	}
	return redirect(c, routes.URL(routes.ExportShow, log.ID), flash)
}

// Download streams the export's file in batches.
func (h *Exports) Download(c echo.Context) error {
	log, err := h.load(c)
	if err != nil {
		return err
	}
	if err := crm.CanDownload(c.Request().Context(), log); err != nil {
		return err
	}
	mime, ext := formatInfo(log.Format)
	name := fmt.Sprintf("rapport-export-%d-%s.%s", log.ID, log.CreatedAt.Format("2006-01-02"), ext)
	c.Response().Header().Set(echo.HeaderContentType, mime)
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	c.Response().WriteHeader(http.StatusOK)
	_, err = crm.WriteExport(c.Request().Context(), h.selections, h.loader, c.Response(), log)
	return err
}

// Approve lets a pending staff export be downloaded.
func (h *Exports) Approve(c echo.Context) error { return h.decide(c, true) }

// Reject refuses a pending staff export.
func (h *Exports) Reject(c echo.Context) error { return h.decide(c, false) }

func (h *Exports) decide(c echo.Context, approve bool) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := crm.DecideExport(c.Request().Context(), h.client, id, approve); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.ExportShow, id), "Decision saved.")
}

func (h *Exports) load(c echo.Context) (*ent.ExportLog, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	log, err := h.client.ExportLog.Query().Where(exportlog.ID(id)).WithUser().Only(c.Request().Context())
	if err != nil {
		return nil, err
	}
	if u := currentUser(c); !routes.Allows(u.Role, routes.Manager) && (log.UserID == nil || *log.UserID != u.UserID) {
		return nil, crm.Errorf(crm.ENotFound, "There is no such export of yours.")
	}
	return log, nil
}

// segment loads the segment named by a form or URL value, if any.
func (h *Exports) segment(c echo.Context, raw string) (*ent.Segment, error) {
	if raw == "" {
		return nil, nil
	}
	id, err := strconv.Atoi(raw)
	if err != nil {
		return nil, crm.Errorf(crm.ENotFound, "This segment does not exist (any more).")
	}
	return crm.VisibleSegment(c.Request().Context(), h.client, id)
}

func formatInfo(f string) (mime, ext string) {
	for _, x := range export.Formats {
		if x.Key == f {
			return x.MIME, x.Ext
		}
	}
	return "application/octet-stream", "bin"
}
