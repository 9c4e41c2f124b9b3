package bench

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestEraseProfile (RAPPORT_PRIVACY_PROFILE=1) erases BenchmarkErase's busy
// person twice on a scratch PostgreSQL database and prints the slowest
// statements of each erasure (dbtest.Observe). RAPPORT_PRIVACY_EXPLAIN=1
// turns auto_explain on for that database (plans with buffers and trigger
// times in the server's log); RAPPORT_PRIVACY_KEEP=name copies the database,
// with the busy person not yet erased, to name for EXPLAIN ANALYZE by hand
// (drop it afterwards).
func TestEraseProfile(t *testing.T) {
	if os.Getenv("RAPPORT_PRIVACY_PROFILE") == "" {
		t.Skip("RAPPORT_PRIVACY_PROFILE")
	}
	type stmt struct {
		q string
		d time.Duration
	}
	var mu sync.Mutex
	var on bool
	var seen []stmt
	wrap := dbtest.Observe(func(q string, _ []any) func() {
		start := time.Now()
		return func() {
			mu.Lock()
			if on {
				seen = append(seen, stmt{q, time.Since(start)})
			}
			mu.Unlock()
		}
	})
	pd := openPrivacyDBWith(t, dialect.Postgres, wrap, func(u string) {
		if os.Getenv("RAPPORT_PRIVACY_EXPLAIN") == "" {
			return
		}
		pu, _ := url.Parse(u)
		name := strings.TrimPrefix(pu.Path, "/")
		admin, err := sql.Open("postgres", dbtest.AdminURL())
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		for _, q := range []string{"session_preload_libraries = 'auto_explain'", "auto_explain.log_min_duration = 20",
			"auto_explain.log_analyze = on", "auto_explain.log_buffers = on", "auto_explain.log_nested_statements = on", "auto_explain.log_triggers = on"} {
			if _, err := admin.Exec("ALTER DATABASE " + name + " SET " + q); err != nil {
				t.Fatal(err)
			}
		}
		t.Logf("database %s", name)
	})
	ctx := crm.WithActor(context.Background(), crm.Actor{Role: crm.RoleManager})
	if keep := os.Getenv("RAPPORT_PRIVACY_KEEP"); keep != "" {
		id := pd.busyPerson(t, privacyInteractions)
		var cur string
		if err := pd.d.SQL.QueryRow("SELECT current_database()").Scan(&cur); err != nil {
			t.Fatal(err)
		}
		pd.idx.Close()
		pd.d.Close()
		admin, err := sql.Open("postgres", dbtest.AdminURL())
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		if _, err := admin.Exec("CREATE DATABASE " + keep + " TEMPLATE " + cur); err != nil {
			t.Fatal(err)
		}
		t.Logf("kept %s: contact %d", keep, id)
		return
	}
	for run := 0; run < 2; run++ {
		id := pd.busyPerson(t, privacyInteractions)
		mu.Lock()
		on, seen = true, nil
		mu.Unlock()
		r, err := pd.p.Erase(ctx, []int{id}, crm.EraseOptions{})
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		on = false
		var sum time.Duration
		for _, s := range seen {
			sum += s.d
		}
		fmt.Printf("run %d: db %v (statements %v, %d), index %v\n", run, r.Took, sum, len(seen), r.Index)
		sort.Slice(seen, func(i, j int) bool { return seen[i].d > seen[j].d })
		for _, s := range seen[:min(12, len(seen))] {
			fmt.Printf("  %8.1f ms  %.200s\n", float64(s.d.Microseconds())/1000, s.q)
		}
		mu.Unlock()
	}
}
