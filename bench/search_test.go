package bench

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/graph"
	"github.com/rapport-crm/rapport/search"
)

// dataset is the demo data on PostgreSQL with its search index, loaded once
// per size and seed and kept between runs (database rapport_bench_N_sS), and
// the index built once per process.
type dataset struct {
	db       *db.DB
	url      string
	search   *search.Service
	size     int
	indexDir string
}

var (
	dsOnce sync.Once
	ds     *dataset
	dsErr  error
)

func loadDataset(b *testing.B) *dataset {
	b.Helper()
	ensureDataset(b) // outside the Once: a failed build must not leave ds nil for the next benchmark
	dsOnce.Do(func() { ds, dsErr = openDataset() })
	if dsErr != nil {
		b.Fatal(dsErr)
	}
	return ds
}

func openDataset() (*dataset, error) {
	ctx := context.Background()
	u := db.Unbounded(datasetURL())
	d, err := db.Open(ctx, u, "", search.Outbox(), nil)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "rapport-bench-index-")
	if err != nil {
		return nil, err
	}
	s, err := search.Open(ctx, search.Options{Dir: dir, Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect, ListenURL: u})
	if err != nil {
		return nil, err
	}
	go s.Run(context.Background())
	return &dataset{db: d, url: u, search: s, size: Size(), indexDir: dir}, nil
}

// searchCase is text plus two facet filters, the workload of the search page.
type searchCase struct {
	q            string
	kind, region string
}

var searchCases = []searchCase{
	{"gesundheit", "journalist", "München"},
	{"medizin pflege", "journalist", "Berlin"},
	{"nachhaltigkeit", "blogger", "Hamburg"},
	{"software datenschutz", "journalist", "Hamburg"},
	{"reisen", "creator", "München"},
	{"energiewende", "journalist", "Köln"},
	{"community engagierte", "creator", "Berlin"},
	{"pressereisen vorlauf", "journalist", "München"},
}

// qFullText is the peer of bleve: PostgreSQL's GIN index over the same
// terms (search.PeerDocument), asked what the index is asked
// (search.PeerQuery), ranked by ts_rank.
const qFullText = `SELECT id FROM contacts, CAST($1 AS tsquery) query
WHERE bench_doc @@ query AND kind = $2 AND region = $3
ORDER BY ts_rank(bench_doc, query) DESC, id LIMIT 20`

// qNearNames is the peer's typo tolerance: the name terms within one edit
// of each of $1's terms, looked up in the dictionary of name terms as bleve
// looks them up in its own.
const qNearNames = `SELECT w.term, d.term FROM unnest($1::text[]) w(term)
JOIN bench_name_terms d ON length(d.term) BETWEEN length(w.term) - 1 AND length(w.term) + 1
	AND levenshtein(d.term, w.term) <= 1`

// BenchmarkSearch: text plus two facets, top 20 — Rapport's bleve index
// (with and without counting all eight facets) against PostgreSQL full-text
// search (tsvector, GIN, ts_rank) and ILIKE, on the same data in the same run.
func BenchmarkSearch(b *testing.B) {
	d := loadDataset(b)
	ctx := context.Background()
	checkSearchPeer(b, d)
	run := func(name string, f func(c searchCase) error) {
		b.Run(name, func(b *testing.B) {
			var lat latencies
			perCase := make([]latencies, len(searchCases))
			i := 0
			for b.Loop() {
				k := i % len(searchCases)
				i++
				var err error
				start := len(lat)
				lat.time(func() { err = f(searchCases[k]) })
				if err != nil {
					b.Fatal(err)
				}
				perCase[k] = append(perCase[k], lat[start])
			}
			lat.report(b)
			var cases []string
			for k, c := range searchCases {
				if p50, p95, ok := perCase[k].percentiles(); ok {
					cases = append(cases, fmt.Sprintf("%q %.2f/%.2f", c.q, p50, p95))
				}
			}
			fmt.Printf("search-cases %s (p50/p95 ms): %s\n", name, strings.Join(cases, ", "))
		})
	}
	run("bleve", func(c searchCase) error {
		_, err := d.search.Search(ctx, search.Request{Q: c.q, Size: 20,
			Filters: map[string][]string{search.FacetKind: {c.kind}, search.FacetRegion: {c.region}}})
		return err
	})
	run("bleve_with_facet_counts_and_snippets", func(c searchCase) error {
		_, err := d.search.Search(ctx, search.Request{Q: c.q, Size: 20, Facets: true, Snippets: true,
			Filters: map[string][]string{search.FacetKind: {c.kind}, search.FacetRegion: {c.region}}})
		return err
	})
	fmt.Printf("search-facet-columns: %d bytes for %d contacts\n", d.search.FacetColumnBytes(), d.size)
	run("postgres_tsvector", func(c searchCase) error {
		tq, err := peerQuery(ctx, d, c.q)
		if err != nil {
			return err
		}
		return drain(d.db.SQL.QueryContext(ctx, qFullText, tq, c.kind, c.region))
	})
}

