package handlers

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Advocates serves the managers' advocate list (with the bulk bar of every
// contact list), the review queue and the coverage matrix.
type Advocates struct {
	client     *ent.Client
	now        func() time.Time
	selections *crm.Selections // resolves the list (New sets it)
	lookups    *crm.Lookups    // the coverage matrix, cached (New sets it); nil reads it every time
}

// NewAdvocates returns the advocate handlers.
func NewAdvocates(client *ent.Client) *Advocates { return &Advocates{client: client, now: time.Now} }

// List shows one page of approved advocates, filtered and sorted as the URL says.
func (h *Advocates) List(c echo.Context) error {
	f := pages.AdvocateFilter{Region: c.QueryParam("region"), Topic: c.QueryParam("topic"), Platform: c.QueryParam("platform"),
		Owner: c.QueryParam("owner"), HealthMin: c.QueryParam("health_min"), HealthMax: c.QueryParam("health_max"),
		Stale: c.QueryParam("stale") == "1", Sort: c.QueryParam("sort")}
	ctx, now := c.Request().Context(), h.now()
	params := advocateParams(f, c.QueryParam("after"))
	page, err := h.selections.ListAdvocates(ctx, params)
	if err != nil {
		return err
	}
	choices, err := crm.LoadAdvocateChoices(ctx, h.client)
	if err != nil {
		return err
	}
	stages, err := crm.LoadStages(ctx, h.client)
	if err != nil {
		return err
	}
	p := pages.AdvocatesProps{Meta: meta(c, "Advocates"), Filter: f, Rows: advocateRows(page.Contacts), Total: page.Total,
		Now: now, Stages: stages, Regions: choices.Regions, Topics: choices.Topics, Platforms: schema.Platforms,
		Owners: ownerOptions(choices.Owners)}
	p.Bulk = bulkBar(c, params.Selection(), page.Total, false, rowIDs(p.Rows, func(r pages.AdvocateRow) int { return r.ID }))
	p.FirstURL, p.NextURL = pageLinks(routes.URL(routes.Advocates), c.QueryParams(), "after", c.QueryParam("after"), page.Next)
	return render(c, http.StatusOK, pages.Advocates(p))
}

func advocateParams(f pages.AdvocateFilter, after string) crm.AdvocateParams {
	owner, _ := strconv.Atoi(f.Owner)
	lo, _ := strconv.Atoi(f.HealthMin)
	hi, _ := strconv.Atoi(f.HealthMax)
	return crm.AdvocateParams{Region: f.Region, Topic: f.Topic, Platform: f.Platform, OwnerID: owner,
		HealthMin: lo, HealthMax: hi, Stale: f.Stale, Sort: f.Sort, After: after}
}

func advocateRows(cs []*ent.Contact) []pages.AdvocateRow {
	rows := make([]pages.AdvocateRow, len(cs))
	for i, ct := range cs {
		r := pages.AdvocateRow{ID: ct.ID, Name: crm.DisplayName(ct.FirstName, ct.LastName), Region: ct.Region,
			Reach: ct.Reach, Health: ct.Health, LastTouch: ct.LastInteractionAt, TouchDueAt: ct.TouchDueAt}
		if o := ct.Edges.Owner; o != nil {
			r.Owner = o.Name
		}
		for _, t := range ct.Edges.Topics {
			r.Topics = append(r.Topics, t.Name)
		}
		for _, ch := range ct.Edges.Channels {
			r.Platforms = append(r.Platforms, string(ch.Platform))
		}
		rows[i] = r
	}
	return rows
}

// Review shows the queue of nominations waiting for a decision.
func (h *Advocates) Review(c echo.Context) error {
	return h.renderReview(c, http.StatusOK, 0, crm.DecisionInput{}, nil)
}

// renderReview renders the queue; failed is the nomination whose decision
// form has errors, shown again with the manager's input.
func (h *Advocates) renderReview(c echo.Context, status, failed int, in crm.DecisionInput, errs map[string]string) error {
	ctx := c.Request().Context()
	items, err := crm.ReviewQueue(ctx, h.client)
	if err != nil {
		return err
	}
	stages, err := crm.LoadStages(ctx, h.client)
	if err != nil {
		return err
	}
	me := 0
	if u := currentUser(c); u != nil {
		me = u.UserID
	}
	return render(c, status, pages.Review(pages.ReviewProps{Meta: meta(c, "Advocate review"), Items: items, Stages: stages,
		Now: h.now(), UserID: me, Failed: failed, Decision: in.Decision, Comment: in.Comment, Errors: errs}))
}

// Coverage shows the regions × topics matrix of active relationships.
func (h *Advocates) Coverage(c echo.Context) error {
	cov, err := crm.LoadCoverageFor(c.Request().Context(), h.client, h.lookups, h.now())
	if err != nil {
		return err
	}
	return render(c, http.StatusOK, pages.CoveragePage(pages.CoverageProps{Meta: meta(c, "Coverage"), Coverage: cov}))
}

func firstMessage(fields map[string]string) string {
	for _, k := range []string{"ids", "action", "owner", "tag", "stage"} {
		if m := fields[k]; m != "" {
			return m
		}
	}
	for _, m := range fields {
		return m
	}
	return ""
}
