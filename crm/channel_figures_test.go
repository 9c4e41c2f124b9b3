package crm

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/feed"
)

// Independent counts of a week for the weekly table: no grouping, one
// statement each.
const (
	independentPosts = `SELECT
	(SELECT COUNT(*) FROM feed_posts p JOIN owned_channels o ON o.id = p.owned_channel_id
		WHERE o.region = $1 AND p.published_at >= $2 AND p.published_at < $3)
	+ (SELECT COALESCE(SUM(s.posts), 0) FROM follower_snapshots s JOIN owned_channels o ON o.id = s.owned_channel_id
		WHERE o.region = $1 AND s.at >= $2 AND s.at < $3 AND NOT EXISTS (SELECT 1 FROM feeds f WHERE f.owned_channel_id = o.id))`
	independentEngagement = `SELECT COALESCE(SUM(s.engagement), 0) FROM follower_snapshots s JOIN owned_channels o ON o.id = s.owned_channel_id
		WHERE o.region = $1 AND s.at >= $2 AND s.at < $3`
	independentMentions = `SELECT COUNT(*) FROM keyword_alerts a JOIN feed_posts p ON p.id = a.feed_post_id
		WHERE p.published_at >= $2 AND p.published_at < $3 AND $1 <> ''`
)

func i64(n int64) *int64 { return &n }

// TestChannelFiguresWeekly: figures recorded by hand for two owned channels
// of Hamburg × Gesundheit (one with a feed, one without) and one elsewhere;
// the weekly evaluation of the cell sums followers at each week's end,
// gains (a first reading counts from itself), engagement, posts (the feed's,
// or the readings' for the channel without one) and mentions, each equal to
// an independent SQL count; the other cell's channel stays out.
func TestChannelFiguresWeekly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC) // a Wednesday
		health := d.Client.Topic.Create().SetName("Gesundheit").SaveX(ctx)
		it := d.Client.Topic.Create().SetName("IT").SaveX(ctx)
		oc := NewOwnedChannels(d.Client)
		a, err := oc.Save(ctx, 0, OwnedChannelInput{Platform: "x", Handle: "klinik_hh", Region: "Hamburg", TopicID: health.ID, Feed: "https://example.com/a.xml"})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := oc.Save(ctx, 0, OwnedChannelInput{Platform: "instagram", Handle: "klinik.hh", Region: "Hamburg", TopicID: health.ID})
		c, _ := oc.Save(ctx, 0, OwnedChannelInput{Platform: "x", Handle: "it_berlin", Region: "Berlin", TopicID: it.ID})
		svc := NewChannelFigures(d.Client, func() time.Time { return now })
		day := func(y, m, dd int) time.Time { return time.Date(y, time.Month(m), dd, 12, 0, 0, 0, time.UTC) }
		posts := func(n int) *int { return &n }
		_, err = svc.Record(ctx, []FigureInput{
			{OwnedChannelID: a.ID, At: day(2026, 11, 10), Followers: 1000},
			{OwnedChannelID: a.ID, At: day(2026, 11, 25), Followers: 1100, Engagement: i64(50)},
			{OwnedChannelID: a.ID, At: day(2026, 12, 1), Followers: 1150, Engagement: i64(30), Posts: posts(9)}, // has a feed: its posts count
			{OwnedChannelID: b.ID, At: day(2026, 11, 24), Followers: 500, Engagement: i64(10), Posts: posts(3)},
			{OwnedChannelID: b.ID, At: day(2026, 11, 30), Followers: 520, Posts: posts(2)},
			{OwnedChannelID: c.ID, At: day(2026, 12, 1), Followers: 9999, Engagement: i64(1000)},
		}, MsgFiguresTyped(1))
		if err != nil {
			t.Fatal(err)
		}
		if n := d.Client.AuditEvent.Query().Where(auditevent.Entity(EntityChannelFigures)).CountX(ctx); n != 1 {
			t.Errorf("%d audit events, want 1 for the batch", n)
		}
		f := d.Client.Feed.Query().Where(feed.OwnedChannelID(a.ID)).OnlyX(ctx)
		w := NewContactWriter(d.Client, d.Dialect, nil, nil)
		ct, err := w.Create(ctx, ContactInput{FirstName: "Lena", LastName: "Hart", Channels: []ChannelInput{{Platform: "x", Handle: "lena"}}})
		if err != nil {
			t.Fatal(err)
		}
		prof := d.Client.SocialProfile.Query().FirstX(ctx)
		err = db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			cf := tx.Feed.Create().SetURL("https://example.com/lena.xml").SetSocialProfileID(prof.ID).SetContactID(ct).
				SetNextPollAt(now).SetLeaseUntil(now).SaveX(ctx)
			rule := tx.KeywordRule.Create().SetTerm("Klinik").SaveX(ctx)
			for i, at := range []time.Time{day(2026, 11, 20), day(2026, 11, 23), day(2026, 11, 26), day(2026, 12, 2)} {
				tx.FeedPost.Create().SetFeedID(f.ID).SetOwnedChannelID(a.ID).SetKey(fmt.Sprint("a", i)).SetPublishedAt(at).ExecX(ctx)
			}
			for i, at := range []time.Time{day(2026, 11, 24), day(2026, 12, 1), day(2026, 12, 2)} {
				p := tx.FeedPost.Create().SetFeedID(cf.ID).SetContactID(ct).SetKey(fmt.Sprint("c", i)).SetPublishedAt(at).SaveX(ctx)
				tx.KeywordAlert.Create().SetRuleID(rule.ID).SetFeedPostID(p.ID).ExecX(ctx)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}

		rep, err := svc.Weekly(ctx, FigureScope{Region: "Hamburg", Topic: "Gesundheit"}, 2)
		if err != nil {
			t.Fatal(err)
		}
		want := []FigureWeek{
			{Start: day(2026, 11, 23).Add(-12 * time.Hour), Posts: 2 + 3, Mentions: 1, Followers: 1100 + 500, Gained: 100, Engagement: 60, HasFollowers: true},
			{Start: day(2026, 11, 30).Add(-12 * time.Hour), Posts: 1 + 2, Mentions: 2, Followers: 1150 + 520, Gained: 50 + 20, Engagement: 30, HasFollowers: true},
		}
		if rep.Channels != 2 || len(rep.Weeks) != 2 {
			t.Fatalf("%d channels, %d weeks; want 2, 2", rep.Channels, len(rep.Weeks))
		}
		for i, wk := range rep.Weeks {
			if wk != want[i] {
				t.Errorf("week %d: %+v, want %+v", i, wk, want[i])
			}
			end := wk.Start.AddDate(0, 0, 7)
			for name, q := range map[string]string{"posts": independentPosts, "engagement": independentEngagement, "mentions": independentMentions} {
				var n int64
				if err := d.SQL.QueryRowContext(ctx, q, "Hamburg", wk.Start, end).Scan(&n); err != nil {
					t.Fatal(err)
				}
				got := map[string]int64{"posts": int64(wk.Posts), "engagement": wk.Engagement, "mentions": int64(wk.Mentions)}[name]
				if got != n {
					t.Errorf("week %d %s: %d, independent count %d", i, name, got, n)
				}
			}
		}
		one, err := svc.Weekly(ctx, FigureScope{ChannelID: c.ID}, 1)
		if err != nil || one.Weeks[0].Followers != 9999 || one.Weeks[0].Gained != 0 || one.Weeks[0].Engagement != 1000 {
			t.Errorf("one channel: %+v, %v", one, err)
		}
	})
}

