package crm

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestCampaignClientTotals: the client's totals count every campaign the
// actor may see (a staff member: own and team's, not a colleague's), as one
// statement, and match the per-campaign funnels summed.
func TestCampaignClientTotals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCampaignFixture(t, d, 6)
		anna, err := CreateUser(context.Background(), d.Client, UserInput{Email: "anna@example.com", Name: "Anna", Role: "staff", Password: "a long test password"})
		if err != nil {
			t.Fatal(err)
		}
		staff := WithActor(context.Background(), Actor{UserID: anna.ID, Name: anna.Name, Role: "staff"})
		own, err := f.svc.CreateCampaign(staff, CampaignInput{BrandID: f.c.BrandID, Name: "Annas", StartsAt: time.Now()})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []int{f.c.ID, own.ID} {
			ctx := f.ctx
			if c == own.ID {
				ctx = staff
			}
			if _, err := f.svc.AddTargets(ctx, c, f.ids); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Pitch(ctx, c, PitchInput{ContactIDs: f.ids[:3]}); err != nil {
				t.Fatal(err)
			}
		}
		both, err := f.svc.ClientTotals(f.ctx, f.c.BrandID)
		if err != nil {
			t.Fatal(err)
		}
		a, b := sqlFunnel(t, d, f.c.ID), sqlFunnel(t, d, own.ID)
		if want := (Funnel{Targets: a.Targets + b.Targets, Pitched: a.Pitched + b.Pitched, Replied: a.Replied + b.Replied,
			Covered: a.Covered + b.Covered, Pieces: a.Pieces + b.Pieces}); both != want || both.Targets != 12 {
			t.Errorf("manager's totals %+v, want %+v", both, want)
		}
		mine, err := f.svc.ClientTotals(staff, f.c.BrandID)
		if err != nil {
			t.Fatal(err)
		}
		if mine != b {
			t.Errorf("staff totals %+v, want only the own campaign's %+v", mine, b)
		}
	})
}
