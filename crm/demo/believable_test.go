package demo

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/ent/coverageitem"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/task"
	"github.com/rapport-crm/rapport/ent/user"
)

// TestDemoBelievableToday: relative to the load, the team has worked through
// its old pitch follow-ups (a handful per campaign overdue, none from a
// finished campaign beyond them), no campaign has coverage before its
// embargo lifted, and everyone who logs work has signed in.
func TestDemoBelievableToday(t *testing.T) {
	for _, tc := range demoTestDBs {
		t.Run(tc.name, func(t *testing.T) {
			ctx, c := context.Background(), tc.open(t).Client
			now := time.Date(2026, 12, 6, 10, 45, 0, 0, time.UTC)
			if _, err := Load(ctx, c, Options{Contacts: 1000, Now: now}); err != nil {
				t.Fatal(err)
			}
			old := now.Truncate(24*time.Hour).AddDate(0, 0, -7)
			for _, cp := range c.Campaign.Query().AllX(ctx) {
				if pitch, err := c.Interaction.Query().Where(interaction.CampaignID(cp.ID), interaction.TypeEQ(interaction.TypePitch)).First(ctx); err == nil {
					n := c.Task.Query().Where(task.CreatedAt(pitch.OccurredAt), task.DoneAtIsNil(), task.DueAtLT(old)).CountX(ctx)
					if n > demoOpenFollowUps {
						t.Errorf("campaign %q: %d of its pitch's follow-ups overdue by more than a week, want at most %d", cp.Name, n, demoOpenFollowUps)
					}
				}
				if cp.EmbargoUntil == nil {
					continue
				}
				if early := c.CoverageItem.Query().Where(coverageitem.CampaignID(cp.ID), coverageitem.PublishedAtLT(*cp.EmbargoUntil)).CountX(ctx); early > 0 {
					t.Errorf("campaign %q: %d pieces published before its embargo %v", cp.Name, early, cp.EmbargoUntil)
				}
			}
			katrin := c.User.Query().Where(user.Email("katrin.vogel@rapport.test")).OnlyX(ctx)
			if n := c.Task.Query().Where(task.AssigneeID(katrin.ID), task.DoneAtIsNil(), task.DueAtLT(old)).CountX(ctx); n > 20 {
				t.Errorf("Katrin has %d follow-ups overdue by more than a week", n)
			}
			if n := c.Task.Query().Where(task.TitleHasPrefix("Nachfassen zum Pitch: ")).CountX(ctx); n == 0 ||
				c.Task.Query().Where(task.TitleHasPrefix("Follow up pitch")).ExistX(ctx) {
				t.Errorf("%d follow-ups of pitches titled in German, want all", n)
			}
			for _, u := range c.User.Query().AllX(ctx) {
				logs := c.Interaction.Query().Where(interaction.AuthorID(u.ID)).ExistX(ctx)
				switch {
				case u.LastLoginAt == nil:
					t.Errorf("%s never signed in", u.Email)
				case u.LastLoginAt.After(now) || now.Sub(*u.LastLoginAt) > 14*24*time.Hour:
					t.Errorf("%s last signed in %v", u.Email, u.LastLoginAt)
				case logs && c.Interaction.Query().Where(interaction.AuthorID(u.ID), interaction.OccurredAtGT(u.LastLoginAt.Add(24*time.Hour))).ExistX(ctx):
					t.Errorf("%s logged work a day after the last sign-in %v", u.Email, u.LastLoginAt)
				}
			}
		})
	}
}
