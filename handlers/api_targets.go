package handlers

import (
	"net/http"
	"slices"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/handlers/routes"
)

// APITarget is a person on a campaign's target list and their pitch state.
type APITarget struct {
	ContactID  int        `json:"contact_id"`
	Name       string     `json:"name"`
	Kind       string     `json:"kind"`
	Region     string     `json:"region"`
	Outlets    string     `json:"outlets"`
	Status     string     `json:"status"`
	Source     string     `json:"source"`
	PitchedAt  *time.Time `json:"pitched_at"`
	RepliedAt  *time.Time `json:"replied_at"`
	PitchCount int        `json:"pitch_count"`
	Excluded   string     `json:"excluded,omitempty"` // why they are not pitched: the reason's code, as in the counts (do_not_contact …)
	Contact    string     `json:"contact"`
}

// APITargetPage is a page of the target list with the counts by status.
type APITargetPage struct {
	Data       []APITarget    `json:"data"`
	Total      int            `json:"total"`
	ByStatus   map[string]int `json:"by_status"`
	NextCursor string         `json:"next_cursor,omitempty"`
}

// apiTargetsBody adds people to the target list: a segment, a selection in
// the contact list's language, or contacts by id (exactly one).
type apiTargetsBody struct {
	SegmentID  int               `json:"segment_id"`
	Selection  map[string]string `json:"selection"`
	ContactIDs []int             `json:"contact_ids"`
}

// APITargetsAdded says what adding to the target list did.
type APITargetsAdded struct {
	Added     int            `json:"added"`
	AlreadyOn int            `json:"already_on"`
	Excluded  map[string]int `json:"excluded"` // added but not pitched, by reason
}

// Targets returns a page of the campaign's targets (?status= narrows) in name order.
func (h *APICampaigns) Targets(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	limit, err := apiLimit(c)
	if err != nil {
		return err
	}
	f := crm.TargetFilter{Status: c.QueryParam("status"), Limit: limit}
	if f.Status != "" && !slices.Contains(crm.PitchStatuses(), f.Status) {
		return &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.", Fields: map[string]string{"status": "A pitch status."}}
	}
	if f.After, err = apiCursor(c); err != nil {
		return err
	}
	p, err := h.pages.svc.Targets(c.Request().Context(), id, f)
	if err != nil {
		return err
	}
	out := APITargetPage{Data: make([]APITarget, len(p.Rows)), Total: p.Total, ByStatus: p.ByStatus}
	for i, r := range p.Rows {
		out.Data[i] = APITarget{ContactID: r.ContactID, Name: r.Name, Kind: r.Kind, Region: r.Region, Outlets: r.Outlets, Status: r.Status,
			Source: r.Source, PitchedAt: r.PitchedAt, RepliedAt: r.RepliedAt, PitchCount: r.PitchCount, Excluded: exclusionCode[r.Excluded],
			Contact: routes.URL(routes.APIContactShow, r.ContactID)}
	}
	out.NextCursor = p.Next
	return c.JSON(http.StatusOK, out)
}

// AddTargets freezes a segment's or a selection's members into the target
// list, or adds contacts by id, as the campaign page does.
func (h *APICampaigns) AddTargets(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	var b apiTargetsBody
	if err := readJSON(c, &b, nil); err != nil {
		return err
	}
	if !oneOf(b.SegmentID != 0, len(b.Selection) > 0, len(b.ContactIDs) > 0) || len(b.Selection) > 30 || len(b.ContactIDs) > crm.MaxTargets {
		return &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.",
			Fields: map[string]string{"segment_id": "Send one of segment_id, selection (1 to 30 keys; {\"q\": \"\"} is everyone) or contact_ids."}}
	}
	ctx := c.Request().Context()
	var res *crm.FreezeResult
	switch {
	case len(b.ContactIDs) > 0:
		res, err = h.pages.svc.AddTargets(ctx, id, b.ContactIDs)
	case b.SegmentID != 0:
		seg, serr := crm.VisibleSegment(ctx, h.pages.client, b.SegmentID)
		if serr != nil {
			return serr
		}
		res, err = h.pages.svc.FreezeTargets(ctx, id, crm.CampaignSource{SegmentID: seg.ID, Query: seg.Query, Filter: seg.Filter}, crm.SegmentSelection(seg))
	default:
		sel := selectionFrom(oneValueEach(b.Selection))
		if err := crm.CheckText("q", sel.Query); err != nil {
			return err
		}
		res, err = h.pages.svc.FreezeTargets(ctx, id, crm.CampaignSource{Query: sel.Query, Filter: sel.Filter}, sel)
	}
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, APITargetsAdded{Added: res.Added, AlreadyOn: res.AlreadyOn, Excluded: nonNilCounts(res.Excluded)})
}

// apiStatusBody moves targets to a pitch status.
type apiStatusBody struct {
	ContactIDs []int  `json:"contact_ids"`
	Status     string `json:"status"`
}

// APIStatusChanged says how many targets moved, and the reply logged for
// those who answered first now.
type APIStatusChanged struct {
	Changed       int  `json:"changed"`
	InteractionID *int `json:"interaction_id,omitempty"`
}

// SetStatus moves targets to a status by hand; a first answer (replied,
// interested, declined) logs one inbound reply, as the page's bulk action.
func (h *APICampaigns) SetStatus(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	var b apiStatusBody
	if err := readJSON(c, &b, nil); err != nil {
		return err
	}
	r, err := h.pages.svc.SetStatus(c.Request().Context(), id, b.ContactIDs, b.Status)
	if err != nil {
		return apiFields(err, map[string]string{"targets": "contact_ids"})
	}
	out := APIStatusChanged{Changed: r.Changed}
	if r.Replies != nil {
		out.InteractionID = &r.Replies.ID
	}
	return c.JSON(http.StatusOK, out)
}

func oneValueEach(m map[string]string) map[string][]string {
	v := make(map[string][]string, len(m))
	for k, x := range m {
		v[k] = []string{x}
	}
	return v
}

func nonNilCounts(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

// exclusionCode is the code of each exclusion's label (crm.ExclusionLabels).
var exclusionCode = func() map[string]string {
	m := map[string]string{}
	for code, label := range crm.ExclusionLabels {
		m[label] = code
	}
	return m
}()
