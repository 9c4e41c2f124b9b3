// Package dbtest gives tests a real, freshly migrated database: SQLite in a
// temporary directory, and PostgreSQL in a new database on the server named by
// RAPPORT_TEST_POSTGRES_URL (default: the local one), dropped afterwards.
//
// When PostgreSQL cannot be reached its tests skip with a message, unless
// RAPPORT_REQUIRE_POSTGRES=1 (as in CI) turns that into a failure.
package dbtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/search"
)

// AdminURL is the PostgreSQL server tests create their databases on.
func AdminURL() string {
	if u := os.Getenv("RAPPORT_TEST_POSTGRES_URL"); u != "" {
		return u
	}
	return "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
}

// Dialects are the databases every suite runs on.
var Dialects = []string{dialect.SQLite, dialect.Postgres}

// Name is a short label of a dialect for subtest names.
func Name(dia string) string {
	if dia == dialect.Postgres {
		return "postgres"
	}
	return "sqlite"
}

// Open returns a fresh migrated database of the dialect, closed (and for
// PostgreSQL dropped) when the test ends. wrap may observe the driver.
func Open(t testing.TB, dia string, wrap db.Wrap) *db.DB {
	t.Helper()
	ctx := context.Background()
	var d *db.DB
	var err error
	if dia == dialect.Postgres {
		d, err = db.Open(ctx, CreatePostgres(t), "", search.Outbox(), wrap)
	} else {
		d, err = db.Open(ctx, "", t.TempDir(), search.Outbox(), wrap)
	}
	if err != nil {
		t.Fatalf("open %s: %v", Name(dia), err)
	}
	t.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatalf("migrate %s: %v", Name(dia), err)
	}
	return d
}

// CreatePostgres creates an empty database and returns its URL; it is dropped
// when the test ends. It skips (or fails, when required) without a server.
func CreatePostgres(t testing.TB) string {
	t.Helper()
	admin, err := sql.Open("postgres", AdminURL())
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		err = admin.PingContext(ctx)
		cancel()
	}
	if err != nil {
		if os.Getenv("RAPPORT_REQUIRE_POSTGRES") == "1" {
			t.Fatalf("PostgreSQL is required (RAPPORT_REQUIRE_POSTGRES=1) but not reachable at %s: %v", AdminURL(), err)
		}
		t.Skipf("PostgreSQL not reachable at %s (%v); set RAPPORT_TEST_POSTGRES_URL or start it to run these tests", AdminURL(), err)
	}
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "rapport_test_" + hex.EncodeToString(b)
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() {
		_, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)")
		admin.Close()
	})
	u, _ := url.Parse(AdminURL())
	u.Path = "/" + name
	return u.String()
}

// Each runs f as a subtest on a fresh database of every dialect.
func Each(t *testing.T, f func(t *testing.T, d *db.DB)) {
	for _, dia := range Dialects {
		t.Run(Name(dia), func(t *testing.T) {
			f(t, Open(t, dia, nil))
		})
	}
}
