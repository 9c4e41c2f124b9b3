package search

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
)

// Sort orders of search results.
const (
	SortRelevance       = "relevance"
	SortReach           = "reach"
	SortLastInteraction = "last_interaction"
	SortName            = "name"
)

// Facets lists the facet fields, in the order pages show them.
var Facets = []string{FacetKind, FacetStage, FacetRegion, FacetTopic, FacetTag, FacetPlatform, FacetOwner, FacetOutlet}

// facetSize is how many values a facet lists.
var facetSize = map[string]int{FacetKind: 10, FacetStage: 10, FacetRegion: 15, FacetTopic: 20, FacetTag: 15,
	FacetPlatform: 15, FacetOwner: 10, FacetOutlet: 10}

// Request is a search: query text, facet filters (values of one facet are
// alternatives, facets combine), sort, and the cursor of the page to show.
type Request struct {
	Q        string
	Filters  map[string][]string // facet → values
	Sort     string
	After    string // Next of the previous page
	Size     int    // default 20, at most 100
	Facets   bool   // count facet values
	Snippets bool   // say where each hit matched
}

// Result is one page of hits.
type Result struct {
	Total  uint64
	Hits   []Hit
	Facets []Facet // in the order of Facets, those asked for
	Next   string  // cursor of the next page, "" on the last
	Took   time.Duration
}

// Hit is one matching contact.
type Hit struct {
	ID      int
	Score   float64
	Snippet *Snippet // nil when nothing worth showing matched
}

// Facet is the value counts of one facet among all hits.
type Facet struct {
	Field  string
	Values []FacetValue
	Other  int // hits with values beyond those listed
}

// FacetValue is one value of a facet and how many hits have it.
type FacetValue struct {
	Value string
	Count int
}

// sortOrder returns the bleve sort of s, always ending in the contact id
// (idSort, read from cols) so that pages are stable.
func sortOrder(s string, cols *hitColumns) search.SortOrder {
	var first search.SearchSort
	switch s {
	case SortReach:
		first = &search.SortField{Field: FieldReachKey, Desc: true}
	case SortLastInteraction:
		first = &search.SortField{Field: FieldLastKey, Desc: true}
	case SortName:
		first = &search.SortField{Field: FieldSortName}
	default:
		first = &search.SortScore{Desc: true}
	}
	return search.SortOrder{first, &idSort{cols: cols}}
}

// byRelevance reports whether s orders by relevance (sortOrder's default).
func byRelevance(s string) bool {
	return s != SortReach && s != SortLastInteraction && s != SortName
}

// Search runs r on the served index.
func (s *Service) Search(ctx context.Context, r Request) (*Result, error) {
	var res *Result
	err := s.withIndex(func(ix *Index) error {
		var err error
		res, err = ix.Search(ctx, r)
		return err
	})
	return res, err
}

// Search runs r on this index.
func (ix *Index) Search(ctx context.Context, r Request) (*Result, error) {
	if r.Size <= 0 {
		r.Size = 20
	}
	r.Size = min(r.Size, 100)
	if err := CheckText(r.Q); err != nil {
		return nil, err
	}
	if err := CheckFilters(r.Filters); err != nil {
		return nil, err
	}
	parent := ctx
	ctx, cancel := budgeted(ctx)
	defer cancel()
	terms, open := Parse(r.Q)
	q := ix.query(terms, open, r.Filters, byRelevance(r.Sort))
	req := bleve.NewSearchRequestOptions(q, r.Size+1, 0, false)
	var counter *facetCounter
	if r.Facets {
		var counted []string
		for _, f := range Facets {
			if pinned(r.Filters, f) == "" {
				counted = append(counted, f)
			}
		}
		if len(counted) > 0 {
			counter = newFacetCounter(counted)
		}
	}
	cols := ix.columns(counter)
	order := sortOrder(r.Sort, cols)
	req.SortByCustom(order)
	if r.Snippets && len(terms) > 0 {
		req.Fields = snippetStored // the page's hits (and one more) are read in the same search
	}
	if r.After != "" {
		after, err := decodeAfter(r.After, len(order))
		if err != nil {
			return nil, err
		}
		req.SearchAfter = after
	}
	sr, err := ix.b.SearchInContext(cols.context(ctx), req)
	if err != nil {
		return nil, fmt.Errorf("search (%d bytes of text): %w", len(r.Q), overBudget(parent, err))
	}
	res := &Result{Total: sr.Total, Took: sr.Took}
	hits := sr.Hits
	if len(hits) > r.Size {
		hits = hits[:r.Size]
		last := hits[len(hits)-1]
		keys := make([]string, len(order))
		for i, o := range order {
			if o.RequiresScoring() {
				keys[i] = strconv.FormatFloat(last.Score, 'g', -1, 64)
			} else {
				keys[i] = last.Sort[i]
			}
		}
		res.Next = encodeAfter(keys)
	}
	var hl *highlight
	if req.Fields != nil {
		hl = newHighlight(ix.builder(), terms, open)
	}
	for _, h := range hits {
		id, err := strconv.Atoi(h.ID)
		if err != nil {
			continue
		}
		hit := Hit{ID: id, Score: h.Score}
		if hl != nil {
			hit.Snippet = hl.snippetOf(h)
		}
		res.Hits = append(res.Hits, hit)
	}
	if r.Facets {
		var counted []facetCount
		if counter != nil {
			counted = counter.results(facetSize)
		}
		for _, f := range Facets {
			if v := pinned(r.Filters, f); v != "" {
				facet := Facet{Field: f}
				if res.Total > 0 {
					facet.Values = []FacetValue{{Value: v, Count: int(res.Total)}}
				}
				res.Facets = append(res.Facets, facet)
				continue
			}
			fc := counted[0]
			counted = counted[1:]
			res.Facets = append(res.Facets, Facet{Field: f, Values: fc.Values, Other: fc.Other})
		}
	}
	return res, nil
}

