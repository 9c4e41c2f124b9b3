package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
)

// TestKeywordAlertAcceptPage: a manager accepts an alert of a campaign's
// rule from the keyword alerts page; it becomes one coverage item of the
// campaign (303 to its coverage) and the page shows it accepted, without
// the form.
func TestKeywordAlertAcceptPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newApp(t, d)
		a.user("mia@example.com", "manager")
		ids := seedPeople(t, d, 1)
		br := d.Client.Brand.Create().SetName("Bergwerk").SaveX(ctx)
		cp := d.Client.Campaign.Create().SetBrandID(br.ID).SetName("Herbst am Berg").SetStartsAt(time.Now().Add(-48 * time.Hour)).SaveX(ctx)
		var alertID int
		err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			prof := tx.SocialProfile.Create().SetContactID(ids[0]).SetPlatform("mastodon").SetHandle("berg@social.example").SaveX(ctx)
			fd := tx.Feed.Create().SetURL("https://social.example/@berg.rss").SetSocialProfileID(prof.ID).SetContactID(ids[0]).
				SetNextPollAt(time.Now()).SetLeaseUntil(time.Now()).SaveX(ctx)
			p := tx.FeedPost.Create().SetFeedID(fd.ID).SetContactID(ids[0]).SetKey("1").SetTitle("Neue Wanderschuhe").
				SetLink("https://social.example/@berg/1").SetPublishedAt(time.Now().Add(-time.Hour)).SaveX(ctx)
			r := tx.KeywordRule.Create().SetTerm("Wanderschuh").SetCampaignID(cp.ID).SaveX(ctx)
			alertID = tx.KeywordAlert.Create().SetRuleID(r.ID).SetFeedPostID(p.ID).SetCampaignID(cp.ID).SaveX(ctx).ID
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		b := a.browser()
		b.login("mia@example.com")
		if b.get("/settings/keywords").doc.Find(`[data-testid="accept-coverage"]`).Length() != 1 {
			t.Fatal("no accept form on the alert")
		}
		res := b.post(fmt.Sprintf("/settings/keywords/alerts/%d/coverage", alertID), url.Values{})
		wantStatus(t, res, http.StatusSeeOther)
		if loc := res.header.Get("Location"); loc != fmt.Sprintf("/campaigns/%d#coverage", cp.ID) {
			t.Errorf("redirect to %q", loc)
		}
		if n := d.Client.CoverageItem.Query().CountX(ctx); n != 1 {
			t.Errorf("%d coverage items, want 1", n)
		}
		p := b.get("/settings/keywords")
		if p.doc.Find(`[data-testid="alert-accepted"]`).Length() != 1 || p.doc.Find(`[data-testid="accept-coverage"]`).Length() != 0 {
			t.Errorf("alert after accepting: %q", strings.TrimSpace(p.text(`[data-testid="alert-coverage"]`)))
		}
	})
}
