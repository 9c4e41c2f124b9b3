package crm

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/change"
	"github.com/rapport-crm/rapport/ent/followersnapshot"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// TestChannelFiguresMoveContactChannels: readings of two contacts' channels
// in one batch move each channel's current count to its newest reading,
// through the contact writer: the contact's reach, one audit event per
// contact with the channel's change, a search change record; the history
// holds the count as it was (dated at the channel's last update) and the
// readings, no point of the writer's own. A later batch of older readings
// (a backfill) and a reading of the same count change no contact.
func TestChannelFiguresMoveContactChannels(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := NewContactWriter(d.Client, d.Dialect, nil, nil)
		lena, err := w.Create(ctx, ContactInput{FirstName: "Lena", LastName: "Hart",
			Channels: []ChannelInput{{Platform: "x", Handle: "lena", Followers: 10000}, {Platform: "instagram", Handle: "lena.ig", Followers: 500}}})
		if err != nil {
			t.Fatal(err)
		}
		jan, err := w.Create(ctx, ContactInput{FirstName: "Jan", LastName: "Ost", Channels: []ChannelInput{{Platform: "youtube", Handle: "janost", Followers: 70}}})
		if err != nil {
			t.Fatal(err)
		}
		x := d.Client.SocialProfile.Query().Where(socialprofile.Handle("lena")).OnlyX(ctx)
		yt := d.Client.SocialProfile.Query().Where(socialprofile.Handle("janost")).OnlyX(ctx)
		now := time.Now().UTC() // after the channels' last update: today's readings are newer
		svc := NewChannelFigures(d.Client, func() time.Time { return now }).WithContacts(w)
		audits := func(id int) int {
			return d.Client.AuditEvent.Query().Where(auditevent.Entity(EntityContact), auditevent.EntityID(id)).CountX(ctx)
		}
		changes := func(id int) int { return d.Client.Change.Query().Where(change.ContactID(id)).CountX(ctx) }
		la, ja, lc := audits(lena), audits(jan), changes(lena)

		if _, err := svc.Record(ctx, []FigureInput{
			{SocialProfileID: x.ID, At: now, Followers: 12345, Source: "import"},
			{SocialProfileID: x.ID, At: now.AddDate(0, 0, -7), Followers: 11000, Source: "import"},
			{SocialProfileID: yt.ID, At: now, Followers: 90, Source: "import"},
		}, MsgFiguresImport("figures.csv")); err != nil {
			t.Fatal(err)
		}
		if n := d.Client.SocialProfile.GetX(ctx, x.ID).Followers; n != 12345 {
			t.Errorf("x/lena has %d followers, want 12345 (the newest reading)", n)
		}
		if r := d.Client.Contact.GetX(ctx, lena).Reach; r != 12845 {
			t.Errorf("Lena's reach %d, want 12845", r)
		}
		if n := d.Client.SocialProfile.GetX(ctx, yt.ID).Followers; n != 90 {
			t.Errorf("youtube/janost has %d followers, want 90", n)
		}
		if audits(lena) != la+1 || audits(jan) != ja+1 {
			t.Errorf("contact audit events: Lena +%d, Jan +%d, want one each", audits(lena)-la, audits(jan)-ja)
		}
		ev := d.Client.AuditEvent.Query().Where(auditevent.Entity(EntityContact), auditevent.EntityID(lena)).
			Order(auditevent.ByID()).AllX(ctx)
		last := ev[len(ev)-1]
		if ch, _ := json.Marshal(last.Changes); last.Message != "Channel figures imported from {{.File}}" || !strings.Contains(string(ch), "x/lena: 12345") {
			t.Errorf("Lena's audit event %q %s, want the import's sentence and the channel's new count", last.Message, ch)
		}
		if changes(lena) <= lc {
			t.Error("no search change record for Lena")
		}
		snaps := d.Client.FollowerSnapshot.Query().Where(followersnapshot.SocialProfileID(x.ID)).Order(followersnapshot.ByAt()).AllX(ctx)
		var got []string
		for _, s := range snaps {
			got = append(got, string(s.Source)+":"+strconv.FormatInt(s.Followers, 10))
		}
		if strings.Join(got, " ") != "import:11000 profile:10000 import:12345" {
			t.Errorf("x/lena's history %v, want the count it had, the two readings and nothing else", got)
		}

		la, lc = audits(lena), changes(lena)
		if _, err := svc.Record(ctx, []FigureInput{
			{SocialProfileID: x.ID, At: now.AddDate(0, 0, -3), Followers: 9000, Source: "import"},
			{SocialProfileID: x.ID, At: now.AddDate(0, -2, 0), Followers: 8000, Source: "import"},
		}, MsgFiguresImport("backfill.csv")); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Record(ctx, []FigureInput{{SocialProfileID: x.ID, At: now, Followers: 12345}}, MsgFiguresTypedFor("X lena")); err != nil {
			t.Fatal(err)
		}
		if n := d.Client.SocialProfile.GetX(ctx, x.ID).Followers; n != 12345 {
			t.Errorf("after a backfill x/lena has %d followers, want 12345 kept", n)
		}
		if audits(lena) != la || changes(lena) != lc {
			t.Errorf("a backfill and an unchanged count wrote %d contact audit events and %d change records, want none", audits(lena)-la, changes(lena)-lc)
		}
	})
}

