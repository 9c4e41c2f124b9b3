package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/handlers/routes"
)

// APISegment is a saved selection the user may use, with its live count.
type APISegment struct {
	ID        int    `json:"id"`
	Name      string `json:"name"`
	Owner     string `json:"owner"`
	Shared    bool   `json:"shared"`
	Count     int    `json:"count"`
	CountMore bool   `json:"count_more,omitempty"`
	Members   string `json:"members"`
}

// APISegments lists segments and their members through the one resolver.
type APISegments struct{ pages *Contacts }

// List returns a page of the segments the user may use (25 a page, as /segments).
func (h *APISegments) List(c echo.Context) error {
	page := 1
	if raw := c.QueryParam("cursor"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 1000 {
			return &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.", Fields: map[string]string{"cursor": "Not a cursor this API gave out."}}
		}
		page = n
	}
	segs, err := h.pages.selections.ListSegments(c.Request().Context(), page)
	if err != nil {
		return err
	}
	out := APIList[APISegment]{Data: make([]APISegment, len(segs.Rows))}
	for i, s := range segs.Rows {
		out.Data[i] = APISegment{ID: s.ID, Name: s.Name, Owner: s.OwnerName, Shared: s.Shared, Count: s.Count,
			CountMore: s.More, Members: routes.URL(routes.APISegmentMembers, s.ID)}
	}
	if segs.More {
		out.NextCursor = strconv.Itoa(segs.Page + 1)
	}
	return c.JSON(http.StatusOK, out)
}

// Members returns a page of the segment's contacts: the people its page lists.
func (h *APISegments) Members(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	limit, err := apiLimit(c)
	if err != nil {
		return err
	}
	cur, err := apiCursor(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	seg, err := crm.VisibleSegment(ctx, h.pages.client, id)
	if err != nil {
		return err
	}
	page, err := h.pages.selections.List(ctx, crm.ListParams{Selection: crm.SegmentSelection(seg), After: cur, Limit: limit})
	if err != nil {
		return err
	}
	total := page.Total
	return c.JSON(http.StatusOK, APIList[APIContactRow]{Data: apiContactRows(page.Rows), Total: &total, TotalMore: page.More, NextCursor: page.Next})
}
