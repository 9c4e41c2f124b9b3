package handlers

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/search"
	"github.com/rapport-crm/rapport/views/components"
	"github.com/rapport-crm/rapport/views/pages"
)

// Searcher answers searches; *search.Service is one. Without one (nil in
// Config) the search page is unavailable and the contact list filters its
// free text with SQL.
type Searcher interface {
	Search(ctx context.Context, r search.Request) (*search.Result, error)
	// MatchIDs lists every contact matching free text (segments, exports).
	MatchIDs(ctx context.Context, q string) ([]int, error)
}

// Search serves the search page and the top bar's as-you-type results.
type Search struct {
	client     *ent.Client
	selections *crm.Selections // loads the hits' rows as the list shows them
	searcher   Searcher
	now        func() time.Time
	// fields are the contacts' custom fields (the picker's and the cells'),
	// lookups the cache of stage labels; New sets both (nil: no picker).
	fields  func(context.Context) (crm.CustomFields, error)
	lookups *crm.Lookups
}

// NewSearch returns the search handlers.
func NewSearch(client *ent.Client, sels *crm.Selections, s Searcher) *Search {
	return &Search{client: client, selections: sels, searcher: s, now: time.Now}
}

// facetTitles names the facets on the page, in their order.
var facetTitles = map[string]string{search.FacetKind: "Kind", search.FacetStage: "Stage", search.FacetRegion: "Region",
	search.FacetTopic: "Topic", search.FacetTag: "Tag", search.FacetPlatform: "Channel", search.FacetOwner: "Owner",
	search.FacetOutlet: "Outlet"}

// Show is /search?q=…&topic=…&sort=…&after=…: the full page, the body
// fragment for htmx as the user types on the page, or the top bar's panel.
func (h *Search) Show(c echo.Context) error {
	if h.searcher == nil {
		return crm.Errorf(crm.EUnavailable, "Search is not available on this server.")
	}
	ctx := c.Request().Context()
	q := c.QueryParams()
	panel := isHTMX(c) && c.Request().Header.Get("HX-Target") == "search-panel"
	req := search.Request{Q: q.Get("q"), Filters: searchFilters(q), Sort: q.Get("sort"), After: q.Get("after"),
		Facets: !panel, Snippets: true, Size: 20}
	if panel {
		req.Size, req.Filters, req.Sort, req.After = 8, nil, "", ""
	}
	if err := crm.CheckText("q", req.Q); err != nil {
		return h.refuse(c, panel, req, err)
	}
	if err := search.CheckFilters(req.Filters); err != nil {
		return err
	}
	if b, ok := h.searcher.(interface{ Building() (int, bool) }); ok {
		if pct, building := b.Building(); building {
			return h.whileBuilding(c, panel, req, pct)
		}
	}
	res, err := h.searcher.Search(ctx, req)
	if errors.Is(err, search.ErrBadCursor) {
		return crm.Errorf(crm.EInvalid, "This page link is broken; start again from the first page.")
	}
	var cols searchColumns
	if err == nil && !panel {
		cols, err = h.columns(ctx, q)
	}
	if err != nil {
		return err
	}
	hits, err := h.hits(ctx, res.Hits, cols.names())
	if err != nil {
		return err
	}
	all := routes.WithQuery(routes.URL(routes.Search), url.Values{"q": {req.Q}})
	if panel {
		return render(c, http.StatusOK, pages.SearchPanel(pages.SearchPanelProps{Q: req.Q, Hits: hits, Total: int(res.Total), AllURL: all}))
	}
	p, err := h.props(c, q, req, res, hits)
	if err != nil {
		return err
	}
	cols.fill(&p, q)
	if p.Behind, err = h.behind(ctx); err != nil {
		return err
	}
	p.Bulk = searchBulk(c, q, int(res.Total), hits)
	if isHTMX(c) {
		return render(c, http.StatusOK, pages.SearchBody(p))
	}
	return render(c, http.StatusOK, pages.Search(p))
}

// whileBuilding answers while the index is being built in the background:
// how far it is, and the contact list of the text (which matches names and
// e-mail addresses in SQL meanwhile).
func (h *Search) whileBuilding(c echo.Context, panel bool, req search.Request, pct int) error {
	list := ""
	if req.Q != "" {
		list = routes.WithQuery(routes.URL(routes.Contacts), url.Values{"q": {req.Q}})
	}
	if panel {
		return render(c, http.StatusOK, pages.SearchPanel(pages.SearchPanelProps{Q: req.Q, Building: true, Percent: pct, ListURL: list}))
	}
	p := pages.SearchProps{Meta: meta(c, "Search"), Q: req.Q, Sort: req.Sort, Building: true, Percent: pct, ListURL: list, Now: h.now()}
	if isHTMX(c) {
		return render(c, http.StatusOK, pages.SearchBody(p))
	}
	return render(c, http.StatusOK, pages.Search(p))
}

// refuse answers a text over the limits on search text: the page with the
// text cut to the limit and what is wrong with it, 422. The fragments that
// htmx swaps in as the user types answer 200, since htmx swaps no 4xx.
func (h *Search) refuse(c echo.Context, panel bool, req search.Request, err error) error {
	q, problem := search.Shorten(req.Q), crm.ErrorMessage(err)
	if panel {
		return render(c, http.StatusOK, pages.SearchPanel(pages.SearchPanelProps{Q: q, Problem: problem}))
	}
	p := pages.SearchProps{Meta: meta(c, "Search"), Q: q, Sort: req.Sort, Problem: problem, Now: h.now()}
	if isHTMX(c) {
		return render(c, http.StatusOK, pages.SearchBody(p))
	}
	return render(c, http.StatusUnprocessableEntity, pages.Search(p))
}

