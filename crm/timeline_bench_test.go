package crm

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search/query"

	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/search"
)

// benchNote is a note of about 300 characters of ordinary German; the
// oldest (i = n-1) alone is about gliding.
func benchNote(n int) func(i int) (string, string) {
	words := strings.Fields("Rückruf wegen der Pressemitteilung zum Frühjahr, Bildmaterial folgt nächste Woche. " +
		"Die Redaktion plant einen Bericht über Wärmepumpen in Bayern und bittet um Zahlen, Ansprechpartner und Termine. " +
		"Kollegin aus München übernimmt das Thema ab Januar; Interview mit der Geschäftsführung angefragt, Rückmeldung bis Freitag.")
	return func(i int) (string, string) {
		if i == n-1 {
			return "Treffen", "Sprach über Segelflug und die Saison im Allgäu."
		}
		k := i % len(words)
		return "Rückfrage " + strconv.Itoa(i), strings.Join(append(slices.Clone(words[k:]), words[:k]...), " ")
	}
}

// BenchmarkTimelineText times a timeline search of a contact with 10,000
// interactions, both designs of issue 19 item 4 in one run: "go" reads the
// interactions newest first and matches them in Go (search.NoteQuery, what
// LoadTimelineFiltered does); "memindex" reads them all, indexes them in an
// in-memory bleve index with the same analyzer and queries it. "rare" is a
// word only the oldest note has (every note read), "common" one that most
// have (a page and stop).
//
//	nice -n 19 go test -run '^$' -bench TimelineText -benchtime 5x ./crm/
func BenchmarkTimelineText(b *testing.B) {
	const n = 10_000
	defer func(d time.Duration) { TimelineBudget = d }(TimelineBudget)
	TimelineBudget = time.Minute // the whole scan is what is measured
	for _, dia := range dbtest.Dialects {
		d := dbtest.Open(b, dia, nil)
		ctx := context.Background()
		id := makeContacts(b, d.Client, 1)[0]
		logNotes(b, d.Client, id, n, benchNote(n))
		for _, q := range []struct{ name, text string }{{"rare", "Segelflüge"}, {"common", "Pressemitteilungen"}} {
			b.Run(dbtest.Name(dia)+"/"+q.name+"/go", func(b *testing.B) {
				for b.Loop() {
					tl, err := LoadTimelineFiltered(ctx, d.Client, id, TimelineFilter{Text: q.text}, "", 20)
					if err != nil || len(tl.Entries) == 0 || tl.Partial {
						b.Fatalf("%v, %d entries, partial %v", err, len(tl.Entries), tl.Partial)
					}
				}
			})
			b.Run(dbtest.Name(dia)+"/"+q.name+"/memindex", func(b *testing.B) {
				for b.Loop() {
					if hits := memIndexSearch(b, ctx, d.Client, id, q.text); hits == 0 {
						b.Fatal("no hits")
					}
				}
			})
		}
	}
}

// memIndexSearch is the other design: every interaction of the contact in
// an in-memory bleve index (GermanProse, as the index's notes), then each
// word's analyses looked up as the search page does. It returns the hits.
func memIndexSearch(b *testing.B, ctx context.Context, c *ent.Client, id int, text string) int {
	entries, err := readTimeline(ctx, c, id, fmt.Sprintf(timelineQuery, "", "", 1_000_000), []any{id})
	if err != nil {
		b.Fatal(err)
	}
	m, err := search.NewMapping()
	if err != nil {
		b.Fatal(err)
	}
	dm := bleve.NewDocumentStaticMapping()
	f := bleve.NewTextFieldMapping()
	f.Analyzer, f.Store, f.IncludeTermVectors, f.IncludeInAll = search.GermanProse, false, false, false
	dm.AddFieldMappingsAt("note", f)
	m.DefaultMapping = dm
	ix, err := bleve.NewMemOnly(m)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	batch := ix.NewBatch()
	for _, e := range entries {
		if err := batch.Index(strconv.Itoa(e.ID), map[string]any{"note": e.Subject + " — " + e.Body}); err != nil {
			b.Fatal(err)
		}
	}
	if err := ix.Batch(batch); err != nil {
		b.Fatal(err)
	}
	var must []query.Query
	for _, w := range strings.Fields(text) {
		var any []query.Query
		for _, a := range []string{search.NameAnalyzer, search.GermanProse, search.EnglishProse, search.AddressTokens} {
			var all []query.Query
			for _, t := range m.AnalyzerNamed(a).Analyze([]byte(w)) {
				tq := bleve.NewTermQuery(string(t.Term))
				tq.SetField("note")
				all = append(all, tq)
			}
			if len(all) > 0 {
				any = append(any, bleve.NewConjunctionQuery(all...))
			}
		}
		must = append(must, bleve.NewDisjunctionQuery(any...))
	}
	req := bleve.NewSearchRequestOptions(bleve.NewConjunctionQuery(must...), n10k, 0, false)
	res, err := ix.SearchInContext(ctx, req)
	if err != nil {
		b.Fatal(err)
	}
	return len(res.Hits)
}

const n10k = 10_000
