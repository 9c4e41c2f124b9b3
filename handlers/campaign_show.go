package handlers

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/views/components"
	"github.com/rapport-crm/rapport/views/pages"
)

// Show is a campaign's page: funnel, targets (filter ?status=), pitching, coverage.
func (h *Campaigns) Show(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	return h.show(c, id, http.StatusOK, nil, pages.CoverageForm{Kind: "article", Sentiment: "neutral", PublishedAt: h.now().Format(dateLayout)})
}

func (h *Campaigns) show(c echo.Context, id, status int, errs map[string]string, cover pages.CoverageForm) error {
	ctx := c.Request().Context()
	rep, err := h.svc.Report(ctx, id)
	if err != nil {
		return err
	}
	st := c.QueryParam("status")
	if !contains(crm.PitchStatuses(), st) {
		st = ""
	}
	after := c.QueryParam("after")
	ts, err := h.svc.Targets(ctx, id, crm.TargetFilter{Status: st, After: after})
	if err != nil {
		return err
	}
	segs, _, err := h.svc.Choices(ctx)
	if err != nil {
		return err
	}
	found, errs, status, err := searchCoverage(c, rep.Pieces, errs, status)
	if err != nil {
		return err
	}
	bar := bulkBar(c, crm.TargetSelection(id, st), ts.Total, false, rowIDs(ts.Rows, func(r crm.TargetRow) int { return r.ContactID }))
	// back to this page of the list, also when a failed POST renders the page
	bar.Back = targetsURL(id, st, after)
	return render(c, status, pages.Campaign(pages.CampaignProps{Meta: metaText(c, rep.Campaign.Name), Campaign: rep.Campaign,
		Funnel: rep.Funnel, Targets: ts, Status: st, Segments: segs, Coverage: found, Errors: errs, Cover: cover,
		CanReport: routes.Allows(currentUser(c).Role, routes.Manager), Bulk: bar, Now: h.now(),
		TargetPager: targetsPager(id, st, after, ts.Next)}))
}

// searchCoverage narrows the campaign's pieces ps to those matching the
// search text ?cq= (title, outlet, authors); text over the limits lists
// every piece with the field's message, status 422.
func searchCoverage(c echo.Context, ps []crm.Piece, errs map[string]string, status int) (*crm.CoverageSearch, map[string]string, int, error) {
	q := c.QueryParam("cq")
	found, err := crm.SearchCoverage(c.Request().Context(), ps, q)
	fields := fieldErrors(err)
	if fields == nil {
		return found, errs, status, err
	}
	if errs == nil {
		errs = map[string]string{}
	}
	maps.Copy(errs, fields)
	return &crm.CoverageSearch{Q: q, Pieces: ps, Of: len(ps)}, errs, http.StatusUnprocessableEntity, nil
}

// Targets freezes a segment's or a selection's members into the target list,
// or adds contacts by hand (ids).
func (h *Campaigns) Targets(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var res *crm.FreezeResult
	switch form, _ := c.FormParams(); {
	case c.FormValue("ids") != "":
		list, ok := ids(c.FormValue("ids"), crm.MaxTargets)
		if !ok {
			return h.show(c, id, http.StatusUnprocessableEntity, map[string]string{"ids": "Enter contact numbers separated by commas."}, pages.CoverageForm{})
		}
		res, err = h.svc.AddTargets(ctx, id, list)
	case c.FormValue("segment") != "":
		sid, _ := strconv.Atoi(c.FormValue("segment"))
		seg, serr := crm.VisibleSegment(ctx, h.client, sid)
		if serr != nil {
			return serr
		}
		res, err = h.svc.FreezeTargets(ctx, id, crm.CampaignSource{SegmentID: seg.ID, Query: seg.Query, Filter: seg.Filter}, crm.SegmentSelection(seg))
	case form.Has("q") || len(form) > 1:
		sel := selectionFrom(form)
		res, err = h.svc.FreezeTargets(ctx, id, crm.CampaignSource{Query: sel.Query, Filter: sel.Filter}, sel)
	default:
		return h.show(c, id, http.StatusUnprocessableEntity, map[string]string{"ids": "Choose a segment or enter contact numbers."}, pages.CoverageForm{})
	}
	if err != nil {
		return err
	}
	return redirectText(c, routes.URL(routes.CampaignShow, id)+"#targets", freezeText(c, res))
}

