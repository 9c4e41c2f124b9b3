package bench

import (
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/contact"
)

// BenchmarkCampaignTargets walks the target list of a campaign that holds
// every contact of the set (at most crm.MaxTargets) page by page, 500 a
// page as the campaign page shows them: p50/p95 over the pages, and the
// last page on its own (last-page-ms), which an offset would make the
// dearest. Run it at 20,000 with RAPPORT_CAMPAIGN_BENCH_SIZE=20000.
func BenchmarkCampaignTargets(b *testing.B) {
	s := campaignDataset(b)
	c, err := s.svc.CreateCampaign(s.ctx, crm.CampaignInput{BrandID: s.brandID, Name: "Zielliste", StartsAt: time.Now()})
	if err != nil {
		b.Fatal(err)
	}
	ids := s.d.Client.Contact.Query().Order(contact.ByID()).Limit(crm.MaxTargets).IDsX(s.ctx)
	if _, err := s.svc.AddTargets(s.ctx, c.ID, ids); err != nil {
		b.Fatal(err)
	}
	if _, err := s.d.SQL.ExecContext(s.ctx, "ANALYZE campaign_targets"); err != nil {
		b.Fatal(err)
	}
	var pages, last latencies
	for b.Loop() {
		seen, next := 0, ""
		for {
			start := time.Now()
			p, err := s.svc.Targets(s.ctx, c.ID, crm.TargetFilter{Limit: 500, After: next})
			if err != nil {
				b.Fatal(err)
			}
			pages = append(pages, time.Since(start))
			seen += len(p.Rows)
			if next = p.Next; next == "" {
				last = append(last, pages[len(pages)-1])
				break
			}
		}
		if seen != len(ids) {
			b.Fatalf("walked %d targets of %d", seen, len(ids))
		}
	}
	pages.report(b)
	if len(last) > 0 {
		b.ReportMetric(float64(last[len(last)-1].Microseconds())/1000, "last-page-ms")
	}
}
