package crm

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/task"
	"github.com/rapport-crm/rapport/locale"
)

// TestPitchWordsInTheActorsLanguage: the follow-up a pitch schedules and the
// reply a first answer logs are stored in the acting user's language (the
// request's locale), English without one.
func TestPitchWordsInTheActorsLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCampaignFixture(t, d, 4)
		de := locale.With(f.ctx, locale.Get(locale.German))
		if _, err := f.svc.AddTargets(f.ctx, f.c.ID, f.ids); err != nil {
			t.Fatal(err)
		}
		for _, p := range []struct {
			name  string
			ctx   context.Context
			ids   []int
			title string
		}{
			{"de", de, f.ids[:2], "Nachfassen zum Pitch: Herbstkollektion"},
			{"en", f.ctx, f.ids[2:], "Follow up pitch: Herbstkollektion"},
		} {
			ctx := p.ctx
			if _, err := f.svc.Pitch(ctx, f.c.ID, PitchInput{ContactIDs: p.ids, Subject: "Neue Kollektion", FollowUpDays: 5}); err != nil {
				t.Fatal(err)
			}
			for _, tk := range d.Client.Task.Query().Where(task.ContactIDIn(p.ids...)).AllX(ctx) {
				if tk.Title != p.title {
					t.Errorf("%s: follow-up %q, want %q", p.name, tk.Title, p.title)
				}
			}
		}
		r, err := f.svc.SetStatus(de, f.c.ID, f.ids[:1], PitchReplied)
		if err != nil || r.Replies == nil {
			t.Fatalf("reply: %v, %v", r, err)
		}
		if got := d.Client.Interaction.Query().Where(interaction.ID(r.Replies.ID)).OnlyX(de).Subject; got != "Antwort auf den Pitch: Herbstkollektion" {
			t.Errorf("reply subject %q", got)
		}
		if n := d.Client.Task.Query().Where(task.ContactID(f.ids[0]), task.DoneAtIsNil()).CountX(de); n != 0 {
			t.Errorf("%d follow-ups open after the reply", n)
		}
	})
}
