package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/handlers/routes"
)

// apiCoverageBody is a published piece to record. Unlike the page, the API
// does not read the piece's page: the title is required.
type apiCoverageBody struct {
	URL         string    `json:"url"`
	Title       string    `json:"title"`
	Outlet      string    `json:"outlet"`
	OutletType  string    `json:"outlet_type"`
	PublishedAt time.Time `json:"published_at"`
	Kind        string    `json:"kind"`
	Reach       *int64    `json:"reach"`
	Sentiment   string    `json:"sentiment"`
	KeyMessages []string  `json:"key_messages"`
	AuthorIDs   []int     `json:"author_ids"`
}

// coverageFields are the service's field names under the API's keys.
var coverageFields = map[string]string{"authors": "author_ids"}

// Coverage returns a page of the campaign's coverage, newest recorded first.
func (h *APICampaigns) Coverage(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	limit, err := apiLimit(c)
	if err != nil {
		return err
	}
	before, err := optionalID(c, "cursor")
	if err != nil {
		return &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.", Fields: map[string]string{"cursor": "Not a cursor this API gave out."}}
	}
	items, more, err := h.pages.svc.CoveragePage(c.Request().Context(), id, before, limit)
	if err != nil {
		return err
	}
	out := APIList[APICoverage]{Data: make([]APICoverage, len(items))}
	for i, it := range items {
		out.Data[i] = apiCoverage(it)
	}
	if more {
		out.NextCursor = strconv.Itoa(items[len(items)-1].ID)
	}
	return c.JSON(http.StatusOK, out)
}

// CreateCoverage records a piece through the page's AddCoverage (201 with
// Location; warnings say what to check). A URL on record already is 409.
func (h *APICampaigns) CreateCoverage(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	var b apiCoverageBody
	if err := readJSON(c, &b, nil); err != nil {
		return err
	}
	ctx := c.Request().Context()
	item, warn, err := h.pages.svc.AddCoverage(ctx, crm.CoverageInput{CampaignID: id, URL: b.URL, Title: b.Title, OutletName: b.Outlet,
		OutletType: b.OutletType, PublishedAt: b.PublishedAt, Kind: b.Kind, Reach: b.Reach, Sentiment: b.Sentiment,
		KeyMessages: b.KeyMessages, AuthorIDs: b.AuthorIDs})
	if err != nil {
		return apiFields(err, coverageFields)
	}
	if item, err = h.pages.svc.CoverageItem(ctx, item.ID); err != nil {
		return err
	}
	out := apiCoverage(item)
	out.Warnings = warn
	c.Response().Header().Set(echo.HeaderLocation, routes.URL(routes.APICoverageShow, item.ID))
	return c.JSON(http.StatusCreated, out)
}

// ShowCoverage returns one piece, if the user may see its campaign.
func (h *APICampaigns) ShowCoverage(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	item, err := h.pages.svc.CoverageItem(c.Request().Context(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, apiCoverage(item))
}

// apiPitchBody is a pitch to the targets that may be pitched (or to those
// of contact_ids among them).
type apiPitchBody struct {
	ContactIDs   []int  `json:"contact_ids"`
	Subject      string `json:"subject"`
	Body         string `json:"body"`
	FollowUpDays int    `json:"follow_up_days"`
}

// APIPitched says what a pitch did.
type APIPitched struct {
	Pitched       int            `json:"pitched"`
	Bounced       int            `json:"bounced"`
	Excluded      map[string]int `json:"excluded"`
	Skipped       int            `json:"skipped"`
	Embargoed     bool           `json:"embargoed"`
	InteractionID *int           `json:"interaction_id,omitempty"`
}

// Pitch logs one pitch to the targets that may be pitched, as the page's
// button: do-not-contact, opted-out and unlawful targets are left out,
// those without an e-mail address bounce. 409 when another pitch got there first.
func (h *APICampaigns) Pitch(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	var b apiPitchBody
	if err := readJSON(c, &b, nil); err != nil {
		return err
	}
	if b.FollowUpDays < 0 || b.FollowUpDays > 365 {
		return &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.", Fields: map[string]string{"follow_up_days": "Between 1 and 365 days, or 0 for none."}}
	}
	r, err := h.pages.svc.Pitch(c.Request().Context(), id, crm.PitchInput{ContactIDs: b.ContactIDs, Subject: b.Subject, Body: b.Body, FollowUpDays: b.FollowUpDays})
	if err != nil {
		return err
	}
	out := APIPitched{Pitched: r.Pitched, Bounced: r.Bounced, Excluded: nonNilCounts(r.Excluded), Skipped: r.Skipped, Embargoed: r.Embargoed}
	if r.Interaction != nil {
		out.InteractionID = &r.Interaction.ID
	}
	return c.JSON(http.StatusOK, out)
}
