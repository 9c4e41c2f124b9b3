package crm_test

import (
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/user"
)

// BenchmarkStartCharts reads a manager's charts and the team's (uncached,
// then with the team's from a Lookups cache) on the demo
// of RAPPORT_CHART_CONTACTS contacts (default 10,000, with 10 interactions
// each) on PostgreSQL, next to the rest of the start page (LoadStartPage) in
// the same run, and reports the p50 and p95 of each.
//
//	RAPPORT_REQUIRE_POSTGRES=1 go test -run '^$' -bench StartCharts -benchtime 50x ./crm/
func BenchmarkStartCharts(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("RAPPORT_CHART_CONTACTS")); err == nil && v > 0 {
		n = v
	}
	d := chartBenchDB(b, n)
	ctx := b.Context()
	now := time.Now()
	u := d.Client.User.Query().Where(user.Email("katrin.vogel@rapport.test")).OnlyX(ctx)
	l := crm.NewLookups(d.Client, time.Minute)
	var charts, cached, page []time.Duration
	for b.Loop() {
		start := time.Now()
		if _, _, err := crm.LoadStartChartsFor(ctx, d.Client, nil, u.ID, true, now); err != nil {
			b.Fatal(err)
		}
		second := time.Now()
		if _, _, err := crm.LoadStartChartsFor(ctx, d.Client, l, u.ID, true, now); err != nil {
			b.Fatal(err)
		}
		cached = append(cached, time.Since(second))
		mid := time.Now()
		if _, _, err := crm.LoadStartPage(ctx, d.Client, nil, u.ID, true, now); err != nil {
			b.Fatal(err)
		}
		charts, page = append(charts, second.Sub(start)), append(page, time.Since(mid))
	}
	for name, l := range map[string][]time.Duration{"charts": charts, "charts-team-cached": cached, "page": page} {
		slices.Sort(l)
		b.ReportMetric(float64(l[len(l)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(l[len(l)*95/100].Microseconds())/1000, name+"-p95-ms")
	}
}
