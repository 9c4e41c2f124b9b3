package crm

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/followersnapshot"
)

// recordFollowers keeps the follower history of a channel whose count became
// followers: the first time it also records the count it had before, as of
// its last update, so the chart has a line from the start.
func recordFollowers(ctx context.Context, tx *ent.Tx, ch *ent.SocialProfile, followers int64) error {
	now := timeNow().UTC()
	had, err := tx.FollowerSnapshot.Query().Where(followersnapshot.SocialProfileID(ch.ID)).Exist(ctx)
	if err != nil {
		return fmt.Errorf("follower history: %w", err)
	}
	bulk := []*ent.FollowerSnapshotCreate{}
	if !had && ch.Followers != followers && !ch.UpdatedAt.IsZero() {
		bulk = append(bulk, tx.FollowerSnapshot.Create().SetSocialProfileID(ch.ID).SetFollowers(ch.Followers).SetAt(ch.UpdatedAt.UTC()))
	}
	bulk = append(bulk, tx.FollowerSnapshot.Create().SetSocialProfileID(ch.ID).SetFollowers(followers).SetAt(now))
	if err := tx.FollowerSnapshot.CreateBulk(bulk...).Exec(ctx); err != nil {
		return fmt.Errorf("follower history: %w", err)
	}
	return nil
}
