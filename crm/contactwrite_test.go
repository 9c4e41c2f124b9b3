package crm

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/change"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/followersnapshot"
)

// TestContactWriterSideEffects: one write does every side effect in its
// transaction: the exact audit diff, a follower history point only when the
// followers change, a search change, the cache invalidated; and an unchanged
// save writes nothing.
func TestContactWriterSideEffects(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		lk := NewLookups(d.Client, time.Hour)
		w := NewContactWriter(d.Client, d.Dialect, nil, lk)
		id, err := w.Create(ctx, countContact())
		if err != nil {
			t.Fatal(err)
		}
		created := d.Client.AuditEvent.Query().Where(auditevent.Action(ActionCreate)).OnlyX(ctx)
		if got := created.Changes["tags"]; !reflect.DeepEqual(got, [2]any{nil, []any{"Presse"}}) {
			t.Errorf("created snapshot tags %#v", got)
		}
		if got := created.Changes["channels"]; !reflect.DeepEqual(got, [2]any{nil, []any{"x/heike: 10"}}) {
			t.Errorf("created snapshot channels %#v", got)
		}
		snaps := func() int { return d.Client.FollowerSnapshot.Query().Where(followersnapshot.Followers(20)).CountX(ctx) }
		changes := func() int { return d.Client.Change.Query().Where(change.ContactID(id)).CountX(ctx) }
		audits := func() int { return d.Client.AuditEvent.Query().CountX(ctx) }
		before := changes()

		in := countContact()
		in.Version, in.Title, in.Tags, in.Channels[0].Followers = 1, "Chefin vom Dienst", []string{"presse", "Neu"}, 20
		lists, choices := lk.listsGen(), lk.choicesGen()
		if _, err := w.Update(ctx, id, in); err != nil {
			t.Fatal(err)
		}
		if lk.listsGen() == lists || lk.choicesGen() == choices { // new tag: the lists and their choices
			t.Error("the list cache was not invalidated")
		}
		ev := d.Client.AuditEvent.Query().Where(auditevent.Action(ActionUpdate)).OnlyX(ctx)
		want := map[string][2]any{
			"title":    {"", "Chefin vom Dienst"},
			"tags":     {[]any{"Presse"}, []any{"Neu", "Presse"}},
			"channels": {[]any{"x/heike: 10"}, []any{"x/heike: 20"}},
		}
		if !reflect.DeepEqual(map[string][2]any(ev.Changes), want) {
			t.Errorf("audit diff\n got %#v\nwant %#v", ev.Changes, want)
		}
		if ev.Summary != "Changed: channels, tags, title" || ev.Message != "Changed: {{.Fields}}" || ev.MessageArgs["Fields"] != "channels,tags,title" {
			t.Errorf("summary %q", ev.Summary)
		}
		if n := snaps(); n != 1 {
			t.Errorf("%d history points at 20 followers, want 1", n)
		}
		if changes() != before+1 {
			t.Errorf("no search change recorded")
		}

		// The same state again, and a change elsewhere: no history point, and
		// for the unchanged save nothing at all.
		in.Version = 2
		n0, c0 := audits(), changes()
		changed, err := w.Update(ctx, id, in)
		if err != nil || changed {
			t.Fatalf("unchanged save: changed %v, %v", changed, err)
		}
		if audits() != n0 || changes() != c0 {
			t.Error("an unchanged save wrote an audit event or a search change")
		}
		in.City = "Köln"
		if _, err := w.Update(ctx, id, in); err != nil {
			t.Fatal(err)
		}
		if n := d.Client.FollowerSnapshot.Query().CountX(ctx); n != 2 { // 10 when the channel was added, 20 when it changed
			t.Errorf("%d history points after an edit that kept the followers, want 2", n)
		}
		c := d.Client.Contact.GetX(ctx, id)
		if c.Version != 3 || c.FirstName != "Heike" || c.City != "Köln" || c.Reach != 20 {
			t.Errorf("stored contact %+v", c)
		}
		in.Version = 1 // stale
		if _, err := w.Update(ctx, id, in); ErrorCode(err) != EConflict {
			t.Errorf("stale version: %v, want conflict", err)
		}
	})
}