// TestChannelFiguresMoveEngagementRate: the newest reading with engagement
// sets the channel's engagement rate (engagement ÷ followers) through the
// contact writer, also when the count stays; a reading without engagement,
// an older reading (a backfill) and a save of the contact as its form sends
// it (no rate) keep the rate.
func TestChannelFiguresMoveEngagementRate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := NewContactWriter(d.Client, d.Dialect, nil, nil)
		id, err := w.Create(ctx, ContactInput{FirstName: "Lena", LastName: "Hart", Channels: []ChannelInput{{Platform: "x", Handle: "lena", Followers: 10000}}})
		if err != nil {
			t.Fatal(err)
		}
		x := d.Client.SocialProfile.Query().Where(socialprofile.Handle("lena")).OnlyX(ctx)
		// after the channel's last update, in whole seconds: PostgreSQL rounds
		// to microseconds, and a reading stored rounded up would make the
		// same time typed again look older
		now := time.Now().UTC().Truncate(time.Second).Add(time.Second)
		svc := NewChannelFigures(d.Client, func() time.Time { return now }).WithContacts(w)
		step := func(name string, at time.Time, followers int64, engagement *int64, want string) {
			t.Helper()
			if _, err := svc.Record(ctx, []FigureInput{{SocialProfileID: x.ID, At: at, Followers: followers, Engagement: engagement}},
				MsgFiguresTypedFor("X lena")); err != nil {
				t.Fatal(err)
			}
			if got := rateOf(t, d, x.ID); got != want {
				t.Errorf("%s: rate %s, want %s", name, got, want)
			}
		}
		if got := rateOf(t, d, x.ID); got != "none" {
			t.Fatalf("a new channel's rate %s", got)
		}
		step("first reading", now, 12000, i64(300), "0.0250")
		step("same count, more engagement", now, 12000, i64(600), "0.0500")
		step("no engagement", now, 12100, nil, "0.0500")
		step("older reading", now.AddDate(0, 0, -3), 11000, i64(1100), "0.0500")
		if n := d.Client.SocialProfile.GetX(ctx, x.ID).Followers; n != 12100 {
			t.Errorf("followers %d, want 12100", n)
		}

		st, err := w.Load(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		in := st.Input
		in.Title = "Redakteurin"
		in.Channels = []ChannelInput{{Platform: "x", Handle: "lena", Followers: 12100}} // as the form sends it
		if _, err := w.Update(ctx, id, in); err != nil {
			t.Fatal(err)
		}
		if got := rateOf(t, d, x.ID); got != "0.0500" {
			t.Errorf("after a form save: rate %s, want 0.0500 kept", got)
		}
	})
}

// rateOf is channel id's stored engagement rate to four places, "none" without one.
func rateOf(t *testing.T, d *db.DB, id int) string {
	t.Helper()
	r := d.Client.SocialProfile.GetX(context.Background(), id).EngagementRate
	if r == nil {
		return "none"
	}
	return strconv.FormatFloat(*r, 'f', 4, 64)
}
