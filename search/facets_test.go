package search

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	blevesearch "github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// facetWords are the words of generated bios, some common, some rare.
var facetWords = []string{"medizin", "pflege", "reisen", "energie", "software", "politik", "sport", "kultur",
	"wirtschaft", "bildung", "klima", "mobilität"}

// facetDoc is a generated contact with facet values drawn from small sets
// (some values common, some rare, some documents without a value).
func facetDoc(rng *rand.Rand, id int) *Document {
	pick := func(vs ...string) string { return vs[min(rng.IntN(len(vs)), rng.IntN(len(vs)))] }
	some := func(max int, vs ...string) []string {
		var out []string
		for range rng.IntN(max + 1) {
			if v := pick(vs...); !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		return out
	}
	d := &Document{ID: id, Kind: pick("journalist", "blogger", "creator", "podcaster"),
		Stage:     pick("new", "contacted", "engaged", "advocate", "dormant"),
		Region:    pick("München", "Berlin", "Hamburg", "Köln", "", "Wien", "Zürich"),
		FirstName: fmt.Sprintf("Vor%d", id), LastName: fmt.Sprintf("Nach%d", id), OwnerID: rng.IntN(5),
		Bio:    pick(facetWords...) + " " + pick(facetWords...) + " " + pick(facetWords...),
		Topics: some(3, "Gesundheit", "Reisen", "Politik", "Food", "Sport", "Technik", "Klima"),
		Tags:   some(2, "VIP", "Presse", "Newsletter", "Event"),
	}
	if len(d.Tags) > 0 && rng.IntN(10) == 0 {
		d.Tags = append(d.Tags, d.Tags[0]) // a value twice
	}
	for _, p := range some(3, "x", "instagram", "tiktok", "youtube", "linkedin") {
		d.Channels = append(d.Channels, Channel{p, fmt.Sprintf("%s_%d", p, id)})
	}
	for _, o := range some(2, "Süddeutsche Zeitung", "Die Zeit", "Spiegel", "taz", "Stern", fmt.Sprintf("Blog %d", rng.IntN(300))) {
		d.Outlets = append(d.Outlets, Outlet{o, "Redaktion"})
	}
	return d
}

// facetQuery is a random search: a word or none, and up to two facets
// filtered to one or two values.
func facetQuery(rng *rand.Rand) (string, map[string][]string) {
	q := ""
	if rng.IntN(4) > 0 {
		q = facetWords[rng.IntN(len(facetWords))] + " "
	}
	values := map[string][]string{FacetKind: {"journalist", "blogger", "creator"}, FacetRegion: {"München", "Berlin", "Wien"},
		FacetTopic: {"Gesundheit", "Reisen"}, FacetPlatform: {"instagram", "x"}, FacetStage: {"new", "advocate"}}
	filters := map[string][]string{}
	for range rng.IntN(3) {
		f := slices.Sorted(maps.Keys(values))[rng.IntN(len(values))]
		vs := values[f]
		filters[f] = []string{vs[rng.IntN(len(vs))]}
		if rng.IntN(2) == 0 {
			filters[f] = append(filters[f], vs[rng.IntN(len(vs))])
		}
	}
	return q, filters
}

// bleveFacets counts all facets of q with filters as bleve's FacetRequest
// does, the way search counted them before the facet columns.
func bleveFacets(t testing.TB, ix *Index, q string, filters map[string][]string) (*bleve.SearchResult, []facetCount) {
	t.Helper()
	req := bleve.NewSearchRequestOptions(facetTestQuery(ix, q, filters), 21, 0, false)
	cols := ix.columns(nil)
	req.SortByCustom(sortOrder(SortRelevance, cols))
	for _, f := range Facets {
		req.AddFacet(f, bleve.NewFacetRequest(f, facetSize[f]))
	}
	sr, err := ix.b.SearchInContext(cols.context(context.Background()), req)
	if err != nil {
		t.Fatal(err)
	}
	var out []facetCount
	for _, f := range Facets {
		fr := sr.Facets[f]
		fc := facetCount{Field: f, Total: fr.Total, Missing: fr.Missing, Other: fr.Other}
		for _, tf := range fr.Terms.Terms() {
			fc.Values = append(fc.Values, FacetValue{Value: tf.Term, Count: tf.Count})
		}
		out = append(out, fc)
	}
	return sr, out
}

// columnFacets counts all facets of q with filters with facetCounter.
func columnFacets(t testing.TB, ix *Index, q string, filters map[string][]string) (*bleve.SearchResult, []facetCount) {
	t.Helper()
	req := bleve.NewSearchRequestOptions(facetTestQuery(ix, q, filters), 21, 0, false)
	c := newFacetCounter(Facets)
	cols := ix.columns(c)
	req.SortByCustom(sortOrder(SortRelevance, cols))
	sr, err := ix.b.SearchInContext(cols.context(context.Background()), req)
	if err != nil {
		t.Fatal(err)
	}
	return sr, c.results(facetSize)
}

func facetTestQuery(ix *Index, q string, filters map[string][]string) query.Query {
	terms, open := Parse(q)
	return ix.query(terms, open, filters, true)
}

// TestFacetColumnsCountAsBleve: over many random searches, the facet
// columns give exactly bleve's terms facet counts (top values, totals,
// missing, other) and leave hits and totals alone — on an index of many
// segments, after updates and deletes (new segments), and after a merge;
// the columns of segments that left the index are dropped.
func TestFacetColumnsCountAsBleve(t *testing.T) {
	ix := emptyIndex(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	docs := map[int]*Document{}
	var ids []int
	for id := 1; id <= 6000; id++ {
		docs[id], ids = facetDoc(rng, id), append(ids, id)
	}
	if err := ix.apply(ctx, ids, docs, 1, time.Now()); err != nil {
		t.Fatal(err)
	}
	check := func(stage string, n int) {
		t.Helper()
		for i := range n {
			q, filters := facetQuery(rng)
			wantSR, want := bleveFacets(t, ix, q, filters)
			gotSR, got := columnFacets(t, ix, q, filters)
			if gotSR.Total != wantSR.Total || !slices.EqualFunc(gotSR.Hits, wantSR.Hits, func(a, b *blevesearch.DocumentMatch) bool { return a.ID == b.ID }) {
				t.Fatalf("%s, search %d %q %v: hits %d %v, bleve %d %v", stage, i, q, filters, gotSR.Total, gotSR.Hits, wantSR.Total, wantSR.Hits)
			}
			for j := range want {
				if !sameFacetCount(got[j], want[j]) {
					t.Fatalf("%s, search %d %q %v (%d hits): facet %s\ncolumns %+v\nbleve   %+v", stage, i, q, filters, wantSR.Total, want[j].Field, got[j], want[j])
				}
			}
			res, err := ix.Search(ctx, Request{Q: q, Filters: filters, Facets: true})
			if err != nil {
				t.Fatal(err)
			}
			for j, f := range res.Facets {
				if pinned(filters, f.Field) != "" {
					continue
				}
				if w := want[j]; f.Field != w.Field || f.Other != w.Other || !slices.Equal(f.Values, w.Values) {
					t.Fatalf("%s, Search %q %v: facet %+v, bleve %+v", stage, q, filters, f, w)
				}
			}
		}
	}
	check("new index", 150)
	segsBefore := len(segmentsOf(t, ix))

	// Updates and deletes in small batches: new segments, older documents deleted.
	for round := range 8 {
		var changed []int
		for range 150 {
			id := 1 + rng.IntN(6000+round*20)
			if rng.IntN(4) == 0 {
				delete(docs, id)
			} else {
				docs[id] = facetDoc(rng, id)
			}
			changed = append(changed, id)
		}
		for id := 6000 + round*20; id < 6000+(round+1)*20; id++ {
			docs[id], changed = facetDoc(rng, id), append(changed, id)
		}
		slices.Sort(changed)
		if err := ix.apply(ctx, slices.Compact(changed), docs, 2+round, time.Now()); err != nil {
			t.Fatal(err)
		}
		check(fmt.Sprintf("after update %d", round), 25)
	}
	t.Logf("segments: %d after the build, %d after the updates", segsBefore, len(segmentsOf(t, ix)))

	adv, err := ix.b.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	if err := adv.(*scorch.Scorch).ForceMerge(ctx, nil); err != nil {
		t.Fatal(err)
	}
	check("after merge", 100)
	segs := segmentsOf(t, ix)
	ix.cols.mu.Lock()
	cached := len(ix.cols.segs)
	ix.cols.mu.Unlock()
	if cached != len(segs) {
		t.Errorf("facet columns of %d segments kept, the index has %d", cached, len(segs))
	}
	t.Logf("after the merge: %d segments, facet columns %d bytes for %d documents", len(segs), ix.cols.Bytes(), len(docs))
}

func sameFacetCount(a, b facetCount) bool {
	return a.Field == b.Field && a.Total == b.Total && a.Missing == b.Missing && a.Other == b.Other &&
		slices.Equal(a.Values, b.Values)
}

func segmentsOf(t testing.TB, ix *Index) []*scorch.SegmentSnapshot {
	t.Helper()
	var segs []*scorch.SegmentSnapshot
	readIndex(t, ix, func(r index.IndexReader) { segs = r.(*scorch.IndexSnapshot).Segments() })
	return segs
}

// readIndex calls f with a reader of ix as it is now, closed afterwards.
func readIndex(t testing.TB, ix *Index, f func(index.IndexReader)) {
	t.Helper()
	adv, err := ix.b.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f(r)
}

// emptyIndex is a new, empty index in a temporary directory, closed when
// the test ends.
func emptyIndex(tb testing.TB) *Index {
	tb.Helper()
	ix, err := createIndex(filepath.Join(tb.TempDir(), "gen-000001"), "gen-000001", false)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { ix.Close() })
	return ix
}

// generatedIndex is an index of n generated contacts (facetDoc, seeded) in
// one batch.
func generatedIndex(tb testing.TB, n int, seed1, seed2 uint64) (*Index, map[int]*Document) {
	tb.Helper()
	ix := emptyIndex(tb)
	rng := rand.New(rand.NewPCG(seed1, seed2))
	docs := map[int]*Document{}
	var ids []int
	for id := 1; id <= n; id++ {
		docs[id], ids = facetDoc(rng, id), append(ids, id)
	}
	if err := ix.apply(context.Background(), ids, docs, 1, time.Now()); err != nil {
		tb.Fatal(err)
	}
	return ix, docs
}

// TestTopValuesAsSorted: the top k of a facet's counts are the first k of
// all its values sorted by count, most first, ties by value.
func TestTopValuesAsSorted(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for range 2000 {
		byValue := map[string]int{}
		for range rng.IntN(60) {
			byValue[fmt.Sprintf("v%d", rng.IntN(80))] = 1 + rng.IntN(6)
		}
		k := rng.IntN(12)
		var all []FacetValue
		for v, n := range byValue {
			all = append(all, FacetValue{Value: v, Count: n})
		}
		slices.SortFunc(all, func(a, b FacetValue) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return strings.Compare(a.Value, b.Value)
		})
		want := all[:min(k, len(all))]
		if got := topValues(byValue, k); !slices.Equal(got, want) {
			t.Fatalf("top %d of %v: got %v, want %v", k, byValue, got, want)
		}
	}
}
