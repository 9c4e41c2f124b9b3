package handlers

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/components"
	"github.com/rapport-crm/rapport/views/pages"
)

// KeywordRules serves the keyword alert rules and their newest alerts
// (managers and admins).
type KeywordRules struct {
	client *ent.Client
	svc    *crm.KeywordRules
	camps  *crm.Campaigns
}

func (h *KeywordRules) routes() map[string]echo.HandlerFunc {
	return map[string]echo.HandlerFunc{routes.KeywordRules: h.List, routes.KeywordRuleCreate: h.Create,
		routes.KeywordRuleToggle: h.Toggle, routes.KeywordRuleDelete: h.Delete, routes.KeywordAlertAccept: h.Accept}
}

// List shows the rules, the form for a new one and the newest alerts.
func (h *KeywordRules) List(c echo.Context) error {
	return h.page(c, http.StatusOK, pages.KeywordRuleForm{}, nil)
}

// Create adds a rule; a bad term or campaign re-renders the form (422).
func (h *KeywordRules) Create(c echo.Context) error {
	f := pages.KeywordRuleForm{Term: c.FormValue("term"), Campaign: c.FormValue("campaign")}
	in := crm.KeywordRuleInput{Term: f.Term}
	if f.Campaign != "" {
		id, err := strconv.Atoi(f.Campaign)
		if err != nil {
			return h.page(c, http.StatusUnprocessableEntity, f, map[string]string{"campaign": "Choose a campaign from the list."})
		}
		in.CampaignID = id
	}
	r, err := h.svc.Create(c.Request().Context(), in)
	if errs := fieldErrors(err); errs != nil {
		return h.page(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.KeywordRules), "Keyword rule saved: {{.Term}}", "Term", r.Term)
}

// Toggle switches a rule on (active=1) or off.
func (h *KeywordRules) Toggle(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := h.svc.SetActive(c.Request().Context(), id, c.FormValue("active") == "1"); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.KeywordRules), "Keyword rule changed.")
}

// Delete removes a rule with its alerts; the tasks they made stay.
func (h *KeywordRules) Delete(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := h.svc.Delete(c.Request().Context(), id); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.KeywordRules), "Keyword rule deleted.")
}

// Accept turns an alert into a coverage item of its campaign (or the one
// chosen) through the coverage writer and shows the campaign's coverage.
func (h *KeywordRules) Accept(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	campaignID, _ := strconv.Atoi(c.FormValue("campaign"))
	item, created, err := h.svc.AcceptAsCoverage(c.Request().Context(), h.camps, id, campaignID)
	if errs := fieldErrors(err); errs != nil {
		return h.page(c, http.StatusUnprocessableEntity, pages.KeywordRuleForm{}, errs)
	}
	if err != nil {
		return err
	}
	msg := "Accepted as coverage."
	if !created {
		msg = "This post was on record as coverage already; the alert now points to it."
	}
	return redirect(c, routes.URL(routes.CampaignShow, item.CampaignID)+"#coverage", msg)
}

func (h *KeywordRules) page(c echo.Context, status int, f pages.KeywordRuleForm, errs map[string]string) error {
	ctx := c.Request().Context()
	rules, err := h.svc.List(ctx)
	if err != nil {
		return err
	}
	alerts, err := h.svc.Alerts(ctx, 50)
	if err != nil {
		return err
	}
	cs, err := h.client.Campaign.Query().Order(ent.Asc(campaign.FieldName)).Limit(500).All(ctx)
	if err != nil {
		return err
	}
	opts := []components.Option{{Value: "", Label: "—"}}
	for _, cp := range cs {
		opts = append(opts, components.Option{Value: strconv.Itoa(cp.ID), Label: cp.Name})
	}
	return render(c, status, pages.KeywordRulesPage(pages.KeywordRulesProps{Meta: meta(c, "Keyword alerts"), Rules: rules,
		Alerts: alerts, Campaigns: opts, Form: f, Errors: errs}))
}
