package crm

import (
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/schema"
)

// TestAccessReportHasCampaigns: a person's access report (Art. 15) names
// the campaign they were pitched in, its client and the pitch's state.
func TestAccessReportHasCampaigns(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCampaignFixture(t, d, 3)
		if _, err := f.svc.FreezeTargets(f.ctx, f.c.ID, CampaignSource{Query: "Del"}, Selection{Filter: schema.SegmentFilter{}}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.svc.Pitch(f.ctx, f.c.ID, PitchInput{Subject: "Neue Herbstkollektion", FollowUpDays: 5}); err != nil {
			t.Fatal(err)
		}
		p := NewPrivacy(d, NewContactWriter(d.Client, d.Dialect, timeNow, nil), nil)
		r, err := p.Access(f.ctx, f.ids[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range r.Sections {
			if s.Key != "campaigns" {
				continue
			}
			if len(s.Rows) != 1 {
				t.Fatalf("campaign rows %d, want 1", len(s.Rows))
			}
			got := map[string]string{}
			for _, fl := range s.Rows[0] {
				got[fl.Label] = fl.Value
			}
			if got["Campaign"] != "Herbstkollektion" || got["Client"] != "Bergwerk Outdoor" || got["Pitch status"] != "pitched" {
				t.Errorf("campaign row %v", got)
			}
			return
		}
		t.Fatal("no campaigns section in the access report")
	})
}
