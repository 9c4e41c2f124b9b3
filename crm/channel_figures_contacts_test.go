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