// TestChannelFiguresRecordChecks: readings a writer must refuse; nothing is
// written when one of a batch is wrong.
func TestChannelFiguresRecordChecks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)
		ch, err := NewOwnedChannels(d.Client).Save(ctx, 0, OwnedChannelInput{Platform: "x", Handle: "a"})
		if err != nil {
			t.Fatal(err)
		}
		svc := NewChannelFigures(d.Client, func() time.Time { return now })
		good := FigureInput{OwnedChannelID: ch.ID, At: now, Followers: 10}
		for _, tc := range []struct {
			name  string
			in    FigureInput
			field string
		}{
			{"err_negative_followers", FigureInput{OwnedChannelID: ch.ID, At: now, Followers: -1}, "followers"},
			{"err_negative_engagement", FigureInput{OwnedChannelID: ch.ID, At: now, Engagement: i64(-3)}, "engagement"},
			{"err_no_channel", FigureInput{At: now}, "channel"},
			{"err_two_channels", FigureInput{OwnedChannelID: ch.ID, SocialProfileID: 1, At: now}, "channel"},
			{"err_no_date", FigureInput{OwnedChannelID: ch.ID}, "at"},
			{"err_future", FigureInput{OwnedChannelID: ch.ID, At: now.AddDate(0, 0, 3)}, "at"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, err := svc.Record(ctx, []FigureInput{good, tc.in}, MsgFiguresImport("x"))
				if ErrorCode(err) != EInvalid || fieldsOf(err)[tc.field] == "" {
					t.Errorf("error %v, want a field error on %s", err, tc.field)
				}
			})
		}
		if n := d.Client.FollowerSnapshot.Query().CountX(ctx); n != 0 {
			t.Errorf("%d readings written, want none", n)
		}
		if _, err := svc.Record(ctx, []FigureInput{{OwnedChannelID: ch.ID + 100, At: now}}, MsgFiguresImport("x")); ErrorCode(err) != ENotFound {
			t.Errorf("unknown channel: %v, want not found", err)
		}
	})
}

func fieldsOf(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}
