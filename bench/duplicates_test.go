package bench

import (
	"context"
	"math/rand/v2"
	"os"
	"runtime"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/search"
)

// dupDataset is the benchmark dataset, or the database named by
// RAPPORT_BENCH_DUP_URL (a demo database of one's own, for a run that must
// not build or touch the shared one).
func dupDataset(b *testing.B) *db.DB {
	u := os.Getenv("RAPPORT_BENCH_DUP_URL")
	if u == "" {
		return Dataset(b)
	}
	d, err := db.Open(context.Background(), db.Unbounded(u), "", search.Outbox(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	return d
}

// naiveSample is how many contacts the naive all-pairs comparison runs on;
// its time is scaled to the whole dataset by the square of the ratio.
const naiveSample = 5000

// BenchmarkDuplicateScan scans every contact for duplicates with blocking
// keys (load from the database and compare), and in the same run compares a
// sample of naiveSample contacts all-pairs, scaled to the dataset's size
// (naive-scaled-s). heap-MB is the live heap the scan's data takes.
func BenchmarkDuplicateScan(b *testing.B) {
	d := dupDataset(b)
	ctx := context.Background()
	var people []crm.DupPerson
	var pairs int
	var heap, load, compare float64
	for b.Loop() {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		var err error
		if people, err = crm.LoadDupPeople(ctx, d.Client); err != nil {
			b.Fatal(err)
		}
		mid := time.Now()
		ps := crm.BlockedPairs(people)
		load, compare = mid.Sub(start).Seconds(), time.Since(mid).Seconds()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		heap = max(heap, float64(int64(after.HeapAlloc)-int64(before.HeapAlloc))/(1<<20))
		pairs = len(ps)
	}
	b.StopTimer()
	if len(people) > 0 {
		sample := people[:min(naiveSample, len(people))]
		start := time.Now()
		crm.AllPairs(sample)
		naive := time.Since(start).Seconds()
		ratio := float64(len(people)) / float64(len(sample))
		b.ReportMetric(naive*ratio*ratio, "naive-scaled-s")
		b.ReportMetric(float64(len(people)), "contacts")
	}
	b.ReportMetric(load, "load-s")
	b.ReportMetric(compare, "compare-s")
	b.ReportMetric(float64(pairs), "pairs")
	b.ReportMetric(heap, "heap-MB")
}

// BenchmarkDuplicateCheck is the new-contact form's duplicate check (e-mail,
// name in its spellings, similar name at the outlet) for names and outlets
// of stored contacts, with p50 and p95.
func BenchmarkDuplicateCheck(b *testing.B) {
	d := dupDataset(b)
	ctx := context.Background()
	cs, err := d.Client.Contact.Query().Limit(500).WithEmployments(func(q *ent.EmploymentQuery) { q.WithOutlet() }).All(ctx)
	if err != nil || len(cs) == 0 {
		b.Skip("no contacts", err)
	}
	r := rand.New(rand.NewPCG(1, 1))
	var lat latencies
	for b.Loop() {
		c := cs[r.IntN(len(cs))]
		in := crm.ContactInput{FirstName: c.FirstName, LastName: c.LastName, Emails: []crm.EmailInput{{Address: "new.person@example.com"}}}
		for _, j := range c.Edges.Employments {
			if j.Edges.Outlet != nil {
				in.Outlets = append(in.Outlets, crm.OutletRole{Outlet: j.Edges.Outlet.Name})
			}
		}
		lat.time(func() {
			if _, err := crm.DuplicateHints(ctx, d.Client, in, 0); err != nil {
				b.Fatal(err)
			}
		})
	}
	lat.report(b)
}
