package crm_test

import (
	"context"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/search"
)

// chartBenchDB opens the start page benchmark's PostgreSQL database with the
// demo of n contacts: a fresh one, dropped afterwards, or with
// RAPPORT_CHART_DB=name one kept between runs, loaded the first time (a
// marker table says with how many contacts) and migrated every time, for
// iterating without the minutes of loading. Names of the bench datasets
// (rapport_bench_*) are refused.
func chartBenchDB(b *testing.B, n int) *db.DB {
	b.Helper()
	ctx := context.Background()
	name := os.Getenv("RAPPORT_CHART_DB")
	if name == "" {
		d := dbtest.Open(b, dialect.Postgres, nil)
		loadChartDemo(b, d, n)
		return d
	}
	if strings.HasPrefix(name, "rapport_bench_") || strings.ContainsAny(name, `"; `) {
		b.Fatalf("RAPPORT_CHART_DB=%q: not a name this benchmark may use", name)
	}
	admin, err := sql.Open("postgres", dbtest.AdminURL())
	if err != nil {
		b.Fatal(err)
	}
	defer admin.Close()
	var exists bool
	if err := admin.QueryRowContext(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		b.Fatal(err)
	}
	if !exists {
		if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
			b.Fatal(err)
		}
	}
	u, _ := url.Parse(dbtest.AdminURL())
	u.Path = "/" + name
	d, err := db.Open(ctx, db.Unbounded(u.String()), "", search.Outbox(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	var have int
	if err := d.SQL.QueryRowContext(ctx, "SELECT contacts FROM chart_bench_marker").Scan(&have); err == nil && have == n {
		return d
	} else if err == nil || exists {
		b.Fatalf("database %s holds other data (%d contacts); drop it or name another", name, have)
	}
	loadChartDemo(b, d, n)
	if _, err := d.SQL.ExecContext(ctx, "CREATE TABLE chart_bench_marker AS SELECT $1::int AS contacts", n); err != nil {
		b.Fatal(err)
	}
	return d
}

func loadChartDemo(b *testing.B, d *db.DB, n int) {
	ctx := context.Background()
	start := time.Now()
	if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: n}); err != nil {
		b.Fatal(err)
	}
	if _, err := d.SQL.ExecContext(ctx, "VACUUM ANALYZE"); err != nil { // as autovacuum would: index-only scans need the visibility map
		b.Fatal(err)
	}
	b.Logf("loaded the demo of %d contacts in %s", n, time.Since(start).Round(time.Second))
}
