package bench

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/search"
)

const benchSeed = 1

// benchSize is RAPPORT_BENCH_SIZE, default 10,000 contacts (with ten
// interactions each, as crm.LoadDemo makes them).
func benchSize() int {
	if n, err := strconv.Atoi(os.Getenv("RAPPORT_BENCH_SIZE")); err == nil && n > 0 {
		return n
	}
	return 10_000
}

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
	dsOnce.Do(func() { ds, dsErr = openDataset(benchSize()) })
	if dsErr != nil {
		b.Skip(dsErr)
	}
	return ds
}

func openDataset(size int) (*dataset, error) {
	ctx := context.Background()
	admin, err := sql.Open("postgres", dbtest.AdminURL())
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	if err := admin.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("PostgreSQL not reachable at %s: %w", dbtest.AdminURL(), err)
	}
	name := fmt.Sprintf("rapport_bench_%d_s%d", size, benchSeed)
	var exists bool
	if err := admin.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return nil, err
	}
	if !exists {
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
			return nil, err
		}
	}
	u, _ := url.Parse(dbtest.AdminURL())
	u.Path = "/" + name
	d, err := db.Open(ctx, u.String(), "", nil)
	if err != nil {
		return nil, err
	}
	if _, err := d.Migrate(ctx); err != nil {
		return nil, err
	}
	n, err := d.Client.Contact.Query().Count(ctx)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		start := time.Now()
		if _, err := crm.LoadDemo(ctx, d.Client, crm.DemoOptions{Contacts: size, Seed: benchSeed}); err != nil {
			return nil, fmt.Errorf("load demo data: %w", err)
		}
		fmt.Fprintf(os.Stderr, "loaded %d demo contacts into %s in %s\n", size, name, time.Since(start).Round(time.Second))
	}
	if err := prepareFullText(ctx, d.SQL); err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "rapport-bench-index-")
	if err != nil {
		return nil, err
	}
	s, err := search.Open(ctx, search.Options{Dir: dir, DB: d.SQL, ListenURL: u.String()})
	if err != nil {
		return nil, err
	}
	go s.Run(context.Background())
	return &dataset{db: d, url: u.String(), search: s, size: size, indexDir: dir}, nil
}

// prepareFullText gives the benchmark database (only it, not the app's
// schema) PostgreSQL's own full-text search over the same text the index
// holds of a contact itself: a German tsvector of names, title, bio, city
// and region, with a GIN index.
func prepareFullText(ctx context.Context, q *sql.DB) error {
	var has bool
	err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.columns
		WHERE table_name = 'contacts' AND column_name = 'bench_tsv')`).Scan(&has)
	if err != nil || has {
		return err
	}
	for _, stmt := range []string{
		`ALTER TABLE contacts ADD COLUMN bench_tsv tsvector`,
		`UPDATE contacts SET bench_tsv = to_tsvector('german', first_name || ' ' || last_name || ' ' || title || ' ' || bio || ' ' || city || ' ' || region)`,
		`CREATE INDEX contacts_bench_tsv ON contacts USING GIN (bench_tsv)`,
		`ANALYZE`,
	} {
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("prepare full-text peer: %w", err)
		}
	}
	return nil
}

// searchCase is text plus two facet filters, the workload of the search page.
type searchCase struct {
	q            string
	kind, region string
}

var searchCases = []searchCase{
	{"gesundheit", "journalist", "München"},
	{"redakteurin pflege", "journalist", "Berlin"},
	{"bloggerin", "blogger", "Hamburg"},
	{"energiewende", "journalist", "Köln"},
	{"community engagierte", "creator", "Berlin"},
	{"pressereisen vorlauf", "journalist", "München"},
}

const (
	qFullText = `SELECT id FROM contacts, plainto_tsquery('german', $1) query
WHERE bench_tsv @@ query AND kind = $2 AND region = $3
ORDER BY ts_rank(bench_tsv, query) DESC, id LIMIT 20`
	qILike = `SELECT id FROM contacts WHERE kind = $1 AND region = $2 AND %s ORDER BY last_name, first_name, id LIMIT 20`
)

// BenchmarkSearch: text plus two facets, top 20 — Rapport's bleve index
// (with and without counting all eight facets) against PostgreSQL full-text
// search (tsvector, GIN, ts_rank) and ILIKE, on the same data in the same run.
func BenchmarkSearch(b *testing.B) {
	d := loadDataset(b)
	ctx := context.Background()
	run := func(name string, f func(c searchCase) error) {
		b.Run(name, func(b *testing.B) {
			var lat latencies
			i := 0
			for b.Loop() {
				c := searchCases[i%len(searchCases)]
				i++
				var err error
				lat.time(func() { err = f(c) })
				if err != nil {
					b.Fatal(err)
				}
			}
			lat.report(b)
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
	run("postgres_tsvector", func(c searchCase) error {
		return drain(d.db.SQL.QueryContext(ctx, qFullText, c.q, c.kind, c.region))
	})
	run("postgres_ilike", func(c searchCase) error {
		var conds []string
		args := []any{c.kind, c.region}
		for _, w := range strings.Fields(c.q) {
			args = append(args, "%"+w+"%")
			n := len(args)
			conds = append(conds, fmt.Sprintf("(first_name ILIKE $%d OR last_name ILIKE $%d OR title ILIKE $%d OR bio ILIKE $%d OR city ILIKE $%d)", n, n, n, n, n))
		}
		return drain(d.db.SQL.QueryContext(ctx, fmt.Sprintf(qILike, strings.Join(conds, " AND ")), args...))
	})
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
	var lat latencies
	for b.Loop() {
		dir := b.TempDir()
		lat.time(func() {
			st, err := search.Build(ctx, search.Store{Dir: filepath.Join(dir, "index")}, d.db.SQL, 30*time.Second, nil)
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
