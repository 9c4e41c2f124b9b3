package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/user"
)

// writeSignIns gives the demo users the last sign-in a working team has:
// shortly before the last interaction each logged, or, for a user who logs
// none (the admin), a morning two days ago. /users then shows no one who
// logs work as never signed in. A user who has signed in since keeps it.
func (g *demoGen) writeSignIns(ctx context.Context, client *ent.Client, _ *Stats) error {
	r := g.rng(13)
	for _, id := range g.users {
		at := g.base.AddDate(0, 0, -2).Add(8*time.Hour + time.Duration(r.IntN(60))*time.Minute)
		last, err := client.Interaction.Query().Where(interaction.AuthorID(id), interaction.OccurredAtLT(g.now)).
			Order(ent.Desc(interaction.FieldOccurredAt)).First(ctx)
		switch {
		case err == nil:
			at = last.OccurredAt.Add(-time.Duration(10+r.IntN(110)) * time.Minute)
		case !ent.IsNotFound(err):
			return fmt.Errorf("demo: sign-ins: %w", err)
		}
		err = client.User.Update().Where(user.ID(id), user.Or(user.LastLoginAtIsNil(), user.LastLoginAtLT(at))).
			SetLastLoginAt(at).Exec(ctx)
		if err != nil {
			return fmt.Errorf("demo: sign-ins: %w", err)
		}
	}
	return nil
}
