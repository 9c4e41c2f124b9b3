package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/lib/pq"
	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/graph"
	"github.com/rapport-crm/rapport/search"
)

// Size is the number of demo contacts the benchmarks run on:
// RAPPORT_BENCH_SIZE, 10,000 by default (make bench BENCH_SIZE=100000).
func Size() int {
	if n, err := strconv.Atoi(os.Getenv("RAPPORT_BENCH_SIZE")); err == nil && n > 0 {
		return n
	}
	return 10_000
}

// Seed is the demo seed of every benchmark dataset.
const Seed = 1

// datasetVersion changes when what a prepared dataset holds changes (its
// preparation, the peer's columns): a dataset of another version is rebuilt.
const datasetVersion = 5 // 5: the peer holds the coverage a contact authored (search mapping 9); 4: the combined text field (mapping 8)

var (
	ensureOnce sync.Once
	ensureErr  error
)

// ensureDataset makes sure the benchmark database of Size() contacts exists
// whole: loaded, prepared for the peers, analysed and marked, in that order.
// It is built under a temporary name and renamed when complete, so an
// interrupted build is never mistaken for a dataset; a database without its
// marker (or of another version) is dropped and built again. Once per process.
func ensureDataset(tb testing.TB) {
	tb.Helper()
	ensureOnce.Do(func() {
		if ensureErr = buildDataset(context.Background()); ensureErr != nil {
			fmt.Fprintf(os.Stderr, "benchmark dataset %s: %v\n", datasetName(), ensureErr)
		}
	})
	if ensureErr != nil {
		// A benchmark without its data fails: skipping would print nothing
		// without -v and leave a table with holes that look like results.
		tb.Fatal(ensureErr)
	}
}

// Dataset opens the PostgreSQL benchmark database (see ensureDataset) with
// a pool that closes when tb ends.
func Dataset(tb testing.TB) *db.DB {
	tb.Helper()
	ensureDataset(tb)
	d, err := db.Open(context.Background(), db.Unbounded(datasetURL()), "", search.Outbox(), nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}

func buildDataset(ctx context.Context) error {
	admin, err := sql.Open("postgres", dbtest.AdminURL())
	if err != nil {
		return err
	}
	defer admin.Close()
	if err := admin.PingContext(ctx); err != nil {
		return fmt.Errorf("benchmarks need PostgreSQL at %s: %w", dbtest.AdminURL(), err)
	}
	name, building := datasetName(), datasetName()+"_building"
	if ok, err := markedDataset(ctx, admin, name); err != nil || ok {
		if ok {
			err = migrateAndVacuum(ctx, name)
		}
		return err
	}
	for _, n := range []string{name, building} {
		if _, err := admin.ExecContext(ctx, "DROP DATABASE IF EXISTS "+n+" WITH (FORCE)"); err != nil {
			return fmt.Errorf("drop %s: %w", n, err)
		}
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+building); err != nil {
		return err
	}
	times, err := fillDataset(ctx, urlOf(building))
	if err != nil {
		return fmt.Errorf("build %s: %w", building, err)
	}
	if _, err := admin.ExecContext(ctx, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", building); err != nil {
		return err
	}
	if _, err := admin.ExecContext(ctx, "ALTER DATABASE "+building+" RENAME TO "+name); err != nil {
		return fmt.Errorf("rename the finished dataset: %w", err)
	}
	fmt.Fprintf(os.Stderr, "built dataset %s: %s\n", name, times)
	_, err = markedDataset(ctx, admin, name) // prints its configuration lines
	return err
}

// fillDataset loads, prepares and analyses the database at u and writes its
// marker last; it returns what each step took.
func fillDataset(ctx context.Context, u string) (string, error) {
	d, err := db.Open(ctx, db.Unbounded(u), "", search.Outbox(), nil)
	if err != nil {
		return "", err
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		return "", err
	}
	start := time.Now()
	if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: Size(), Seed: Seed}); err != nil {
		return "", fmt.Errorf("load demo data: %w", err)
	}
	load := time.Since(start)
	// Statistics first: the peers' preparation joins every table per contact
	// and, planned without them, took 35 minutes at 100,000 contacts.
	start = time.Now()
	if _, err := d.SQL.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		return "", err
	}
	analyze := time.Since(start)
	start = time.Now()
	if err := prepareFullText(ctx, d); err != nil {
		return "", err
	}
	if _, err := d.SQL.ExecContext(ctx, "VACUUM ANALYZE contacts"); err != nil {
		return "", err
	}
	prepare := time.Since(start)
	times := fmt.Sprintf("load %s, analyse %s, peers %s", load.Round(time.Second), analyze.Round(time.Second), prepare.Round(time.Second))
	_, err = d.SQL.ExecContext(ctx, `CREATE TABLE bench_dataset AS SELECT $1::int AS version, $2::int AS size, $3::int AS seed,
		now() AS built_at, $4::text AS times`, datasetVersion, Size(), Seed, times)
	return times, err
}

