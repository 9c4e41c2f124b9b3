package handlers

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/views/pages"
)

// Segments serves saved searches.
type Segments struct {
	client     *ent.Client
	selections *crm.Selections // counts them as the list and the export resolve them
}

// NewSegments returns the segment handlers.
func NewSegments(client *ent.Client, sels *crm.Selections) *Segments {
	return &Segments{client: client, selections: sels}
}

// List shows the user's and the team's segments with live counts.
func (h *Segments) List(c echo.Context) error {
	page, _ := strconv.Atoi(c.QueryParam("page"))
	segs, err := h.selections.ListSegments(c.Request().Context(), page)
	if err != nil {
		return err
	}
	p := pages.SegmentsProps{Meta: meta(c, "Segments")}
	for _, s := range segs.Rows {
		sel := crm.SegmentSelection(s.Segment)
		p.Segments = append(p.Segments, pages.SegmentRow{ID: s.ID, Name: s.Name, Owner: s.OwnerName, Shared: s.Shared,
			Mine: s.Mine, Count: s.Count, CountMore: s.More, CountError: s.CountError, Summary: describe(sel), Query: selectionQuery(sel)})
	}
	next := ""
	if segs.More {
		next = strconv.Itoa(segs.Page + 1)
	}
	p.Pager.FirstURL, p.Pager.NextURL = pageLinks(routes.URL(routes.Segments), c.QueryParams(), "page", c.QueryParam("page"), next)
	return render(c, http.StatusOK, pages.Segments(p))
}

// Create saves the posted selection under a name.
func (h *Segments) Create(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return crm.Errorf(crm.EInvalid, "The form could not be read.")
	}
	in := crm.SegmentInput{Name: form.Get("name"), Shared: form.Get("shared") != "", Selection: selectionFrom(form)}
	s, err := crm.SaveSegment(c.Request().Context(), h.client, 0, in)
	if fields := fieldErrors(err); fields != nil {
		return crm.Errorf(crm.EInvalid, "%s", fields["name"]+fields["query"])
	}
	if err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Segments), "Segment “{{.Name}}” saved.", "Name", s.Name)
}

// Delete removes one of the user's segments.
func (h *Segments) Delete(c echo.Context) error {
	id, err := paramID(c)
	if err != nil {
		return err
	}
	if err := crm.DeleteSegment(c.Request().Context(), h.client, id); err != nil {
		return err
	}
	return redirect(c, routes.URL(routes.Segments), "Segment deleted.")
}

// describe says in words what a selection holds.
func describe(s crm.Selection) string {
	var parts []string
	if s.Query != "" {
		parts = append(parts, "“"+s.Query+"”")
	}
	f := s.Filter
	for _, l := range []struct {
		label string
		vals  []string
	}{{"kind", f.Kinds}, {"region", f.Regions}, {"topic", f.Topics}, {"tag", f.Tags}, {"stage", f.Stages},
		{"platform", f.Platforms}, {"consent", f.Consent}} {
		if len(l.vals) > 0 {
			parts = append(parts, l.label+": "+strings.Join(l.vals, " or "))
		}
	}
	if f.Stale != nil && *f.Stale {
		parts = append(parts, "stale")
	}
	if f.HasEmail != nil && *f.HasEmail {
		parts = append(parts, "with e-mail")
	}
	if f.MinHealth != nil {
		parts = append(parts, fmt.Sprintf("health ≥ %d", *f.MinHealth))
	}
	if f.MinFollowers != nil {
		parts = append(parts, fmt.Sprintf("reach ≥ %d", *f.MinFollowers))
	}
	if f.MaxFollowers != nil {
		parts = append(parts, fmt.Sprintf("reach ≤ %d", *f.MaxFollowers))
	}
	if len(f.Owners) > 0 {
		parts = append(parts, fmt.Sprintf("%d owner(s)", len(f.Owners)))
	}
	for _, c := range f.Custom {
		parts = append(parts, describeCustom(c))
	}
	if f.Campaign != nil {
		parts = append(parts, fmt.Sprintf("targets of campaign #%d", *f.Campaign))
	}
	if len(parts) == 0 {
		return "every contact"
	}
	return strings.Join(parts, "; ")
}

// describeCustom says a condition on a custom field, by the field's key.
func describeCustom(c schema.CustomFilter) string {
	var conds []string
	if len(c.Any) > 0 {
		conds = append(conds, strings.Join(c.Any, " or "))
	}
	if c.Contains != "" {
		conds = append(conds, "contains “"+c.Contains+"”")
	}
	if c.Yes != nil {
		conds = append(conds, map[bool]string{true: "yes", false: "not yes"}[*c.Yes])
	}
	if c.Min != nil {
		conds = append(conds, "≥ "+strconv.FormatFloat(*c.Min, 'f', -1, 64))
	}
	if c.Max != nil {
		conds = append(conds, "≤ "+strconv.FormatFloat(*c.Max, 'f', -1, 64))
	}
	if c.From != "" {
		conds = append(conds, "from "+c.From)
	}
	if c.To != "" {
		conds = append(conds, "to "+c.To)
	}
	return c.Key + ": " + strings.Join(conds, ", ")
}