// searchFilters reads the facet filters from the query string, each value
// once; it stops one past search.MaxFilterValues values of a facet (the
// search refuses that many), so a URL of thousands costs nothing.
func searchFilters(q url.Values) map[string][]string {
	f := map[string][]string{}
	for _, name := range search.Facets {
		seen := map[string]bool{}
		for _, v := range q[name] {
			if v != "" && !seen[v] && len(f[name]) <= search.MaxFilterValues {
				seen[v] = true
				f[name] = append(f[name], v)
			}
		}
	}
	return f
}

// hits renders the hits from the database rows, in the index's order.
func (h *Search) hits(ctx context.Context, hs []search.Hit, names crm.ListNames) ([]pages.SearchHit, error) {
	ids := make([]int, len(hs))
	for i, x := range hs {
		ids[i] = x.ID
	}
	rows, err := h.selections.ListRowsByIDs(ctx, ids, names)
	if err != nil {
		return nil, err
	}
	snippets := map[int]*search.Snippet{}
	for _, x := range hs {
		snippets[x.ID] = x.Snippet
	}
	out := make([]pages.SearchHit, len(rows))
	for i, r := range pages.ContactRows(rows, h.now()) {
		out[i] = pages.SearchHit{ContactRow: r, Snippet: snippetView(ctx, snippets[r.ID])}
	}
	return out, nil
}

// props builds the page: facet links that add or remove a value while
// keeping the rest of the query, active filters, paging.
func (h *Search) props(c echo.Context, q url.Values, req search.Request, res *search.Result, hits []pages.SearchHit) (pages.SearchProps, error) {
	base := url.Values{}
	for _, k := range append([]string{"q", "sort"}, search.Facets...) {
		if vs := q[k]; len(vs) > 0 {
			base[k] = slices.Clone(vs)
		}
	}
	withCols(base, q)
	link := func(v url.Values) string { return routes.WithQuery(routes.URL(routes.Search), v) }
	owners, err := h.ownerNames(c.Request().Context(), res.Facets, req.Filters)
	if err != nil {
		return pages.SearchProps{}, err
	}
	label := func(field, v string) string {
		switch field {
		case search.FacetOwner:
			if n, ok := owners[v]; ok {
				return n
			}
			return locale.T(c.Request().Context(), "Unknown user")
		case search.FacetKind, search.FacetStage, search.FacetPlatform:
			return components.Label(c.Request().Context(), v)
		}
		return v
	}
	p := pages.SearchProps{Meta: meta(c, "Search"), Q: req.Q, Sort: req.Sort, Hits: hits, Total: int(res.Total), Now: h.now()}
	for _, f := range search.Facets {
		for _, v := range req.Filters[f] {
			p.Hidden = append(p.Hidden, pages.HiddenInput{Name: f, Value: v})
			p.Active = append(p.Active, pages.ActiveFilter{Label: locale.T(c.Request().Context(), facetTitles[f]) + ": " + label(f, v), RemoveURL: link(toggle(base, f, v))})
		}
	}
	for _, f := range res.Facets {
		g := pages.FacetGroup{Field: f.Field, Title: facetTitles[f.Field]}
		for _, v := range f.Values {
			g.Values = append(g.Values, pages.FacetLink{Label: label(f.Field, v.Value), Count: v.Count,
				URL: link(toggle(base, f.Field, v.Value)), Active: slices.Contains(req.Filters[f.Field], v.Value)})
		}
		p.Facets = append(p.Facets, g)
	}
	if len(p.Active) > 0 {
		p.AllURL = link(withCols(url.Values{"q": {req.Q}, "sort": {req.Sort}}, q))
	}
	p.FirstURL, p.NextURL = pageLinks(routes.URL(routes.Search), base, "after", req.After, res.Next)
	return p, nil
}

// toggle returns q with value v of key k added, or removed when present.
func toggle(q url.Values, k, v string) url.Values {
	out := url.Values{}
	for key, vs := range q {
		out[key] = slices.Clone(vs)
	}
	if i := slices.Index(out[k], v); i >= 0 {
		out[k] = slices.Delete(out[k], i, i+1)
	} else {
		out[k] = append(out[k], v)
	}
	return out
}

// ownerNames names the owners that facets and filters mention.
func (h *Search) ownerNames(ctx context.Context, facets []search.Facet, filters map[string][]string) (map[string]string, error) {
	var ids []int
	add := func(v string) {
		if id, err := strconv.Atoi(v); err == nil {
			ids = append(ids, id)
		}
	}
	for _, f := range facets {
		if f.Field == search.FacetOwner {
			for _, v := range f.Values {
				add(v.Value)
			}
		}
	}
	for _, v := range filters[search.FacetOwner] {
		add(v)
	}
	names, err := crm.UserNames(ctx, h.client, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(names))
	for id, n := range names {
		out[strconv.Itoa(id)] = n
	}
	return out, nil
}

// behind is how many changes the index has yet to read (0 when it keeps up
// or cannot tell): the page then says its results may miss them.
func (h *Search) behind(ctx context.Context) (int, error) {
	if b, ok := h.searcher.(interface {
		Behind(context.Context) (int, error)
	}); ok {
		return b.Behind(ctx)
	}
	return 0, nil
}

// searchBulk is the bulk form of the hits: "all matching" and the export
// link are the same selection (text through the index, facets, the outlet
// among them, as filters); neither is offered when the URL names a
// campaign's targets, which the index does not know, so that both only
// ever mean the people the page shows.
func searchBulk(c echo.Context, q url.Values, total int, hits []pages.SearchHit) pages.BulkBarProps {
	b := bulkBar(c, selectionFrom(q), total, false, rowIDs(hits, func(h pages.SearchHit) int { return h.ID }))
	if q.Has("campaign") {
		b.AllLabel, b.Export = "", ""
	}
	return b
}
