package handlers

import (
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/handlers/routes"
)

// APICampaigns serves /api/v1/campaigns through the campaign service the
// pages use (crm.Campaigns): it decides who may see and run each campaign,
// writes and audits.
type APICampaigns struct{ pages *Campaigns }

// campaignFields are the service's field names under the API's keys.
var campaignFields = map[string]string{"brand": "client_id"}

// List returns a page of the campaigns the user may see, newest start first.
func (h *APICampaigns) List(c echo.Context) error {
	limit, err := apiLimit(c)
	if err != nil {
		return err
	}
	f := crm.CampaignFilter{Limit: limit, Status: c.QueryParam("status"), Older: c.QueryParam("cursor")}
	bad := map[string]string{}
	if f.Status != "" && campaign.StatusValidator(campaign.Status(f.Status)) != nil {
		bad["status"] = "One of planned, running, done."
	}
	if f.BrandID, err = optionalID(c, "client_id"); err != nil {
		bad["client_id"] = "A client's id."
	}
	if len(bad) > 0 {
		return &crm.Error{Code: crm.EInvalid, Message: "Please correct the marked fields.", Fields: bad}
	}
	page, err := h.pages.svc.Page(c.Request().Context(), f)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, APIList[APICampaignRow]{Data: apiCampaignRows(page.Rows), NextCursor: page.Older})
}

// Show returns one campaign with its ETag.
func (h *APICampaigns) Show(c echo.Context) error {
	cp, err := h.load(c)
	if err != nil {
		return err
	}
	return h.write(c, http.StatusOK, cp)
}

// Create adds a campaign owned by the token's user (201 with Location and ETag).
func (h *APICampaigns) Create(c echo.Context) error {
	var body APICampaign
	if err := readJSON(c, &body, nil); err != nil {
		return err
	}
	cp, err := h.pages.svc.CreateCampaign(c.Request().Context(), body.input())
	if err != nil {
		return apiFields(err, campaignFields)
	}
	if cp, err = h.pages.svc.Campaign(c.Request().Context(), cp.ID); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, routes.URL(routes.APICampaignShow, cp.ID))
	return h.write(c, http.StatusCreated, cp)
}

// Update patches the campaign's fields (status too) with those the body
// sends. It needs If-Match: 412 when the ETag is stale, 409 when someone
// saved in between.
func (h *APICampaigns) Update(c echo.Context) error {
	cp, err := h.load(c)
	if err != nil {
		return err
	}
	switch sent, ok := ifMatch(c, cp.Version); {
	case !sent:
		return errNeedIfMatch
	case !ok:
		return errStale
	}
	patched := apiCampaign(cp)
	if err := readJSON(c, &patched, nil); err != nil {
		return err
	}
	if cp, err = h.pages.svc.UpdateCampaign(c.Request().Context(), cp.ID, cp.Version, patched.input()); err != nil {
		return apiFields(err, campaignFields)
	}
	return h.write(c, http.StatusOK, cp)
}

func (h *APICampaigns) load(c echo.Context) (*ent.Campaign, error) {
	id, err := paramID(c)
	if err != nil {
		return nil, err
	}
	return h.pages.svc.Campaign(c.Request().Context(), id)
}

func (h *APICampaigns) write(c echo.Context, status int, cp *ent.Campaign) error {
	c.Response().Header().Set("ETag", etag(cp.Version))
	return c.JSON(status, apiCampaign(cp))
}

// optionalID reads the query parameter name as a positive id (0 when absent).
func optionalID(c echo.Context, name string) (int, error) {
	raw := c.QueryParam(name)
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil || n <= 0 {
		return 0, strconv.ErrSyntax
	}
	return n, nil
}

// oneOf reports whether exactly one of the flags is set.
func oneOf(flags ...bool) bool {
	return len(slices.DeleteFunc(flags, func(b bool) bool { return !b })) == 1
}
