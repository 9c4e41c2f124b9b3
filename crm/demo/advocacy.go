package demo

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/nomination"
	"github.com/rapport-crm/rapport/ent/nominationdecision"
	"github.com/rapport-crm/rapport/ent/socialprofile"
)

// demoDue is a demo contact's touch due date under the default cadences
// (written with the contact, so the health recompute after loading only has
// scores to store).
func demoDue(c demoContact) *time.Time {
	base := c.created
	if c.lastAt != nil {
		base = *c.lastAt
	}
	due := base.AddDate(0, 0, crm.DefaultStages.Cadence(c.stage)).UTC()
	return &due
}

// demoHistoryChannels is how many channels get a follower history.
const demoHistoryChannels = 2000

// writeAdvocacy adds the stage settings, follower histories, follow-ups and
// nominations that make the advocacy pages look alive, then computes every
// contact's health.
func (g *demoGen) writeAdvocacy(ctx context.Context, client *ent.Client, _ *Stats) error {
	if err := crm.EnsureStages(ctx, client); err != nil {
		return err
	}
	r := g.rng(5)
	now := g.now
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		chans, err := tx.SocialProfile.Query().Where(socialprofile.FollowersGT(1000)).Order(socialprofile.ByID()).
			Limit(demoHistoryChannels).Select(socialprofile.FieldID, socialprofile.FieldFollowers).All(ctx)
		if err != nil {
			return err
		}
		var snaps []*ent.FollowerSnapshotCreate
		for _, ch := range chans {
			months := 6 + r.IntN(13)
			growth := 0.01 + 0.05*r.Float64()
			for m := months; m >= 1; m-- {
				f := float64(ch.Followers) / math.Pow(1+growth, float64(m)) * (1 + 0.02*r.NormFloat64())
				snaps = append(snaps, tx.FollowerSnapshot.Create().SetSocialProfileID(ch.ID).
					SetFollowers(int64(max(0, f))).SetAt(g.base.AddDate(0, -m, 0)))
			}
		}
		if err := demoBulk(snaps, 3, func(b []*ent.FollowerSnapshotCreate) error { return tx.FollowerSnapshot.CreateBulk(b...).Exec(ctx) }); err != nil {
			return err
		}
		var tasks []*ent.TaskCreate
		for i, id := range g.ids {
			if crm.DefaultStages.Rank(g.stage[i]) < 2 || r.IntN(4) != 0 {
				continue
			}
			owner := g.users[g.owner[i]]
			// Due from a week ago to three weeks ahead, at five in the afternoon.
			due := g.base.AddDate(0, 0, r.IntN(28)-7).Add(17 * time.Hour)
			tasks = append(tasks, tx.Task.Create().SetContactID(id).SetAssigneeID(owner).SetCreatedByID(owner).
				SetTitle(demoOf(r, demoTaskTitles)).SetDueAt(due).SetCreatedAt(due.AddDate(0, 0, -14)))
		}
		if err := demoBulk(tasks, 6, func(b []*ent.TaskCreate) error { return tx.Task.CreateBulk(b...).Exec(ctx) }); err != nil {
			return err
		}
		return g.writeNominations(ctx, tx, now)
	})
	if err != nil {
		return fmt.Errorf("demo: advocacy: %w", err)
	}
	if _, err := crm.RecomputeHealth(ctx, client, now); err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	return nil
}

var demoTaskTitles = []string{"Zur Pressemappe nachfassen", "Produktmuster schicken", "Zum Launch-Event einladen",
	"Feedback zum Testbericht erbitten", "Die Mitteilung unter Sperrfrist teilen", "Nach der Fachmesse melden"}

// writeNominations opens a few nominations of supporters (by the staff
// users) and records approvals of some advocates (decided by a manager).
func (g *demoGen) writeNominations(ctx context.Context, tx *ent.Tx, now time.Time) error {
	staff, manager := g.users[3], g.users[1]
	open, approved := 0, 0
	for i, id := range g.ids {
		var n *ent.NominationCreate
		switch {
		case g.stage[i] == "supporter" && open < 8:
			open++
			n = tx.Nomination.Create().SetStatus(nomination.StatusOpen).
				SetReason("Berichtet ungefragt über unsere Launches und empfiehlt uns weiter; schrieb in diesem Quartal zweimal über das Produkt.")
		case g.stage[i] == "advocate" && approved < 12:
			approved++
			n = tx.Nomination.Create().SetStatus(nomination.StatusApproved).SetDecidedAt(now.AddDate(0, 0, -30)).
				SetReason("Long-standing supporter, positive coverage and speaks at our events.")
		default:
			continue
		}
		saved, err := n.SetContactID(id).SetNominatedByID(staff).SetCreatedAt(now.AddDate(0, 0, -40+open)).
			SetEvidenceLinks([]string{"https://example.com/coverage/" + fmt.Sprint(id)}).Save(ctx)
		if err != nil {
			return err
		}
		if saved.Status == nomination.StatusApproved {
			if err := tx.NominationDecision.Create().SetNominationID(saved.ID).SetDecidedByID(manager).
				SetDecision(nominationdecision.DecisionApprove).SetComment("Agreed, strong evidence.").SetAt(now.AddDate(0, 0, -30)).Exec(ctx); err != nil {
				return err
			}
		}
	}
	return nil
}
