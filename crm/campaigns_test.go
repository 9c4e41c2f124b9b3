package crm

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/ent/change"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/participation"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/ent/task"
)

// campaignFixture is a client, a campaign run by a staff user and n contacts.
type campaignFixture struct {
	d    *db.DB
	svc  *Campaigns
	ctx  context.Context
	c    *ent.Campaign
	ids  []int
	user int
}

func newCampaignFixture(t *testing.T, d *db.DB, n int) *campaignFixture {
	t.Helper()
	ctx := context.Background()
	u, err := CreateUser(ctx, d.Client, UserInput{Email: "lena@example.com", Name: "Lena Vogt", Role: "manager", Password: "a long test password"})
	if err != nil {
		t.Fatal(err)
	}
	ctx = WithActor(ctx, Actor{UserID: u.ID, Name: u.Name, Role: "manager"})
	svc := NewCampaigns(d.Client, d.Dialect, NewSelections(d.Client, d.Dialect, nil, nil, nil), nil)
	b, err := svc.SaveBrand(ctx, BrandInput{Name: "Bergwerk Outdoor"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.CreateCampaign(ctx, CampaignInput{BrandID: b.ID, Name: "Herbstkollektion", KeyMessages: []string{"recycelt", "made in Bayern"},
		StartsAt: time.Now().Add(-48 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	return &campaignFixture{d: d, svc: svc, ctx: ctx, c: c, ids: makeContacts(t, d.Client, n), user: u.ID}
}

// TestCampaignLoop freezes a list, pitches it set-wise (never the
// do-not-contact one, bounced without e-mail), marks replies, adds coverage
// and checks the funnel against SQL counts, on both databases.
func TestCampaignLoop(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCampaignFixture(t, d, 60)
		ctx, svc := f.ctx, f.svc
		dnc, noMail := f.ids[0], f.ids[1]
		if _, err := d.Client.ExecContext(ctx, "UPDATE contacts SET do_not_contact = $1 WHERE id = $2", true, dnc); err != nil {
			t.Fatal(err)
		}
		if _, err := d.Client.ExecContext(ctx, "DELETE FROM contact_emails WHERE contact_id = $1", noMail); err != nil {
			t.Fatal(err)
		}
		fr, err := svc.FreezeTargets(ctx, f.c.ID, CampaignSource{Query: "Del"}, Selection{Filter: schema.SegmentFilter{}})
		if err != nil {
			t.Fatal(err)
		}
		if fr.Added != 60 || fr.Excluded[ExcludedDoNotContact] != 1 {
			t.Fatalf("freeze: %+v", fr)
		}
		extra := makeContacts(t, d.Client, 1)
		if r, err := svc.AddTargets(ctx, f.c.ID, append(extra, f.ids[2])); err != nil || r.Added != 1 || r.AlreadyOn != 1 {
			t.Fatalf("add by hand: %+v %v", r, err)
		}
		changesBefore := d.Client.Change.Query().CountX(ctx)
		pr, err := svc.Pitch(ctx, f.c.ID, PitchInput{Subject: "Neue Herbstkollektion", FollowUpDays: 5})
		if err != nil {
			t.Fatal(err)
		}
		if pr.Pitched != 59 || pr.Bounced != 1 || pr.Excluded[ExcludedDoNotContact] != 1 {
			t.Fatalf("pitch: %+v", pr)
		}
		if n := d.Client.Participation.Query().Where(participation.InteractionID(pr.Interaction.ID)).CountX(ctx); n != 59 {
			t.Errorf("participants %d, want 59", n)
		}
		if d.Client.Participation.Query().Where(participation.InteractionID(pr.Interaction.ID), participation.ContactID(dnc)).ExistX(ctx) {
			t.Error("the do-not-contact person was pitched")
		}
		if n := d.Client.Task.Query().Where(task.DoneAtIsNil()).CountX(ctx); n != 59 {
			t.Errorf("follow-ups %d, want 59", n)
		}
		if n := d.Client.Change.Query().Where(change.IDGT(0)).CountX(ctx) - changesBefore; n < 59 {
			t.Errorf("search changes %d, want ≥ 59", n)
		}
		if n := d.Client.Contact.Query().Where(contact.LastInteractionAtNotNil()).CountX(ctx); n != 59 {
			t.Errorf("contacts with a last interaction %d, want 59", n)
		}
		// A second pitch of the whole list finds nobody left.
		if pr2, err := svc.Pitch(ctx, f.c.ID, PitchInput{}); err != nil || pr2.Pitched != 0 {
			t.Errorf("second pitch: %+v %v", pr2, err)
		}
		replied := f.ids[2:12]
		sr, err := svc.SetStatus(ctx, f.c.ID, replied, PitchInterested)
		if err != nil || sr.Changed != 10 || sr.Replies == nil {
			t.Fatalf("replies: %+v %v", sr, err)
		}
		if n := d.Client.Task.Query().Where(task.DoneAtIsNil()).CountX(ctx); n != 49 {
			t.Errorf("open follow-ups after replies %d, want 49 (the replies complete theirs)", n)
		}
		if _, _, err := svc.AddCoverage(ctx, CoverageInput{CampaignID: f.c.ID, URL: "https://www.sz.de/a/herbst?utm_source=x",
			Title: "Herbst aus Bayern", OutletName: "SZ", OutletType: "newspaper", PublishedAt: time.Now(), AuthorIDs: replied[:3],
			KeyMessages: []string{"recycelt"}}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := svc.AddCoverage(ctx, CoverageInput{CampaignID: f.c.ID, URL: "https://sz.de/a/herbst/", Title: "Dup",
			PublishedAt: time.Now()}); ErrorCode(err) != EConflict {
			t.Errorf("duplicate URL: %v, want a conflict", err)
		}
		rep, err := svc.Report(ctx, f.c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := sqlFunnel(t, d, f.c.ID)
		if rep.Funnel != want {
			t.Errorf("funnel %+v, SQL %+v", rep.Funnel, want)
		}
		if rep.Funnel.Targets != 61 || rep.Funnel.Pitched != 59 || rep.Funnel.Replied != 10 || rep.Funnel.Covered != 3 || rep.Funnel.Pieces != 1 {
			t.Errorf("funnel %+v", rep.Funnel)
		}
		if len(rep.KeyMessages) != 2 || rep.KeyMessages[0].Pieces != 1 || rep.KeyMessages[1].Pieces != 0 {
			t.Errorf("key messages %+v", rep.KeyMessages)
		}
		data, err := CampaignDataOfContact(ctx, d.Client, replied[0])
		if err != nil || len(data.Pitches) != 1 || data.Pitches[0].Status != PitchCovered || len(data.Coverage) != 1 {
			t.Errorf("contact's campaign data: %+v %v", data, err)
		}
	})
}

// sqlFunnel counts a campaign's funnel independently, one query per figure.
func sqlFunnel(t *testing.T, d *db.DB, id int) Funnel {
	t.Helper()
	one := func(q string) int {
		var n int
		rows, err := d.Client.QueryContext(context.Background(), q, id)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		rows.Next()
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	return Funnel{
		Targets: one("SELECT COUNT(*) FROM campaign_targets WHERE campaign_id = $1"),
		Pitched: one(`SELECT COUNT(DISTINCT t.contact_id) FROM campaign_targets t JOIN participations p ON p.contact_id = t.contact_id
			JOIN interactions i ON i.id = p.interaction_id AND i.campaign_id = t.campaign_id AND i.type = 'pitch' WHERE t.campaign_id = $1`),
		Replied: one(`SELECT COUNT(DISTINCT t.contact_id) FROM campaign_targets t JOIN participations p ON p.contact_id = t.contact_id
			JOIN interactions i ON i.id = p.interaction_id AND i.campaign_id = t.campaign_id AND i.direction = 'inbound' AND i.type <> 'coverage' WHERE t.campaign_id = $1`),
		Covered: one("SELECT COUNT(*) FROM campaign_targets WHERE campaign_id = $1 AND status = 'covered'"),
		Pieces:  one("SELECT COUNT(*) FROM coverage_items WHERE campaign_id = $1"),
	}
}

// TestFunnelAgainstSQL checks the funnel of random campaigns (random
// pitches, replies and coverage) against the independent SQL counts.
func TestFunnelAgainstSQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCampaignFixture(t, d, 80)
		rng := rand.New(rand.NewPCG(7, 13))
		for k := range 4 {
			c, err := f.svc.CreateCampaign(f.ctx, CampaignInput{BrandID: f.c.BrandID, Name: fmt.Sprint("Kampagne ", k), StartsAt: time.Now().Add(-time.Hour)})
			if err != nil {
				t.Fatal(err)
			}
			var pick []int
			for _, id := range f.ids {
				if rng.IntN(2) == 0 {
					pick = append(pick, id)
				}
			}
			if _, err := f.svc.AddTargets(f.ctx, c.ID, pick); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Pitch(f.ctx, c.ID, PitchInput{ContactIDs: pick[:len(pick)*2/3]}); err != nil {
				t.Fatal(err)
			}
			ans := pick[:rng.IntN(len(pick)/2)+1]
			if _, err := f.svc.SetStatus(f.ctx, c.ID, ans, []string{PitchReplied, PitchDeclined, PitchInterested}[rng.IntN(3)]); err != nil {
				t.Fatal(err)
			}
			for j := range rng.IntN(4) {
				if _, _, err := f.svc.AddCoverage(f.ctx, CoverageInput{CampaignID: c.ID, Title: fmt.Sprint("Stück ", j),
					URL: fmt.Sprintf("https://example.de/%d/%d", k, j), PublishedAt: time.Now(), AuthorIDs: ans[:1]}); err != nil {
					t.Fatal(err)
				}
			}
			rep, err := f.svc.Report(f.ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if want := sqlFunnel(t, d, c.ID); rep.Funnel != want {
				t.Errorf("campaign %d: funnel %+v, SQL %+v", k, rep.Funnel, want)
			}
		}
	})
}

// TestParallelPitches: requests racing to pitch the same list pitch each
// target once, and the sweep run twice at once moves each target once.
func TestParallelPitches(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCampaignFixture(t, d, 40)
		if _, err := f.svc.AddTargets(f.ctx, f.c.ID, f.ids); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		pitched := make([]int, 4)
		for i := range pitched {
			wg.Go(func() {
				r, err := f.svc.Pitch(f.ctx, f.c.ID, PitchInput{Subject: fmt.Sprint("Pitch ", i)})
				if err != nil && ErrorCode(err) != EConflict {
					t.Error(err)
				}
				if r != nil {
					pitched[i] = r.Pitched
				}
			})
		}
		wg.Wait()
		if sum := pitched[0] + pitched[1] + pitched[2] + pitched[3]; sum != 40 {
			t.Errorf("pitched %v, sum %d, want 40", pitched, sum)
		}
		if n := d.Client.Participation.Query().CountX(f.ctx); n != 40 {
			t.Errorf("participations %d, want 40: a target was pitched twice", n)
		}
		later := time.Now().Add(20 * 24 * time.Hour)
		moved := make([]int, 3)
		for i := range moved {
			wg.Go(func() {
				n, err := SweepNoReply(context.Background(), d.Client, later)
				if err != nil {
					t.Error(err)
				}
				moved[i] = n
			})
		}
		wg.Wait()
		if moved[0]+moved[1]+moved[2] != 40 {
			t.Errorf("sweeps moved %v, want 40 in all", moved)
		}
		if n := d.Client.CampaignTarget.Query().Where(campaigntarget.StatusEQ(campaigntarget.StatusNoReply)).CountX(f.ctx); n != 40 {
			t.Errorf("no_reply %d, want 40", n)
		}
	})
}