// qFullTextCount counts what qFullText ranks.
const qFullTextCount = `SELECT COUNT(*) FROM contacts, CAST($1 AS tsquery) query
WHERE bench_doc @@ query AND kind = $2 AND region = $3`

// checkSearchPeer fails the benchmark unless the tsvector peer matches as
// many contacts as Rapport for every case: a peer that matched fewer (or
// nothing, from a half-prepared column) would look fast for doing less.
func checkSearchPeer(b *testing.B, d *dataset) {
	b.Helper()
	ctx := context.Background()
	var agreed []string
	for _, c := range searchCases {
		res, err := d.search.Search(ctx, search.Request{Q: c.q, Size: 20,
			Filters: map[string][]string{search.FacetKind: {c.kind}, search.FacetRegion: {c.region}}})
		if err != nil {
			b.Fatal(err)
		}
		tq, err := peerQuery(ctx, d, c.q)
		if err != nil {
			b.Fatal(err)
		}
		var peer int
		if err := d.db.SQL.QueryRowContext(ctx, qFullTextCount, tq, c.kind, c.region).Scan(&peer); err != nil {
			b.Fatal(err)
		}
		if int(res.Total) != peer || peer == 0 {
			b.Fatalf("search %q (%s, %s): Rapport matches %d contacts, the tsvector peer %d: the peer does not do the same work",
				c.q, c.kind, c.region, res.Total, peer)
		}
		agreed = append(agreed, fmt.Sprintf("%q %d", c.q, peer))
	}
	peerChecked.Do(func() { fmt.Printf("search-peer-agrees: %s\n", strings.Join(agreed, ", ")) })
}

var peerChecked sync.Once

// peerQuery is the peer's tsquery of q: the near name terms looked up in
// one round trip, then the query text built as Rapport's query is.
func peerQuery(ctx context.Context, d *dataset, q string) (string, error) {
	near := map[string][]string{}
	if terms := search.PeerFuzzyTerms(q); len(terms) > 0 {
		rows, err := d.db.SQL.QueryContext(ctx, qNearNames, pq.Array(terms))
		if err != nil {
			return "", err
		}
		defer rows.Close()
		for rows.Next() {
			var w, t string
			if err := rows.Scan(&w, &t); err != nil {
				return "", err
			}
			near[w] = append(near[w], t)
		}
		if err := rows.Err(); err != nil {
			return "", err
		}
	}
	return search.PeerQuery(q, func(term string) []string { return near[term] })
}

func drain(rows *sql.Rows, err error) error {
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
	}
	return rows.Err()
}

// BenchmarkReindex builds the whole index from the database, as `rapport
// reindex` does, and reports contacts per second.
func BenchmarkReindex(b *testing.B) {
	d := loadDataset(b)
	ctx := context.Background()
	b.Run("bleve", func(b *testing.B) {
		var lat latencies
		cpu0 := cpuTime()
		for b.Loop() {
			dir := b.TempDir()
			lat.time(func() {
				st, err := search.Build(ctx, search.Store{Dir: filepath.Join(dir, "index")}, d.db.Querier(), graph.Loader{DB: d.db.SQL, Dialect: d.db.Dialect}, 30*time.Second, nil)
				if err != nil {
					b.Fatal(err)
				}
				if st.Contacts != d.size {
					b.Fatalf("indexed %d contacts, want %d", st.Contacts, d.size)
				}
			})
		}
		lat.report(b)
		b.ReportMetric(float64(d.size)/lat[len(lat)-1].Seconds(), "contacts/s")
		// CPU seconds of this process (both cores, not PostgreSQL's) per build:
		// less disturbed than wall time when others use the machine too.
		b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(len(lat)), "cpu-s/op")
	})
	// The peer the issue names: PostgreSQL building a GIN index over the same
	// text (the peer's tsvector column, which holds the tokens of the same
	// documents), in a transaction that is rolled back, so the dataset keeps
	// only its own index.
	b.Run("postgres-gin", func(b *testing.B) {
		var lat latencies
		for b.Loop() {
			lat.time(func() {
				tx, err := d.db.SQL.BeginTx(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				defer tx.Rollback()
				if _, err := tx.ExecContext(ctx, `CREATE INDEX bench_reindex_gin ON contacts USING GIN (bench_doc)`); err != nil {
					b.Fatal(err)
				}
			})
		}
		lat.report(b)
		b.ReportMetric(float64(d.size)/lat[len(lat)-1].Seconds(), "contacts/s")
	})
}

