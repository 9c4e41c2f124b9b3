package crm

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/coverageauthor"
	"github.com/rapport-crm/rapport/ent/coverageitem"
)

// TestAcceptAlertAsCoverage: a keyword alert of a campaign's rule becomes a
// coverage item through AddCoverage (the post's link, title and date, the
// contact as author, an audit event of the coverage writer) and points to
// it; accepting it twice is a conflict; an alert without a campaign needs
// one; a second alert on the same post is linked to the item, not saved
// twice.
func TestAcceptAlertAsCoverage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCampaignFixture(t, d, 1)
		ctx := f.ctx
		author := f.ids[0]
		published := time.Now().Add(-2 * time.Hour).UTC().Truncate(time.Second)
		var a1, a2 int
		err := db.WithTx(context.Background(), d.Client, func(c context.Context, tx *ent.Tx) error {
			prof := tx.SocialProfile.Create().SetContactID(author).SetPlatform("blog").SetHandle("blog.example").SaveX(c)
			fd := tx.Feed.Create().SetURL("https://blog.example/feed").SetSocialProfileID(prof.ID).SetContactID(author).
				SetNextPollAt(published).SetLeaseUntil(published).SaveX(c)
			p := tx.FeedPost.Create().SetFeedID(fd.ID).SetContactID(author).SetKey("k1").SetTitle("Wanderschuhe im Härtetest").
				SetLink("https://blog.example/wanderschuhe").SetPublishedAt(published).SaveX(c)
			withCampaign := tx.KeywordRule.Create().SetTerm("Wanderschuh").SetCampaignID(f.c.ID).SaveX(c)
			without := tx.KeywordRule.Create().SetTerm("Härtetest").SaveX(c)
			a1 = tx.KeywordAlert.Create().SetRuleID(withCampaign.ID).SetFeedPostID(p.ID).SetCampaignID(f.c.ID).SaveX(c).ID
			a2 = tx.KeywordAlert.Create().SetRuleID(without.ID).SetFeedPostID(p.ID).SaveX(c).ID
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		rules := NewKeywordRules(d.Client)
		item, created, err := rules.AcceptAsCoverage(ctx, f.svc, a1, 0)
		if err != nil || !created {
			t.Fatalf("accept: %v, created %v", err, created)
		}
		got := d.Client.CoverageItem.Query().Where(coverageitem.ID(item.ID)).OnlyX(ctx)
		if got.CampaignID != f.c.ID || got.Title != "Wanderschuhe im Härtetest" || got.URL != "https://blog.example/wanderschuhe" ||
			!got.PublishedAt.Equal(published) || got.Kind != coverageitem.KindBlogPost {
			t.Errorf("coverage item %+v", got)
		}
		if n := d.Client.CoverageAuthor.Query().Where(coverageauthor.CoverageItemID(item.ID), coverageauthor.ContactID(author)).CountX(ctx); n != 1 {
			t.Errorf("%d author rows, want the contact", n)
		}
		if n := d.Client.AuditEvent.Query().Where(auditevent.Entity(EntityCoverage), auditevent.EntityID(item.ID)).CountX(ctx); n != 1 {
			t.Errorf("%d audit events of the item, want 1", n)
		}
		if al := d.Client.KeywordAlert.GetX(ctx, a1); al.CoverageItemID == nil || *al.CoverageItemID != item.ID {
			t.Errorf("alert points to %v, want %d", al.CoverageItemID, item.ID)
		}
		if _, _, err := rules.AcceptAsCoverage(ctx, f.svc, a1, 0); ErrorCode(err) != EConflict {
			t.Errorf("second accept: %v, want a conflict", err)
		}
		if _, _, err := rules.AcceptAsCoverage(ctx, f.svc, a2, 0); ErrorCode(err) != EInvalid || fieldsOf(err)["campaign"] == "" {
			t.Errorf("no campaign: %v, want a field error", err)
		}
		linked, created, err := rules.AcceptAsCoverage(ctx, f.svc, a2, f.c.ID)
		if err != nil || created || linked.ID != item.ID {
			t.Errorf("same post again: item %v created %v %v; want the first item linked", linked, created, err)
		}
		if n := d.Client.CoverageItem.Query().CountX(ctx); n != 1 {
			t.Errorf("%d coverage items, want 1", n)
		}
		if _, _, err := rules.AcceptAsCoverage(ctx, f.svc, 999999, f.c.ID); ErrorCode(err) != ENotFound {
			t.Errorf("unknown alert: %v", err)
		}
	})
}
