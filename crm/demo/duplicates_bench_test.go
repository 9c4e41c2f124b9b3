package demo

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
)

// BenchmarkDuplicatesDemo profiles the duplicate scan (its load and its
// comparison apart) and the form's duplicate check on a demo database of
// RAPPORT_DUP_BENCH_N contacts (default 3,000) on PostgreSQL: a size a
// helper can build in a test, to extrapolate to the 100,000.
func BenchmarkDuplicatesDemo(b *testing.B) {
	n := 3000
	if v, err := strconv.Atoi(os.Getenv("RAPPORT_DUP_BENCH_N")); err == nil && v > 0 {
		n = v
	}
	d := dbtest.Open(b, dialect.Postgres, nil)
	ctx := context.Background()
	if _, err := Load(ctx, d.Client, Options{Contacts: n, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	if _, err := d.SQL.ExecContext(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	cs, err := d.Client.Contact.Query().Limit(500).WithEmployments(func(q *ent.EmploymentQuery) { q.WithOutlet() }).All(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var load, compare, compareCPU, checkCPU time.Duration
	var checks []time.Duration
	r := rand.New(rand.NewPCG(1, 1))
	runs := 0
	for b.Loop() {
		start := time.Now()
		people, err := crm.LoadDupPeople(ctx, d.Client)
		if err != nil {
			b.Fatal(err)
		}
		mid, cpu := time.Now(), cpuTime()
		crm.BlockedPairs(people)
		load += mid.Sub(start)
		compare += time.Since(mid)
		compareCPU += cpuTime() - cpu
		runs++
		cpu = cpuTime()
		for range 50 {
			c := cs[r.IntN(len(cs))]
			in := crm.ContactInput{FirstName: c.FirstName, LastName: c.LastName, Emails: []crm.EmailInput{{Address: "new.person@example.com"}}}
			for _, j := range c.Edges.Employments {
				in.Outlets = append(in.Outlets, crm.OutletRole{Outlet: j.Edges.Outlet.Name})
			}
			s := time.Now()
			if _, err := crm.DuplicateHints(ctx, d.Client, in, 0); err != nil {
				b.Fatal(err)
			}
			checks = append(checks, time.Since(s))
		}
		checkCPU += cpuTime() - cpu
	}
	slices.Sort(checks)
	b.ReportMetric(float64(n), "contacts")
	b.ReportMetric(load.Seconds()/float64(runs)*1000, "load-ms")
	b.ReportMetric(compare.Seconds()/float64(runs)*1000, "compare-ms")
	b.ReportMetric(compareCPU.Seconds()/float64(runs)*1000, "compare-cpu-ms")
	b.ReportMetric(checkCPU.Seconds()/float64(len(checks))*1000, "check-cpu-ms")
	b.ReportMetric(float64(checks[len(checks)/2].Microseconds())/1000, "check-p50-ms")
	b.ReportMetric(float64(checks[len(checks)*95/100].Microseconds())/1000, "check-p95-ms")
}

// cpuTime is the CPU time this process has used (user and system): the
// comparison's own cost, apart from the database's and from waiting for a
// core on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