// singleValued are the facets of which a contact has one value at most.
var singleValued = map[string]bool{FacetKind: true, FacetStage: true, FacetRegion: true, FacetOwner: true}

// pinned is the value that filters give a single-valued facet, if they give
// it exactly one: every hit has that value, so its count is the number of
// hits, and its values need not be counted.
func pinned(filters map[string][]string, facet string) string {
	if vs := filters[facet]; singleValued[facet] && len(vs) == 1 {
		return vs[0]
	}
	return ""
}

// filterQueries require, for every facet with values, one of them (they are
// part of the unscored match: the order by relevance is the text's alone).
func filterQueries(filters map[string][]string) []query.Query {
	fields := make([]string, 0, len(filters))
	for f, vs := range filters {
		if _, ok := facetSize[f]; ok && len(vs) > 0 {
			fields = append(fields, f)
		}
	}
	if len(fields) == 0 {
		return nil
	}
	sort.Strings(fields)
	var all []query.Query
	for _, f := range fields {
		var any []query.Query
		for _, v := range filters[f] {
			tq := bleve.NewTermQuery(v)
			tq.SetField(f)
			tq.SetBoost(0)
			any = append(any, tq)
		}
		if len(any) == 1 {
			all = append(all, any[0])
		} else {
			all = append(all, bleve.NewDisjunctionQuery(any...))
		}
	}
	return all
}

// builder builds queries with the analyzers of the index's mapping.
func (ix *Index) builder() builder {
	m := ix.b.Mapping()
	return builder{analyze: func(name, text string) analysis.TokenStream {
		a := m.AnalyzerNamed(name)
		if a == nil {
			return nil
		}
		return a.Analyze([]byte(text))
	}, named: m.AnalyzerNamed, words: &ix.words}
}

// MatchIDs returns the ids of every contact whose document matches q, with
// no paging: the list, segments and exports resolve their free text with it
// (crm.TextMatcher). It reads q as the search page does, a last word
// without a space after it also as a prefix, so that the search page and
// a list, segment or export of the same text hold the same people.
func (s *Service) MatchIDs(ctx context.Context, q string) ([]int, error) {
	var ids []int
	err := s.withIndex(func(ix *Index) error {
		var err error
		ids, err = ix.matchIDs(ctx, q)
		return err
	})
	return ids, err
}

// matchIDs is MatchIDs on this index.
func (ix *Index) matchIDs(ctx context.Context, q string) ([]int, error) {
	if err := CheckText(q); err != nil {
		return nil, err
	}
	parent := ctx
	ctx, cancel := budgeted(ctx)
	defer cancel()
	terms, open := Parse(q)
	n, err := ix.b.DocCount()
	if err != nil {
		return nil, fmt.Errorf("match text: %w", err)
	}
	req := bleve.NewSearchRequestOptions(ix.query(terms, open, nil, false), int(n), 0, false)
	sr, err := ix.b.SearchInContext(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("match text (%d bytes): %w", len(q), overBudget(parent, err))
	}
	ids := make([]int, 0, len(sr.Hits))
	for _, h := range sr.Hits {
		if id, err := strconv.Atoi(h.ID); err == nil {
			ids = append(ids, id)
		}
	}
	return ids, nil
}
