package bench

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
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

// Dataset opens the PostgreSQL benchmark database of Size() demo contacts
// (ten interactions each), creating and loading it on first use and reusing
// it afterwards: it is named after its size and seed and kept between runs.
func Dataset(tb testing.TB) *db.DB {
	tb.Helper()
	ctx := context.Background()
	size := Size()
	name := datasetName()
	admin, err := sql.Open("postgres", dbtest.AdminURL())
	if err != nil {
		tb.Fatal(err)
	}
	defer admin.Close()
	if err := admin.PingContext(ctx); err != nil {
		tb.Skipf("benchmarks need PostgreSQL at %s: %v", dbtest.AdminURL(), err)
	}
	u, _ := url.Parse(datasetURL())
	var exists bool
	if err := admin.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		tb.Fatal(err)
	}
	if exists {
		d, err := db.Open(ctx, db.Unbounded(u.String()), "", nil)
		if err == nil {
			if _, err = d.Migrate(ctx); err == nil {
				if n, cerr := d.Client.Contact.Query().Count(ctx); cerr == nil && n == size {
					tb.Cleanup(func() { d.Close() })
					vacuumOnce.Do(func() { vacuum(tb, d) })
					return d
				}
			}
			d.Close()
		}
		if _, err := admin.ExecContext(ctx, "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		tb.Fatal(err)
	}
	d, err := db.Open(ctx, db.Unbounded(u.String()), "", nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: size, Seed: Seed}); err != nil {
		tb.Fatal(err)
	}
	vacuumOnce.Do(func() { vacuum(tb, d) })
	tb.Logf("loaded %d demo contacts into %s in %s", size, name, time.Since(start).Round(time.Second))
	return d
}

// datasetName is the benchmark database of Size() contacts.
func datasetName() string { return fmt.Sprintf("rapport_bench_%d_s%d", Size(), Seed) }

// datasetURL is the URL of the benchmark database.
func datasetURL() string {
	u, _ := url.Parse(dbtest.AdminURL())
	u.Path = "/" + datasetName()
	return u.String()
}

var vacuumOnce sync.Once

// vacuum runs VACUUM ANALYZE on the benchmark database once per process.
// The project's PostgreSQL runs with autovacuum off, and the benchmarks
// rewrite contacts (health, the search peer's tsvector column): without it
// the contacts heap holds three dead rows for every live one and every
// sequential or index-only scan (COUNT, the region choices) reads them all.
func vacuum(tb testing.TB, d *db.DB) {
	start := time.Now()
	if _, err := d.SQL.Exec("VACUUM ANALYZE"); err != nil {
		tb.Fatal(err)
	}
	tb.Logf("VACUUM ANALYZE of %s in %s", datasetName(), time.Since(start).Round(time.Millisecond))
}
