package crm

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
)

// numbered matches a numbered placeholder ($1).
var numbered = regexp.MustCompile(`\$[0-9]+`)

// TestPitchWritesEachContactOnce: a pitch writes each contact's row once
// (one UPDATE of contacts for the batch: last interaction, health and due
// date together) and each target's once (one UPDATE of the batch's targets:
// claimed, counted and linked to the interaction together), binds no list
// of numbered placeholders on SQLite, moves the last interaction only of those whose last one
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
			updates, targetUpdates := 0, 0
			for _, s := range stmts {
				if u := strings.ToUpper(s); strings.Contains(u, "UPDATE CONTACTS") || strings.Contains(u, `UPDATE "CONTACTS"`) || strings.Contains(u, "UPDATE `CONTACTS`") {
					updates++
				}
				if u := strings.ToUpper(s); strings.Contains(u, "UPDATE CAMPAIGN_TARGETS") || strings.Contains(u, `UPDATE "CAMPAIGN_TARGETS"`) {
					targetUpdates++
				}
			}
			if updates != 1 {
				t.Errorf("%d UPDATEs of contacts for one batch, want 1", updates)
			}
			if dia == dialect.SQLite { // numbered placeholders bind in quadratic time there: ids go as one argument, or '?'
				for _, s := range stmts {
					if n := len(numbered.FindAllString(s, -1)); n > 10 {
						t.Errorf("a statement with %d numbered placeholders on SQLite: %.120s", n, s)
					}
				}
			}
			if targetUpdates != 1 {
				t.Errorf("%d UPDATEs of campaign targets for one batch, want 1 (claim and link together)", targetUpdates)
			}
			for _, tg := range d.Client.CampaignTarget.Query().AllX(ctx) {
				if tg.InteractionID == nil || *tg.InteractionID != r.Interaction.ID || tg.PitchCount != 1 || string(tg.Status) != PitchPitched {
					t.Errorf("target %d: interaction %v, %d pitches, %s; want %d, 1, pitched", tg.ContactID, tg.InteractionID, tg.PitchCount, tg.Status, r.Interaction.ID)
				}
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

// TestClaimNobodyWritesNothing: a batch whose claim leaves nobody rolls
// back, the interaction it created with it (the claim runs after the
// interaction exists, to link it in the same UPDATE).
func TestClaimNobodyWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCampaignFixture(t, d, 3)
		ctx := context.Background()
		_, err := LogInteractionMany(f.ctx, d.Client, f.user, InteractionInput{ContactIDs: f.ids, Type: "pitch", Direction: "outbound",
			OccurredAt: time.Now(), Subject: "Niemand"}, ManyOptions{Batch: 2,
			Claim: func(context.Context, *ent.Tx, *ent.Interaction, []int) ([]int, error) { return nil, nil }})
		if ErrorCode(err) != EConflict {
			t.Fatalf("err %v, want a conflict", err)
		}
		if n := d.Client.Interaction.Query().CountX(ctx); n != 0 {
			t.Errorf("%d interactions after a claim of nobody, want 0", n)
		}
		// The first batch claims nobody, the second one: its interaction is the one.
		it, err := LogInteractionMany(f.ctx, d.Client, f.user, InteractionInput{ContactIDs: f.ids, Type: "pitch", Direction: "outbound",
			OccurredAt: time.Now(), Subject: "Einer"}, ManyOptions{Batch: 2,
			Claim: func(_ context.Context, _ *ent.Tx, it *ent.Interaction, ids []int) ([]int, error) {
				if it == nil {
					t.Error("claim without the interaction")
				}
				if slices.Contains(ids, f.ids[2]) {
					return []int{f.ids[2]}, nil
				}
				return nil, nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		if n := d.Client.Interaction.Query().CountX(ctx); n != 1 {
			t.Errorf("%d interactions, want 1", n)
		}
		if n := d.Client.Participation.Query().CountX(ctx); n != 1 || it.ID == 0 {
			t.Errorf("%d participations of %d, want 1", n, it.ID)
		}
	})
}