// TestContactWriterBatchHealth: contacts created in a batch (as an import
// writes them) get their health and touch-due date in the same transaction,
// and a stage change recomputes them.
func TestContactWriterBatchHealth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
		w := NewContactWriter(d.Client, d.Dialect, func() time.Time { return now }, nil)
		var ws []ContactWrite
		for i := range 3 {
			in := ContactInput{LastName: fmt.Sprintf("Import %d", i), Stage: "engaged",
				Channels: []ChannelInput{{Platform: "x", Handle: fmt.Sprintf("imp%d", i), Followers: 5000}}}
			if err := in.Check(); err != nil {
				t.Fatal(err)
			}
			ws = append(ws, ContactWrite{In: in, Msg: MsgImportedRow("liste.csv", 1, i)})
		}
		var res []Written
		err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			var err error
			res, err = w.Write(ctx, tx, ws, WriteOptions{Trusted: true})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		st, err := LoadStages(ctx, d.Client)
		if err != nil {
			t.Fatal(err)
		}
		wantDue := now.AddDate(0, 0, st.Cadence("engaged"))
		wantScore := ComputeHealth(HealthInput{CadenceDays: st.Cadence("engaged"), Created: now, Reach: 5000}, now).Score
		for _, r := range res {
			c := d.Client.Contact.GetX(ctx, r.ID)
			if c.TouchDueAt == nil || !c.TouchDueAt.Equal(wantDue) || c.Health != wantScore {
				t.Errorf("contact %d: health %d due %v, want %d and %v", r.ID, c.Health, c.TouchDueAt, wantScore, wantDue)
			}
		}
		if n := d.Client.Change.Query().Where(change.ContactIDIn(res[0].ID, res[1].ID, res[2].ID)).CountX(ctx); n != 3 {
			t.Errorf("%d search changes for 3 new contacts", n)
		}
		in := ws[0].In
		in.Stage, in.Version = "aware", 1
		if _, err := w.Update(ctx, res[0].ID, in); err != nil {
			t.Fatal(err)
		}
		c := d.Client.Contact.Query().Where(contact.ID(res[0].ID)).OnlyX(ctx)
		if want := now.AddDate(0, 0, st.Cadence("aware")); c.TouchDueAt == nil || !c.TouchDueAt.Equal(want) {
			t.Errorf("after a stage change: due %v, want %v", c.TouchDueAt, want)
		}
	})
}

// TestContactWriterRules: the writer keeps the form's rules: a channel
// another contact has is a field error naming them, and no form makes an
// advocate.
func TestContactWriterRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := NewContactWriter(d.Client, d.Dialect, nil, nil)
		if _, err := w.Create(ctx, countContact()); err != nil {
			t.Fatal(err)
		}
		other := ContactInput{LastName: "Zweite", Channels: []ChannelInput{{Platform: "bluesky", Handle: "z.bsky.social"}, {Platform: "x", Handle: "@Heike"}}}
		_, err := w.Create(ctx, other)
		var e *Error
		if !errors.As(err, &e) || e.Fields["channels.1"] != "heike on x belongs to Heike Brandt already." {
			t.Fatalf("taken handle: %v", err)
		}
		other.Channels = other.Channels[:1]
		id, err := w.Create(ctx, other)
		if err != nil {
			t.Fatal(err)
		}
		other.Stage, other.Version = "advocate", 1
		if _, err := w.Update(ctx, id, other); ErrorCode(err) != EInvalid {
			t.Errorf("form made an advocate: %v", err)
		}
		if _, err := w.Create(ctx, ContactInput{LastName: "Dritte", Stage: "advocate"}); ErrorCode(err) != EInvalid {
			t.Errorf("form created an advocate: %v", err)
		}
	})
}
