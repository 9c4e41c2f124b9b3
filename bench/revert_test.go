package bench

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// BenchmarkRevert imports the import benchmark's German Excel CSV
// (RAPPORT_BENCH_IMPORT_ROWS rows, default 100,000: each contact with an
// e-mail, a channel, an outlet, a topic and two tags) through the import,
// untimed, and then times the revert that deletes every contact it created,
// on PostgreSQL and on SQLite. Besides contacts/s it reports revert-s, the
// CPU the revert cost the database (db-cpu-s, PostgreSQL, when the server's
// processes are readable here) and this process (go-cpu-s), and
// delete-share: the part of the revert's statement time spent in the
// DELETE of the contacts themselves, which on PostgreSQL is where the
// foreign keys' per-row cascade triggers run. -v logs the statement time
// by kind of statement. RAPPORT_BENCH_REVERT_TRIGGERS=1 adds postgres-triggers:
// the same revert with PostgreSQL's foreign-key triggers firing, as for a
// role without the grant to set session_replication_role.
func BenchmarkRevert(b *testing.B) {
	n := importRows()
	_, file := benchData(n)
	type variant struct {
		name, dia string
		triggers  bool
	}
	var variants []variant
	for _, dia := range dbtest.Dialects {
		variants = append(variants, variant{dbtest.Name(dia), dia, false})
	}
	if os.Getenv("RAPPORT_BENCH_REVERT_TRIGGERS") == "1" {
		variants = append(variants, variant{"postgres-triggers", dialect.Postgres, true})
	}
	for _, v := range variants {
		dia := v.dia
		b.Run(v.name, func(b *testing.B) {
			ctx := context.Background()
			var dbCPU, goCPU, took float64
			st := &stmtTimes{}
			for b.Loop() {
				b.StopTimer()
				d := dbtest.Open(b, dia, st.wrap)
				if v.triggers {
					crm.DeleteWithTriggers(d.Client)
				}
				u, err := crm.CreateUser(ctx, d.Client, crm.UserInput{Email: "bench@example.com", Name: "Bench", Role: "staff", Password: "bench-password-123"})
				if err != nil {
					b.Fatal(err)
				}
				actx := crm.WithActor(ctx, crm.Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role)})
				j, err := importing.CreateJob(actx, d.Client, importing.NewJob{UserID: &u.ID, Filename: "bench.csv", Data: file})
				if err != nil {
					b.Fatal(err)
				}
				if j, err = importing.SetMapping(actx, d.Client, j, j.Mapping); err != nil {
					b.Fatal(err)
				}
				if ok, err := importing.Claim(actx, d.Client, j.ID, "bench", true); err != nil || !ok {
					b.Fatal(ok, err)
				}
				if err := (&importing.Runner{Client: d.Client, Worker: "bench"}).Run(actx, j.ID); err != nil {
					b.Fatal(err)
				}
				wantCount(b, d, "SELECT count(*) FROM contacts", n)
				st.reset()
				cpu0, go0 := backendCPU(d), processCPU()
				start := time.Now()
				b.StartTimer()
				res, err := importing.Revert(actx, d.Client, j.ID, 0) // the worker's batch
				b.StopTimer()
				took += time.Since(start).Seconds()
				if dia == dialect.Postgres {
					dbCPU += subCPU(backendCPU(d), cpu0)
				}
				goCPU += processCPU() - go0
				if err != nil {
					b.Fatal(err)
				}
				if res.Deleted != n {
					b.Fatalf("the revert deleted %d contacts, want %d", res.Deleted, n)
				}
				wantCount(b, d, "SELECT count(*) FROM contacts", 0)
				wantCount(b, d, "SELECT count(*) FROM contact_emails", 0)
				b.StartTimer()
			}
			runs := float64(b.N)
			b.ReportMetric(float64(n)/(took/runs), "contacts/s")
			b.ReportMetric(took/runs, "revert-s")
			if dbCPU > 0 {
				b.ReportMetric(dbCPU/runs, "db-cpu-s")
			}
			b.ReportMetric(goCPU/runs, "go-cpu-s")
			b.ReportMetric(st.share("DELETE FROM contacts"), "delete-share")
			b.Logf("%s, %d contacts, statement time by kind:\n%s", v.name, n, st)
		})
	}
}

// stmtTimes sums the time of the statements a driver runs, by the
// statement's first words.
type stmtTimes struct {
	mu    sync.Mutex
	total time.Duration
	by    map[string]time.Duration
	count map[string]int
}

func (s *stmtTimes) reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.total, s.by, s.count = 0, map[string]time.Duration{}, map[string]int{}
}

func (s *stmtTimes) add(query string, d time.Duration) {
	kind := strings.NewReplacer(`"`, "", "`", "").Replace(query)
	if i := strings.Index(kind, " WHERE"); i > 0 {
		kind = kind[:i]
	}
	kind = kind[:min(len(kind), 60)]
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.by == nil {
		s.by, s.count = map[string]time.Duration{}, map[string]int{}
	}
	s.total += d
	s.by[kind] += d
	s.count[kind]++
}

// share is the part of the statement time spent in statements starting with prefix.
func (s *stmtTimes) share(prefix string) float64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	var in time.Duration
	for k, d := range s.by {
		if strings.HasPrefix(k, prefix) {
			in += d
		}
	}
	if s.total == 0 {
		return 0
	}
	return float64(in) / float64(s.total)
}

func (s *stmtTimes) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	kinds := make([]string, 0, len(s.by))
	for k := range s.by {
		kinds = append(kinds, k)
	}
	sort.Slice(kinds, func(i, j int) bool { return s.by[kinds[i]] > s.by[kinds[j]] })
	var b strings.Builder
	for _, k := range kinds[:min(12, len(kinds))] {
		fmt.Fprintf(&b, "  %8.2fs %5d× %s\n", s.by[k].Seconds(), s.count[k], k)
	}
	return b.String()
}

// wrap times every statement of a driver (dbtest.Observe), COMMIT included.
func (s *stmtTimes) wrap(drv dialect.Driver) dialect.Driver {
	return dbtest.Observe(func(q string, _ []any) func() {
		start := time.Now()
		return func() { s.add(q, time.Since(start)) }
	})(drv)
}