// cpuTime is the user and system CPU time of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkChangeToSearchable: the time from the commit of an edit to the
// moment the search finds it, through NOTIFY, the indexer and bleve.
func BenchmarkChangeToSearchable(b *testing.B) {
	d := loadDataset(b)
	ctx := context.Background()
	id, err := d.db.Client.Contact.Query().Order(contact.ByID()).FirstID(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var lat latencies
	n := 0
	for b.Loop() {
		n++
		word := fmt.Sprintf("Benchmarkwort%dx%d", time.Now().UnixNano()%1e9, n)
		start := time.Now()
		err := db.WithTx(ctx, d.db.Client, func(ctx context.Context, tx *ent.Tx) error {
			return tx.Contact.UpdateOneID(id).SetTitle(word).Exec(ctx)
		})
		if err != nil {
			b.Fatal(err)
		}
		for {
			res, err := d.search.Search(ctx, search.Request{Q: word + " ", Size: 1})
			if err != nil {
				b.Fatal(err)
			}
			if len(res.Hits) == 1 {
				break
			}
			if time.Since(start) > 10*time.Second {
				b.Fatal("change not searchable after 10 s")
			}
			time.Sleep(time.Millisecond)
		}
		lat = append(lat, time.Since(start))
	}
	lat.report(b)
}

// BenchmarkReindexLoad reads every contact's document from the database
// the way a rebuild does (search.LoadAll: one query per table, streamed and
// merged in id order), without indexing: the database's share of the
// rebuild.
func BenchmarkReindexLoad(b *testing.B) {
	d := loadDataset(b)
	ctx := context.Background()
	for b.Loop() {
		n, err := search.LoadAll(ctx, graph.Loader{DB: d.db.SQL, Dialect: d.db.Dialect}, func(docs []*search.Document) error { return nil })
		if err != nil {
			b.Fatal(err)
		}
		if n != d.size {
			b.Fatalf("loaded %d contacts, want %d", n, d.size)
		}
	}
	b.ReportMetric(float64(d.size)*float64(b.N)/b.Elapsed().Seconds(), "contacts/s")
}

// BenchmarkReindexTokens loads every document as a rebuild does and counts
// the terms indexing them makes, by part (search.TokenCounts), printing
// each part's share: the figures behind the decisions of which parts to
// index (issue 19: names analysed twice, the English stream, notes).
func BenchmarkReindexTokens(b *testing.B) {
	d := loadDataset(b)
	ctx := context.Background()
	counts := map[string]int{}
	for b.Loop() {
		clear(counts)
		if _, err := search.LoadAll(ctx, graph.Loader{DB: d.db.SQL, Dialect: d.db.Dialect}, func(docs []*search.Document) error {
			return search.TokenCounts(docs, counts)
		}); err != nil {
			b.Fatal(err)
		}
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	parts := slices.SortedFunc(maps.Keys(counts), func(x, y string) int { return counts[y] - counts[x] })
	var out []string
	for _, p := range parts {
		out = append(out, fmt.Sprintf("%s %d (%.1f %%)", p, counts[p], 100*float64(counts[p])/float64(max(total, 1))))
	}
	fmt.Printf("reindex-tokens: %d terms for %d contacts: %s\n", total, d.size, strings.Join(out, ", "))
	b.ReportMetric(float64(total)/float64(d.size), "terms/contact")
}
