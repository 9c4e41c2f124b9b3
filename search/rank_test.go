package search

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"
)

// oneScoredQuery is the plan search ran before matching and ranking were
// split: every word's ranked disjunction (its analyses in FieldText, the
// ranking fields, the typo, the prefixes) scored in one conjunction with
// the facet filters. The split plan must find the same contacts in the
// same order.
func oneScoredQuery(b builder, terms []Term, open bool, filters map[string][]string) query.Query {
	var must, mustNot []query.Query
	positive := 0
	for _, t := range terms {
		if !t.Exclude {
			positive++
		}
	}
	for i, t := range terms {
		last := open && i == len(terms)-1
		switch {
		case t.Exclude && t.Phrase:
			mustNot = append(mustNot, b.phrase(t.Text))
		case t.Exclude:
			mustNot = append(mustNot, excludedWord(b, t))
		case t.Phrase:
			must = append(must, b.phrase(t.Text))
		case positive > 1 && !last && b.isStopWord(t.Text):
		default:
			must = append(must, b.word(t, last))
		}
	}
	var q query.Query = bleve.NewMatchAllQuery()
	if len(must) > 0 || len(mustNot) > 0 {
		bq := bleve.NewBooleanQuery()
		if len(must) == 0 {
			must = append(must, bleve.NewMatchAllQuery())
		}
		bq.AddMust(must...)
		if len(mustNot) > 0 {
			bq.AddMustNot(mustNot...)
		}
		q = bq
	}
	if f := filterQueries(filters); f != nil {
		q = bleve.NewConjunctionQuery(append([]query.Query{q}, f...)...)
	}
	return q
}

// excludedWord is what -word excluded before: its analyses in FieldText
// (no typo, no prefix), an e-mail address or @handle exactly.
func excludedWord(b builder, t Term) query.Query {
	if t.isEmail() || t.isHandle() {
		return b.word(t, false)
	}
	var any []query.Query
	for _, toks := range b.analyses(t.Text) {
		any = append(any, all(FieldText, toks, 1))
	}
	return bleve.NewDisjunctionQuery(any...)
}

// rankQuery is a random search over facetDoc contacts: words of bios and
// outlets, names and their prefixes, a typo, a phrase, an exclusion, with
// or without facet filters, typed (no space after it) or not.
func rankQuery(rng *rand.Rand) (string, map[string][]string) {
	words := append(slices.Clone(facetWords), "zeit", "spiegel", "redaktion", "blog", "gesundheit", "reisen",
		"presse", "instagram", "medizn", "pflegee", "süddeutsche")
	var q string
	for range 1 + rng.IntN(3) {
		switch rng.IntN(9) {
		case 8:
			q += fmt.Sprintf("@instagram_%d ", 1+rng.IntN(400)) // a handle, or (typed) the prefix of several
		case 0:
			q += fmt.Sprintf("Vor%d ", 1+rng.IntN(4000))
		case 1:
			q += fmt.Sprintf("Nach%d ", 1+rng.IntN(400)) // a name, or (typed) the prefix of several
		case 2:
			q += fmt.Sprintf("%q ", words[rng.IntN(len(facetWords))]+" "+words[rng.IntN(len(facetWords))])
		case 3:
			q += "-" + words[rng.IntN(len(words))] + " "
		default:
			q += words[rng.IntN(len(words))] + " "
		}
	}
	if rng.IntN(2) == 0 {
		q = q[:len(q)-1] // still typing: the last word is also a prefix
	}
	_, filters := facetQuery(rng)
	return q, filters
}