var printed sync.Once

// markedDataset reports whether name exists with its marker of this version,
// size and seed, and prints the dataset's configuration lines once.
func markedDataset(ctx context.Context, admin *sql.DB, name string) (bool, error) {
	var exists bool
	if err := admin.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil || !exists {
		return false, err
	}
	q, err := sql.Open("postgres", urlOf(name))
	if err != nil {
		return false, err
	}
	defer q.Close()
	var (
		version, size, seed, contacts, interactions int
		built                                       time.Time
		times                                       string
	)
	err = q.QueryRowContext(ctx, `SELECT version, size, seed, built_at, times,
		(SELECT COUNT(*) FROM contacts), (SELECT COUNT(*) FROM interactions) FROM bench_dataset`).
		Scan(&version, &size, &seed, &built, &times, &contacts, &interactions)
	if err != nil || version != datasetVersion || size != Size() || seed != Seed || contacts != size {
		return false, nil // no marker (an old or interrupted build), or another dataset: build anew
	}
	printed.Do(func() {
		fmt.Printf("dataset: %s\ndataset-contacts: %d\ndataset-interactions: %d\ndataset-built: %s\ndataset-build-times: %s\n",
			name, contacts, interactions, built.UTC().Format(time.RFC3339), times)
	})
	return true, nil
}

// migrateAndVacuum brings a reused dataset to the current schema (a new
// migration's backfill runs on it as on a user's database) and runs VACUUM
// ANALYZE once per process: the project's PostgreSQL may run with autovacuum
// off, and the benchmarks rewrite contacts (health, searchable changes);
// without it the heap holds dead rows that every scan reads.
func migrateAndVacuum(ctx context.Context, name string) error {
	d, err := db.Open(ctx, db.Unbounded(urlOf(name)), "", search.Outbox(), nil)
	if err != nil {
		return err
	}
	defer d.Close()
	if applied, err := d.Migrate(ctx); err != nil {
		return err
	} else if len(applied) > 0 {
		fmt.Fprintf(os.Stderr, "migrated dataset %s: %v\n", name, applied)
	}
	start := time.Now()
	if _, err := d.SQL.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "VACUUM ANALYZE of %s in %s\n", name, time.Since(start).Round(time.Millisecond))
	return nil
}

// datasetName is the benchmark database of Size() contacts.
func datasetName() string { return fmt.Sprintf("rapport_bench_%d_s%d", Size(), Seed) }

// datasetURL is the URL of the benchmark database.
func datasetURL() string { return urlOf(datasetName()) }

func urlOf(name string) string {
	u, _ := url.Parse(dbtest.AdminURL())
	u.Path = "/" + name
	return u.String()
}

