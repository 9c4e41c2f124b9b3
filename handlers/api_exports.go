package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/exportlog"
	"github.com/rapport-crm/rapport/handlers/routes"
)

// APIExport is a logged export and where to download it.
type APIExport struct {
	ID        int            `json:"id"`
	Status    string         `json:"status"`
	Format    string         `json:"format"`
	Purpose   string         `json:"purpose"`
	Rows      int            `json:"rows"`
	Excluded  map[string]int `json:"excluded"`
	Segment   string         `json:"segment,omitempty"`
	CreatedAt time.Time      `json:"created_at"`
	Download  string         `json:"download"`
}

// apiExportBody starts an export: a segment, or a selection in the list's
// language (q and filters), a format, columns and a purpose.
type apiExportBody struct {
	SegmentID       int               `json:"segment_id"`
	Selection       map[string]string `json:"selection"`
	Format          string            `json:"format"`
	Columns         []string          `json:"columns"`
	Purpose         string            `json:"purpose"`
	IncludeExcluded bool              `json:"include_excluded"`
	OverrideReason  string            `json:"override_reason"`
}

// APIExports starts exports, reports their status and streams their files,
// through the export pages' rules (quota, approval, exclusions, the log).
type APIExports struct{ pages *Exports }

// List returns the user's exports (a manager's: everyone's), newest first.
func (h *APIExports) List(c echo.Context) error {
	limit, err := apiLimit(c)
	if err != nil {
		return err
	}
	q := h.pages.client.ExportLog.Query().Order(ent.Desc(exportlog.FieldID)).Limit(limit + 1)
	if u := currentUser(c); !routes.Allows(u.Role, routes.Manager) {
		q.Where(exportlog.UserID(u.UserID))
	}
	if cur := c.QueryParam("cursor"); cur != "" {
		before, err := strconv.Atoi(cur)
		if err != nil || before <= 0 {
			return &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.", Fields: map[string]string{"cursor": "Not a cursor this API gave out."}}
		}
		q.Where(exportlog.IDLT(before))
	}
	logs, err := q.All(c.Request().Context())
	if err != nil {
		return err
	}
	out := APIList[APIExport]{Data: []APIExport{}}
	for i, l := range logs {
		if i == limit {
			out.NextCursor = strconv.Itoa(logs[i-1].ID)
			break
		}
		out.Data = append(out.Data, apiExport(l))
	}
	return c.JSON(http.StatusOK, out)
}

// Create logs an export of the selection (201); it is ready to download at
// once unless it waits for a manager's approval (status pending_approval).
func (h *APIExports) Create(c echo.Context) error {
	var b apiExportBody
	if err := readJSON(c, &b, nil); err != nil {
		return err
	}
	if len(b.Selection) > 30 || len(b.Columns) > 100 {
		return &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.", Fields: map[string]string{"selection": "Too many values."}}
	}
	v := map[string][]string{}
	for k, x := range b.Selection {
		v[k] = []string{x}
	}
	req := crm.ExportRequest{Selection: selectionFrom(v), Format: b.Format, Columns: b.Columns, Purpose: b.Purpose,
		IncludeExcluded: b.IncludeExcluded, OverrideReason: b.OverrideReason}
	if b.SegmentID != 0 {
		seg, err := crm.VisibleSegment(c.Request().Context(), h.pages.client, b.SegmentID)
		if err != nil {
			return err
		}
		req.Selection, req.SegmentID, req.SegmentName = crm.SegmentSelection(seg), seg.ID, seg.Name
	}
	log, _, err := crm.StartExport(c.Request().Context(), h.pages.selections, req, time.Now())
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, routes.URL(routes.APIExportShow, log.ID))
	return c.JSON(http.StatusCreated, apiExport(log))
}

// Show reports an export's status.
func (h *APIExports) Show(c echo.Context) error {
	log, err := h.pages.load(c)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, apiExport(log))
}

// Download streams the export's file, as the page's download does.
func (h *APIExports) Download(c echo.Context) error { return h.pages.Download(c) }

func apiExport(l *ent.ExportLog) APIExport {
	ex := l.ExcludedCounts
	if ex == nil {
		ex = map[string]int{}
	}
	return APIExport{ID: l.ID, Status: string(l.Status), Format: l.Format, Purpose: l.Purpose, Rows: l.RowCount,
		Excluded: ex, Segment: l.SegmentName, CreatedAt: l.CreatedAt, Download: routes.URL(routes.APIExportDownload, l.ID)}
}
