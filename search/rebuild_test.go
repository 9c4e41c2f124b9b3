package search_test

import (
	"context"
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/graph"
	"github.com/rapport-crm/rapport/search"
)

// TestRebuildAnswersLikeTheIndexer: an index written as a build's merged
// segments (Build, `rapport reindex`; docAnalysis) answers every query
// exactly as the index the indexer wrote change by change: the same
// totals, the same hits in name order, the same relevance hits as a set,
// the same facet counts, the same MatchIDs.
func TestRebuildAnswersLikeTheIndexer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		followed := openService(t, d) // empty: it follows the change log
		if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: 1500, Interactions: 6000, Seed: 11}); err != nil {
			t.Fatal(err)
		}
		wantInSync(t, followed)
		store := search.Store{Dir: filepath.Join(t.TempDir(), "index")}
		st, err := search.Build(ctx, store, d.Querier(), graph.Loader{DB: d.SQL, Dialect: d.Dialect}, 30*time.Second, nil)
		if err != nil {
			t.Fatal(err)
		}
		if st.Contacts < 1500 {
			t.Fatalf("built %d contacts, want ≥ 1500", st.Contacts)
		}
		rebuilt, err := search.Open(ctx, search.Options{Dir: store.Dir, Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect})
		if err != nil {
			t.Fatal(err)
		}
		defer rebuilt.Close()
		if g := rebuilt.Generation(); g != st.Generation {
			t.Fatalf("opened generation %q, built %q", g, st.Generation)
		}
		sameAnswers(t, followed, rebuilt)
	})
}

// sameAnswers fails unless a and b answer a set of queries identically.
func sameAnswers(t *testing.T, a, b *search.Service) {
	t.Helper()
	ctx := context.Background()
	queries := []search.Request{
		{},
		{Q: "gesundheit"},
		{Q: "müller"},
		{Q: "mode berlin"},
		{Q: "journalistin"},
		{Q: `"medizin prävention"`},
		{Q: "nachhaltigkeit", Filters: map[string][]string{search.FacetKind: {"journalist", "blogger"}}},
		{Q: "food", Filters: map[string][]string{search.FacetRegion: {"Bayern", "Berlin"}}},
		{Filters: map[string][]string{search.FacetTopic: {"IT"}}},
		{Q: "reise", Sort: search.SortReach},
	}
	hits := 0
	for _, q := range queries {
		for _, sort := range []string{search.SortName, search.SortRelevance} {
			r := q
			r.Size, r.Facets = 100, true
			if r.Sort == "" || sort == search.SortName {
				r.Sort = sort
			}
			ra, err := a.Search(ctx, r)
			if err != nil {
				t.Fatalf("%+v: %v", r, err)
			}
			rb, err := b.Search(ctx, r)
			if err != nil {
				t.Fatalf("%+v: %v", r, err)
			}
			ia, ib := hitIDs(ra), hitIDs(rb)
			if r.Sort == search.SortRelevance { // equal scores may come in either order
				slices.Sort(ia)
				slices.Sort(ib)
			}
			if ra.Total != rb.Total || !slices.Equal(ia, ib) {
				t.Errorf("%+v: %d hits %v, rebuilt %d hits %v", r, ra.Total, ia, rb.Total, ib)
			}
			if !reflect.DeepEqual(ra.Facets, rb.Facets) {
				t.Errorf("%+v: facets %s, rebuilt %s", r, fmt.Sprint(ra.Facets), fmt.Sprint(rb.Facets))
			}
			hits += len(ia)
		}
		if q.Q == "" {
			continue
		}
		ma, err := a.MatchIDs(ctx, q.Q)
		if err != nil {
			t.Fatal(err)
		}
		mb, err := b.MatchIDs(ctx, q.Q)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(ma)
		slices.Sort(mb)
		if !slices.Equal(ma, mb) {
			t.Errorf("MatchIDs(%q): %d ids, rebuilt %d", q.Q, len(ma), len(mb))
		}
	}
	if hits < 200 {
		t.Errorf("the queries found %d hits in all: too few to compare", hits)
	}
}

func hitIDs(r *search.Result) []int {
	ids := make([]int, len(r.Hits))
	for i, h := range r.Hits {
		ids[i] = h.ID
	}
	return ids
}
