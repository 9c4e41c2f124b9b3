package crm_test

import (
	"context"
	"io"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/views"
	"github.com/rapport-crm/rapport/views/pages"
)

// BenchmarkStartCharts is the start page as the handler serves it
// (crm.LoadStart with a Lookups cache, then the render) on the demo of
// RAPPORT_CHART_CONTACTS contacts (default 10,000, with 10 interactions
// each) on PostgreSQL, for a staff member and a manager, cached (the team's
// figures and charts in Lookups) and cold (the cache emptied before each
// page, as after a write), all in the same run; it reports the p50 and p95
// of each. bench's BenchmarkDashboard measures the same on the bench dataset
// (make bench).
//
//	RAPPORT_CHART_CONTACTS=100000 RAPPORT_REQUIRE_POSTGRES=1 go test -run '^$' -bench StartCharts -benchtime 50x ./crm/
//
// RAPPORT_CHART_DB=name keeps the loaded database between runs (see chartBenchDB).
func BenchmarkStartCharts(b *testing.B) {
	n := 10000
	if v, err := strconv.Atoi(os.Getenv("RAPPORT_CHART_CONTACTS")); err == nil && v > 0 {
		n = v
	}
	d := chartBenchDB(b, n)
	ctx := b.Context()
	var who []*ent.User
	for _, email := range []string{"leonie.schaefer@rapport.test", "katrin.vogel@rapport.test"} {
		who = append(who, d.Client.User.Query().Where(user.Email(email)).OnlyX(ctx))
	}
	l := crm.NewLookups(d.Client, time.Hour)
	lat := map[string][]time.Duration{}
	for b.Loop() {
		for _, cold := range []bool{true, false} { // cold first: the cached page then finds what it loaded
			for _, u := range who {
				if cold {
					l.Invalidate()
				}
				start := time.Now()
				serveStart(ctx, b, d.Client, l, u, start)
				name := string(u.Role) + "-cached"
				if cold {
					name = string(u.Role) + "-cold"
				}
				lat[name] = append(lat[name], time.Since(start))
			}
		}
	}
	for name, l := range lat {
		slices.Sort(l)
		b.ReportMetric(float64(l[len(l)/2].Microseconds())/1000, name+"-p50-ms")
		b.ReportMetric(float64(l[(len(l)-1)*95/100].Microseconds())/1000, name+"-p95-ms")
	}
}

// serveStart loads and renders u's start page as the handler does.
func serveStart(ctx context.Context, b *testing.B, client *ent.Client, l *crm.Lookups, u *ent.User, now time.Time) {
	p, err := crm.LoadStart(ctx, client, l, u.ID, u.Role == crm.RoleManager, now)
	if err != nil {
		b.Fatal(err)
	}
	m := views.PageMeta{Title: "Dashboard", UserName: u.Name, UserRole: string(u.Role)}
	if err := pages.Dashboard(pages.NewDashboardProps(m, p, now)).Render(ctx, io.Discard); err != nil {
		b.Fatal(err)
	}
}
