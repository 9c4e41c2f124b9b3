package crm

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestPitchWritesEachContactOnce: a pitch writes each contact's row once
// (one UPDATE of contacts for the batch: last interaction, health and due
// date together), moves the last interaction only of those whose last one
// is older, and leaves health and due dates exactly as a full recompute
// makes them.
func TestPitchWritesEachContactOnce(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			var log stmtLog
			d := dbtest.Open(t, dia, log.wrap)
			f := newCampaignFixture(t, d, 30)
			ctx := context.Background()
			old, newer := time.Now().AddDate(-1, 0, 0).UTC().Truncate(time.Second), time.Now().Add(time.Hour).UTC().Truncate(time.Second)
			for i, id := range f.ids[:15] {
				at := old
				if i >= 10 {
					at = newer
				}
				if _, err := d.SQL.ExecContext(ctx, "UPDATE contacts SET last_interaction_at = $1 WHERE id = $2", at, id); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := RecomputeHealth(ctx, d.Client, time.Now()); err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.AddTargets(f.ctx, f.c.ID, f.ids); err != nil {
				t.Fatal(err)
			}
			before := map[int]time.Time{}
			for _, c := range d.Client.Contact.Query().AllX(ctx) {
				before[c.ID] = c.UpdatedAt
			}
			var r *PitchResult
			stmts := log.count(func() {
				var err error
				if r, err = f.svc.Pitch(f.ctx, f.c.ID, PitchInput{Subject: "Neue Kollektion", FollowUpDays: 7}); err != nil {
					t.Fatal(err)
				}
			})
			if r.Pitched != 30 {
				t.Fatalf("pitched %d, want 30", r.Pitched)
			}
			updates := 0
			for _, s := range stmts {
				if u := strings.ToUpper(s); strings.Contains(u, "UPDATE CONTACTS") || strings.Contains(u, `UPDATE "CONTACTS"`) || strings.Contains(u, "UPDATE `CONTACTS`") {
					updates++
				}
			}
			if updates != 1 {
				t.Errorf("%d UPDATEs of contacts for one batch, want 1", updates)
			}
			at := r.Interaction.OccurredAt
			for _, c := range d.Client.Contact.Query().AllX(ctx) {
				want, moved := at, true
				if c.ID >= f.ids[10] && c.ID <= f.ids[14] {
					want, moved = newer, false
				}
				if c.LastInteractionAt == nil || !c.LastInteractionAt.Truncate(time.Millisecond).Equal(want.Truncate(time.Millisecond)) {
					t.Errorf("contact %d: last interaction %v, want %v", c.ID, c.LastInteractionAt, want)
				}
				if got := c.UpdatedAt.After(before[c.ID]); got != moved {
					t.Errorf("contact %d: updated_at moved %v, want %v", c.ID, got, moved)
				}
			}
			if n, err := RecomputeHealth(ctx, d.Client, time.Now()); err != nil || n != 0 {
				t.Errorf("a recompute after the pitch changed %d contacts (%v): the pitch stored other health values", n, err)
			}
		})
	}
}