// prepareFullText gives the benchmark database (only it, not the app's
// schema) the PostgreSQL peer of the search index: bench_doc, a tsvector of
// the terms the index holds of each contact (search.PeerDocument: the same
// fields, analysed by the same analyzers, weighted by field) with a GIN
// index, and bench_name_terms, the dictionary of name terms in which the
// peer looks up names with one typo (fuzzystrmatch), as bleve does in its
// own. One transaction: an interrupted preparation leaves nothing.
func prepareFullText(ctx context.Context, d *db.DB) error {
	tx, err := d.SQL.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, stmt := range []string{
		`CREATE EXTENSION IF NOT EXISTS fuzzystrmatch`,
		`CREATE TABLE bench_peer_docs (id bigint PRIMARY KEY, doc tsvector NOT NULL)`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("prepare the search peer: %w", err)
		}
	}
	// The documents are read on the loader's own connections while this
	// transaction writes them to a table of their own: contacts is altered
	// only once they are all read.
	const insert = `INSERT INTO bench_peer_docs SELECT id, doc::tsvector FROM unnest($1::bigint[], $2::text[]) v(id, doc)`
	_, err = search.LoadAll(ctx, graph.Loader{DB: d.SQL, Dialect: d.Dialect}, func(docs []*search.Document) error {
		ids, texts := make([]int64, len(docs)), make([]string, len(docs))
		for i, doc := range docs {
			ids[i], texts[i] = int64(doc.ID), search.PeerDocument(doc)
		}
		_, err := tx.ExecContext(ctx, insert, pq.Array(ids), pq.Array(texts))
		return err
	})
	if err != nil {
		return fmt.Errorf("prepare the search peer's documents: %w", err)
	}
	for _, stmt := range []string{
		`ALTER TABLE contacts ADD COLUMN bench_doc tsvector`,
		`UPDATE contacts c SET bench_doc = p.doc FROM bench_peer_docs p WHERE p.id = c.id`,
		`DROP TABLE bench_peer_docs`,
		`CREATE INDEX contacts_bench_doc ON contacts USING GIN (bench_doc)`,
		`CREATE TABLE bench_name_terms AS SELECT DISTINCT substr(word, 3) AS term FROM contacts, unnest(tsvector_to_array(bench_doc)) word
			WHERE word LIKE '` + search.PeerNamePrefix + `%'`,
		`CREATE INDEX bench_name_terms_length ON bench_name_terms (length(term))`,
	} {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("prepare the search peer: %w", err)
		}
	}
	return tx.Commit()
}

// copyOfDataset is a database of the benchmark's own holding the demo at n
// contacts: a copy of the prepared dataset (CREATE DATABASE … TEMPLATE, a
// file copy of seconds where loading 100,000 contacts takes minutes) when n
// is its size, else an empty database for the caller to load (copied false).
// The copy is dropped when b ends.
func copyOfDataset(b *testing.B, n int) (u string, copied bool) {
	b.Helper()
	if n != Size() {
		return db.Unbounded(dbtest.CreatePostgres(b)), false
	}
	ensureDataset(b)
	admin, err := sql.Open("postgres", dbtest.AdminURL())
	if err != nil {
		b.Fatal(err)
	}
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	name := "rapport_test_copy_" + hex.EncodeToString(buf)
	// A template must have no other sessions: this process's own pools on
	// the dataset are the only ones a benchmark run holds.
	if _, err := admin.Exec("CREATE DATABASE " + name + " TEMPLATE " + datasetName()); err != nil {
		admin.Close()
		b.Logf("copy of %s refused (%v): loading the demo instead", datasetName(), err)
		return db.Unbounded(dbtest.CreatePostgres(b)), false
	}
	b.Cleanup(func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	})
	// The copy is the app's schema only: the search peer's column and its
	// GIN index would make every update of a contact (a pitch's health,
	// say) rewrite a tsvector index entry that no installation has.
	cp, err := sql.Open("postgres", urlOf(name))
	if err != nil {
		b.Fatal(err)
	}
	defer cp.Close()
	for _, q := range []string{`ALTER TABLE contacts DROP COLUMN IF EXISTS bench_doc`, `DROP TABLE IF EXISTS bench_name_terms, bench_dataset`} {
		if _, err := cp.Exec(q); err != nil {
			b.Fatalf("strip the peer from the copy: %v", err)
		}
	}
	return db.Unbounded(urlOf(name)), true
}