func freezeText(c echo.Context, r *crm.FreezeResult) string {
	s := tr(c, "{{.N}} added to the target list", "N", r.Added)
	if r.AlreadyOn > 0 {
		s += tr(c, ", {{.N}} were on it already", "N", r.AlreadyOn)
	}
	if n := excludedTotal(r.Excluded); n > 0 {
		s += tr(c, "; {{.N}} will not be pitched ({{.Why}})", "N", n, "Why", excludedText(c, r.Excluded))
	}
	return s + "."
}

func excludedTotal(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func excludedText(c echo.Context, m map[string]int) string {
	s := ""
	for _, k := range []string{crm.ExcludedDoNotContact, crm.ExcludedWithdrawn, crm.ExcludedObjected, crm.ExcludedNoBasis} {
		if m[k] > 0 {
			if s != "" {
				s += ", "
			}
			s += fmt.Sprintf("%d %s", m[k], tr(c, crm.ExclusionLabels[k]))
		}
	}
	return s
}

// Pitch pitches every target that may be pitched.
func (h *Campaigns) Pitch(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	return h.pitch(c, id, nil)
}

func (h *Campaigns) pitch(c echo.Context, id int, only []int) error {
	days := 0
	if d := c.FormValue("follow_up_days"); d != "" {
		n, err := strconv.Atoi(d)
		if err != nil || n < 1 || n > 365 {
			return h.show(c, id, http.StatusUnprocessableEntity, map[string]string{"follow_up_days": "Between 1 and 365 days, or empty."}, pages.CoverageForm{})
		}
		days = n
	}
	r, err := h.svc.Pitch(c.Request().Context(), id, crm.PitchInput{ContactIDs: only, Subject: c.FormValue("subject"),
		Body: c.FormValue("body"), FollowUpDays: days})
	if fields := fieldErrors(err); fields != nil {
		return h.show(c, id, http.StatusUnprocessableEntity, fields, pages.CoverageForm{})
	}
	var ce *crm.Error
	if errors.As(err, &ce) && ce.Code == crm.EConflict {
		return redirect(c, routes.URL(routes.CampaignShow, id)+"#targets", "Nobody was left to pitch: another pitch got there first.")
	}
	if err != nil {
		return err
	}
	msg := tr(c, "Pitched {{.N}}.", "N", r.Pitched)
	if r.Bounced > 0 {
		msg += " " + tr(c, "{{.N}} bounced (no e-mail address).", "N", r.Bounced)
	}
	if n := excludedTotal(r.Excluded); n > 0 {
		msg += " " + tr(c, "{{.N}} not pitched: {{.Why}}.", "N", n, "Why", excludedText(c, r.Excluded))
	}
	if r.Embargoed {
		msg += " " + tr(c, "The pitch carries the embargo.")
	}
	return redirectText(c, routes.URL(routes.CampaignShow, id)+"#targets", msg)
}

// Bulk changes the status of the targets ticked in the list's bulk form
// (ids), or pitches them.
func (h *Campaigns) Bulk(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	form, _ := c.FormParams()
	var sel []int
	for _, v := range form["ids"] {
		if n, err := strconv.Atoi(v); err == nil && len(sel) < crm.MaxTargets {
			sel = append(sel, n)
		}
	}
	if len(sel) == 0 {
		return h.show(c, id, http.StatusUnprocessableEntity, map[string]string{"targets": "Choose at least one person."}, pages.CoverageForm{})
	}
	if c.FormValue("target_action") == "pitch" {
		return h.pitch(c, id, sel)
	}
	r, err := h.svc.SetStatus(c.Request().Context(), id, sel, c.FormValue("status"))
	if fields := fieldErrors(err); fields != nil {
		return h.show(c, id, http.StatusUnprocessableEntity, fields, pages.CoverageForm{})
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.CampaignShow, id)+"#targets", "{{.N}} changed to {{.Status}}.", "N", r.Changed, "Status", locale.Label(c.Request().Context(), c.FormValue("status")))
}

// targetsURL is the campaign page at its target list, in status st ("" all),
// at the page after cursor after ("" the first): a plain link, so the
// pager works without JavaScript.
func targetsURL(id int, st, after string) string {
	q := url.Values{}
	if st != "" {
		q.Set("status", st)
	}
	if after != "" {
		q.Set("after", after)
	}
	return routes.WithQuery(routes.URL(routes.CampaignShow, id), q) + "#targets"
}

// targetsPager links the target list's first and next pages: keyset paged
// with the contact list's cursor (after is this page's, next the next's).
func targetsPager(id int, st, after, next string) components.PagerProps {
	var p components.PagerProps
	if after != "" {
		p.FirstURL = targetsURL(id, st, "")
	}
	if next != "" {
		p.NextURL = targetsURL(id, st, next)
	}
	return p
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}
