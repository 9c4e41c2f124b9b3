package search

import (
	"context"
	"testing"

	"github.com/blevesearch/bleve/v2"
)

// BenchmarkFacetCount counts the eight facets among the hits of one
// search (every journalist: about 44 % of 20,000 generated contacts), as
// bleve's FacetRequest does and with the facet columns, against the same
// search without facets: the difference is what counting costs.
// build_columns is the first such search after the columns of every
// segment were dropped (as after a merge into one segment): it builds them.
func BenchmarkFacetCount(b *testing.B) {
	ix, docs := generatedIndex(b, 20_000, 3, 4)
	filters := map[string][]string{FacetKind: {"journalist"}}
	// search runs the search with the columns of cols, and with bleve's
	// facet request when bleveFacets.
	search := func(cols *hitColumns, bleveFacets bool) *bleve.SearchResult {
		req := bleve.NewSearchRequestOptions(facetTestQuery(ix, "", filters), 21, 0, false)
		req.SortByCustom(sortOrder(SortRelevance, cols))
		if bleveFacets {
			for _, f := range Facets {
				req.AddFacet(f, bleve.NewFacetRequest(f, facetSize[f]))
			}
		}
		sr, err := ix.b.SearchInContext(cols.context(context.Background()), req)
		if err != nil {
			b.Fatal(err)
		}
		return sr
	}
	var hits uint64
	b.Run("no_facets", func(b *testing.B) {
		for b.Loop() {
			hits = search(ix.columns(nil), false).Total
		}
	})
	b.Run("bleve_facet_request", func(b *testing.B) {
		for b.Loop() {
			search(ix.columns(nil), true)
		}
	})
	b.Run("facet_columns", func(b *testing.B) {
		for b.Loop() {
			c := newFacetCounter(Facets)
			search(ix.columns(c), false)
			c.results(facetSize)
		}
		b.ReportMetric(float64(ix.cols.Bytes()), "cache-bytes")
	})
	b.Run("build_columns", func(b *testing.B) {
		for b.Loop() {
			ix.cols.mu.Lock()
			ix.cols.segs = nil
			ix.cols.mu.Unlock()
			search(ix.columns(newFacetCounter(Facets)), false)
		}
	})
	b.Logf("%d hits of %d documents, %d segments", hits, len(docs), len(segmentsOf(b, ix)))
}
