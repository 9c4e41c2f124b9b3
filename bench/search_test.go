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
	"syscall"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/graph"
	"github.com/rapport-crm/rapport/search"
)

const benchSeed = 1

// benchSize is RAPPORT_BENCH_SIZE, default 10,000 contacts (with ten
// interactions each, as demo.Load makes them).
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
	d, err := db.Open(ctx, db.Unbounded(u.String()), "", nil)
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
		if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: size, Seed: benchSeed}); err != nil {
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
	s, err := search.Open(ctx, search.Options{Dir: dir, DB: d.SQL, Dialect: d.Dialect, ListenURL: u.String()})
	if err != nil {
		return nil, err
	}
	go s.Run(context.Background())
	return &dataset{db: d, url: u.String(), search: s, size: size, indexDir: dir}, nil
}

// prepareFullText gives the benchmark database (only it, not the app's
// schema) PostgreSQL's own full-text search, with GIN indexes, in two
// variants: bench_tsv, a German tsvector of the contact's own columns
// (names, title, bio, city, region), and bench_doc, a German tsvector of
// what the bleve document holds: names (weight A); outlets with roles,
// topics and title (B); bio, city, region, tags, handles and e-mail
// addresses (C); subject and body of the newest MaxNotes interactions (D).
func prepareFullText(ctx context.Context, q *sql.DB) error {
	has := func(column string) (bool, error) {
		var ok bool
		err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.columns
		WHERE table_name = 'contacts' AND column_name = $1)`, column).Scan(&ok)
		return ok, err
	}
	for _, v := range []struct {
		column string
		stmts  []string
	}{
		{"bench_tsv", []string{
			`ALTER TABLE contacts ADD COLUMN bench_tsv tsvector`,
			`UPDATE contacts SET bench_tsv = to_tsvector('german', first_name || ' ' || last_name || ' ' || title || ' ' || bio || ' ' || city || ' ' || region)`,
			`CREATE INDEX contacts_bench_tsv ON contacts USING GIN (bench_tsv)`,
		}},
		{"bench_doc", []string{
			`ALTER TABLE contacts ADD COLUMN bench_doc tsvector`,
			`UPDATE contacts c SET bench_doc =
	setweight(to_tsvector('german', c.first_name || ' ' || c.last_name), 'A') ||
	setweight(to_tsvector('german', c.title || ' ' ||
		COALESCE((SELECT string_agg(o.name || ' ' || m.role, ' ') FROM employments m JOIN outlets o ON o.id = m.outlet_id WHERE m.contact_id = c.id), '') || ' ' ||
		COALESCE((SELECT string_agg(t.name, ' ') FROM contact_topics x JOIN topics t ON t.id = x.topic_id WHERE x.contact_id = c.id), '')), 'B') ||
	setweight(to_tsvector('german', c.bio || ' ' || c.city || ' ' || c.region || ' ' ||
		COALESCE((SELECT string_agg(t.name, ' ') FROM contact_tags x JOIN tags t ON t.id = x.tag_id WHERE x.contact_id = c.id), '') || ' ' ||
		COALESCE((SELECT string_agg(handle, ' ') FROM social_profiles WHERE contact_id = c.id), '') || ' ' ||
		COALESCE((SELECT string_agg(address, ' ') FROM contact_emails WHERE contact_id = c.id), '')), 'C') ||
	setweight(to_tsvector('german', COALESCE((SELECT string_agg(n.subject || ' ' || n.body, ' ') FROM (
		SELECT i.subject, SUBSTR(i.body, 1, 2000) AS body FROM participations p JOIN interactions i ON i.id = p.interaction_id
		WHERE p.contact_id = c.id ORDER BY i.occurred_at DESC, i.id DESC LIMIT ` + strconv.Itoa(search.MaxNotes) + `) n), '')), 'D')`,
			`CREATE INDEX contacts_bench_doc ON contacts USING GIN (bench_doc)`,
		}},
	} {
		ok, err := has(v.column)
		if err != nil || ok {
			if err != nil {
				return err
			}
			continue
		}
		for _, stmt := range append(v.stmts, `ANALYZE contacts`) {
			if _, err := q.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("prepare full-text peer: %w", err)
			}
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
	// The peer of bleve: the same fields, every word required, the last
	// one also as a prefix (as bleve does while a word is typed).
	qFullText = `SELECT id FROM contacts, to_tsquery('german', $1) query
WHERE bench_doc @@ query AND kind = $2 AND region = $3
ORDER BY ts_rank(bench_doc, query) DESC, id LIMIT 20`
	// The contact's own columns only, plain words.
	qFullTextColumns = `SELECT id FROM contacts, plainto_tsquery('german', $1) query
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
		return drain(d.db.SQL.QueryContext(ctx, qFullText, tsquery(c.q), c.kind, c.region))
	})
	run("postgres_tsvector_contact_columns", func(c searchCase) error {
		return drain(d.db.SQL.QueryContext(ctx, qFullTextColumns, c.q, c.kind, c.region))
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

// tsquery is the to_tsquery text of the benchmark's words (letters only):
// all of them, the last also as a prefix.
func tsquery(q string) string {
	words := strings.Fields(q)
	words[len(words)-1] += ":*"
	return strings.Join(words, " & ")
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
	cpu0 := cpuTime()
	for b.Loop() {
		dir := b.TempDir()
		lat.time(func() {
			st, err := search.Build(ctx, search.Store{Dir: filepath.Join(dir, "index")}, graph.Loader{DB: d.db.SQL, Dialect: d.db.Dialect}, 30*time.Second, nil)
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
