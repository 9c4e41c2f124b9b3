package crm

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/feed"
	"github.com/rapport-crm/rapport/ent/keywordalert"
	"github.com/rapport-crm/rapport/ent/task"
)

// TestKeywordAlerts: a new post whose words match a rule in German or
// English word forms (the search analyzer's) becomes one alert per post and
// rule, a candidate of the rule's campaign and a task for the contact's
// owner; an advocate's post is a recommendation; an inactive rule and a
// post without the words make nothing; a second poll and a second run over
// the same posts make nothing again.
func TestKeywordAlerts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		owner := d.Client.User.Create().SetEmail("o@example.com").SetName("Olga").SetPasswordHash("x").SetRole("staff").SaveX(ctx)
		brand := d.Client.Brand.Create().SetName("Bergwerk").SaveX(ctx)
		camp := d.Client.Campaign.Create().SetBrandID(brand.ID).SetName("Herbst am Berg").SetStartsAt(now).SaveX(ctx)
		rules := NewKeywordRules(d.Client)
		if _, err := rules.Create(ctx, KeywordRuleInput{Term: "Wanderschuh", CampaignID: camp.ID}); err != nil {
			t.Fatal(err)
		}
		if _, err := rules.Create(ctx, KeywordRuleInput{Term: "sustainability"}); err != nil {
			t.Fatal(err)
		}
		off, err := rules.Create(ctx, KeywordRuleInput{Term: "Kochrezept"})
		if err != nil || rules.SetActive(ctx, off.ID, false) != nil {
			t.Fatal(err)
		}
		for name, in := range map[string]KeywordRuleInput{"err_empty": {Term: " "}, "err_stop_words": {Term: "der die das"},
			"err_campaign": {Term: "x", CampaignID: 999999}} {
			if _, err := rules.Create(ctx, in); ErrorCode(err) != EInvalid {
				t.Errorf("%s: %v, want invalid", name, err)
			}
		}

		postsA := []testPost{{"a1", "Neue Wanderschuhe im Test", now.Add(-time.Hour)}, {"a2", "Sustainable fashion tested", now.Add(-2 * time.Hour)},
			{"a3", "Mein liebstes Kochrezept", now.Add(-3 * time.Hour)}}
		srvA := serveFeed(t, func() string { return rssItems(postsA) })
		srvB := serveFeed(t, func() string {
			return rssItems([]testPost{{"b1", "Wanderschuhe für Kinder", now.Add(-time.Hour)}})
		})
		w := NewContactWriter(d.Client, d.Dialect, nil, nil)
		jana, err := w.Create(ctx, ContactInput{FirstName: "Jana", LastName: "Grün", OwnerID: &owner.ID,
			Channels: []ChannelInput{{Platform: "blog", Handle: "jana.example", Feed: srvA.URL + "/a.xml"}}})
		if err != nil {
			t.Fatal(err)
		}
		ben := contactWithFeed(t, d, "Ben", "ben.example", srvB.URL+"/b.xml")
		err = db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			return tx.Contact.UpdateOneID(ben).SetStage(contact.StageAdvocate).Exec(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		poller := NewFeedPoller(d.Client, d.Dialect, NewFeedFetcher(true, 5*time.Second), nil, "t")
		if rep, err := poller.PollDue(ctx); err != nil || rep.NewPosts != 4 {
			t.Fatalf("poll %+v, %v", rep, err)
		}
		got, err := rules.Alerts(ctx, 50)
		if err != nil {
			t.Fatal(err)
		}
		type row struct {
			term, contact, title, campaign string
			rec                            bool
		}
		want := map[row]bool{
			{"Wanderschuh", "Jana Grün", "Neue Wanderschuhe im Test", "Herbst am Berg", false}: true,
			{"sustainability", "Jana Grün", "Sustainable fashion tested", "", false}:           true,
			{"Wanderschuh", "Ben Blog", "Wanderschuhe für Kinder", "Herbst am Berg", true}:     true,
		}
		if len(got) != len(want) {
			t.Errorf("%d alerts %+v, want %d", len(got), got, len(want))
		}
		for _, a := range got {
			if !want[row{a.Term, a.Contact, a.Title, a.Campaign, a.Recommendation}] {
				t.Errorf("unexpected alert %+v", a)
			}
		}
		if n := d.Client.KeywordAlert.Query().Where(keywordalert.CampaignID(camp.ID)).CountX(ctx); n != 2 {
			t.Errorf("%d candidates for the campaign, want 2", n)
		}
		if n := d.Client.Task.Query().Where(task.ContactID(jana), task.AssigneeID(owner.ID)).CountX(ctx); n != 2 {
			t.Errorf("Jana's owner has %d tasks, want 2", n)
		}
		if ts := d.Client.Task.Query().Where(task.ContactID(ben)).AllX(ctx); len(ts) != 1 || ts[0].AssigneeID != nil ||
			ts[0].Title != "„Wanderschuh“ · Wanderschuhe für Kinder" {
			t.Errorf("Ben (no owner) has tasks %+v, want one unassigned", ts)
		}

		// A new post the next time: one alert more, the old ones not again.
		postsA = append(postsA, testPost{"a4", "Wanderschuhe, Teil 2", now.Add(-30 * time.Minute)})
		d.Client.Feed.Update().Where(feed.ContactID(jana)).SetNextPollAt(now.Add(-time.Minute)).SetEtag("").ExecX(ctx)
		if rep, err := poller.PollDue(ctx); err != nil || rep.NewPosts != 1 {
			t.Fatalf("second poll %+v, %v", rep, err)
		}
		if n := d.Client.KeywordAlert.Query().CountX(ctx); n != 4 {
			t.Errorf("%d alerts after the second poll, want 4", n)
		}
		ids := d.Client.FeedPost.Query().IDsX(ctx)
		err = db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			n, err := alertKeywords(ctx, tx, jana, ids, now)
			if n != 0 {
				t.Errorf("a second run over the same posts made %d alerts", n)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