// TestMatchUnscoredRanksAsOneQuery: finding the matches without scores and
// ranking only them gives, for hundreds of random searches over an index of
// several segments (with updates and deletes), the same total and the same
// hits in the same order as the one scored query it replaced — by
// relevance (scores up to a constant factor) and by name — and MatchIDs
// the same contacts.
func TestMatchUnscoredRanksAsOneQuery(t *testing.T) {
	ix := emptyIndex(t)
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 6))
	docs := map[int]*Document{}
	for batch := range 4 {
		var ids []int
		for id := 1 + batch*1000; id <= (batch+1)*1000; id++ {
			docs[id], ids = facetDoc(rng, id), append(ids, id)
		}
		if err := ix.apply(ctx, ids, docs, 1+batch, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	var changed []int
	for range 300 {
		id := 1 + rng.IntN(4000)
		if rng.IntN(3) == 0 {
			delete(docs, id)
		} else {
			docs[id] = facetDoc(rng, id)
		}
		changed = append(changed, id)
	}
	slices.Sort(changed)
	if err := ix.apply(ctx, slices.Compact(changed), docs, 9, time.Now()); err != nil {
		t.Fatal(err)
	}
	b := ix.builder()
	compared, withHits := 0, 0
	for i := range 400 {
		q, filters := rankQuery(rng)
		terms, open := Parse(q)
		for _, s := range []string{SortRelevance, SortName} {
			want := topIDs(t, ix, oneScoredQuery(b, terms, open, filters), s)
			got := topIDs(t, ix, ix.query(terms, open, filters, byRelevance(s)), s)
			if got.total != want.total || !slices.Equal(got.ids, want.ids) {
				t.Fatalf("search %d %q %v by %s: %d hits %v, one scored query %d %v", i, q, filters, s, got.total, got.ids, want.total, want.ids)
			}
			if want.total > 0 {
				withHits++
			}
			compared++
		}
		if len(filters) == 0 {
			ids, err := ix.matchIDs(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			all := topIDs(t, ix, oneScoredQuery(b, terms, open, nil), SortName)
			if slices.Sort(ids); !slices.Equal(ids, slices.Sorted(slices.Values(all.ids))) {
				t.Fatalf("MatchIDs %q: %d contacts, one scored query %d", q, len(ids), len(all.ids))
			}
		}
	}
	t.Logf("%d searches compared, %d of them with hits", compared, withHits)
	if withHits < compared/3 {
		t.Fatalf("only %d of %d searches found anything: the comparison says little", withHits, compared)
	}
}

type rankedIDs struct {
	total uint64
	ids   []int
}

// topIDs runs q ordered by s and returns every hit's id in order. By
// relevance the order is that of the scores relative to the best one,
// rounded to 9 digits, then the id: the two plans scale every score by
// their own constant (the query norm) and add the same parts in another
// order, which changes the last bits of scores that are equal.
func topIDs(t *testing.T, ix *Index, q query.Query, s string) rankedIDs {
	t.Helper()
	req := bleve.NewSearchRequestOptions(q, 10_000, 0, false)
	cols := ix.columns(nil)
	req.SortByCustom(sortOrder(s, cols))
	sr, err := ix.b.SearchInContext(cols.context(context.Background()), req)
	if err != nil {
		t.Fatal(err)
	}
	type hit struct {
		id    int
		score float64
	}
	hits := make([]hit, len(sr.Hits))
	best := 0.0
	for i, h := range sr.Hits {
		id, err := strconv.Atoi(h.ID)
		if err != nil {
			t.Fatal(err)
		}
		hits[i], best = hit{id, h.Score}, max(best, h.Score)
	}
	if byRelevance(s) && best > 0 {
		for i := range hits {
			hits[i].score = math.Round(hits[i].score/best*1e9) / 1e9
		}
		slices.SortStableFunc(hits, func(a, b hit) int {
			if c := cmp.Compare(b.score, a.score); c != 0 {
				return c
			}
			return cmp.Compare(a.id, b.id)
		})
	}
	out := rankedIDs{total: sr.Total}
	for _, h := range hits {
		out.ids = append(out.ids, h.id)
	}
	return out
}

// BenchmarkRankPlans: the one scored query against matching unscored and
// ranking the matches, for searches of the bench's shape (one or two words,
// the last typed, two facet filters) over 20,000 generated contacts.
func BenchmarkRankPlans(b *testing.B) {
	ix, _ := generatedIndex(b, 20_000, 3, 4)
	cases := []struct {
		q       string
		filters map[string][]string
	}{
		{"medizin", map[string][]string{FacetKind: {"journalist"}, FacetRegion: {"München"}}},
		{"pflege reisen", map[string][]string{FacetKind: {"blogger"}, FacetRegion: {"Berlin"}}},
		{"süddeutsche redaktion", map[string][]string{FacetKind: {"journalist"}, FacetRegion: {"Hamburg"}}},
		{"klima", map[string][]string{FacetKind: {"creator"}, FacetRegion: {"Köln"}}},
	}
	run := func(name string, plan func(terms []Term, open bool, filters map[string][]string) query.Query) {
		b.Run(name, func(b *testing.B) {
			i := 0
			for b.Loop() {
				c := cases[i%len(cases)]
				i++
				terms, open := Parse(c.q)
				cols := ix.columns(nil)
				req := bleve.NewSearchRequestOptions(plan(terms, open, c.filters), 21, 0, false)
				req.SortByCustom(sortOrder(SortRelevance, cols))
				if _, err := ix.b.SearchInContext(cols.context(context.Background()), req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	run("one_scored_query", func(terms []Term, open bool, filters map[string][]string) query.Query {
		return oneScoredQuery(ix.builder(), terms, open, filters)
	})
	run("match_unscored_then_rank", func(terms []Term, open bool, filters map[string][]string) query.Query {
		return ix.query(terms, open, filters, true)
	})
}
