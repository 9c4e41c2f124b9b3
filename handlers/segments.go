package handlers

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/locale"
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
			Mine: s.Mine, Count: s.Count, CountMore: s.More, CountError: s.CountError, Summary: describe(locale.From(c.Request().Context()), sel), Query: selectionQuery(sel)})
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

// describe says in the reader's words what a selection holds: field names
// and enum values in l's language, the team's own values (regions, topics,
// tags, text) as they are.
func describe(l *locale.Locale, s crm.Selection) string {
	var parts []string
	if s.Query != "" {
		parts = append(parts, "“"+s.Query+"”")
	}
	f := s.Filter
	or := " " + l.T("or") + " "
	words := func(vs []string, enum bool) string {
		out := make([]string, len(vs))
		for i, v := range vs {
			out[i] = v
			if enum {
				out[i] = l.Label(v)
			}
		}
		return strings.Join(out, or)
	}
	for _, c := range []struct {
		label string
		vals  []string
		enum  bool
	}{{"Kind", f.Kinds, true}, {"Region", f.Regions, false}, {"Topic", f.Topics, false}, {"Tag", f.Tags, false},
		{"Stage", f.Stages, true}, {"Platform", f.Platforms, true}, {"Consent", f.Consent, true}, {"Outlet", f.Outlets, false}} {
		if len(c.vals) > 0 {
			parts = append(parts, l.T(c.label)+": "+words(c.vals, c.enum))
		}
	}
	if f.Stale != nil && *f.Stale {
		parts = append(parts, l.T("stale"))
	}
	if f.HasEmail != nil && *f.HasEmail {
		parts = append(parts, l.T("with e-mail"))
	}
	if f.MinHealth != nil {
		parts = append(parts, l.T("Health")+" ≥ "+l.Number(int64(*f.MinHealth)))
	}
	if f.MinFollowers != nil {
		parts = append(parts, l.T("Reach")+" ≥ "+l.Number(int64(*f.MinFollowers)))
	}
	if f.MaxFollowers != nil {
		parts = append(parts, l.T("Reach")+" ≤ "+l.Number(int64(*f.MaxFollowers)))
	}
	if len(f.Owners) > 0 {
		parts = append(parts, l.T("Owner")+": "+l.Number(int64(len(f.Owners))))
	}
	for _, c := range f.Custom {
		parts = append(parts, describeCustom(l, c))
	}
	if f.Campaign != nil {
		parts = append(parts, l.T("Targets")+": "+l.T("Campaign")+" #"+strconv.Itoa(*f.Campaign))
	}
	if len(parts) == 0 {
		return l.T("every contact")
	}
	return strings.Join(parts, "; ")
}

// describeCustom says a condition on a custom field, by the field's key.
func describeCustom(l *locale.Locale, c schema.CustomFilter) string {
	var conds []string
	if len(c.Any) > 0 {
		conds = append(conds, strings.Join(c.Any, " "+l.T("or")+" "))
	}
	if c.Contains != "" {
		conds = append(conds, l.T("contains “{{.Text}}”", "Text", c.Contains))
	}
	if c.Yes != nil {
		conds = append(conds, map[bool]string{true: l.T("yes"), false: l.T("not yes")}[*c.Yes])
	}
	if c.Min != nil {
		conds = append(conds, "≥ "+strconv.FormatFloat(*c.Min, 'f', -1, 64))
	}
	if c.Max != nil {
		conds = append(conds, "≤ "+strconv.FormatFloat(*c.Max, 'f', -1, 64))
	}
	if c.From != "" {
		conds = append(conds, l.T("from {{.StartsAt}}", "StartsAt", c.From))
	}
	if c.To != "" {
		conds = append(conds, l.T("to {{.Date}}", "Date", c.To))
	}
	return c.Key + ": " + strings.Join(conds, ", ")
}
