package crm

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/brand"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/campaignmember"
	"github.com/rapport-crm/rapport/ent/user"
)

// CampaignInputOf is campaign c (loaded by Campaign, with its team) as the
// desired state UpdateCampaign takes, to patch.
func CampaignInputOf(c *ent.Campaign) CampaignInput {
	in := CampaignInput{BrandID: c.BrandID, Name: c.Name, Goal: c.Goal, KeyMessages: slices.Clone(c.KeyMessages),
		StartsAt: c.StartsAt, EndsAt: c.EndsAt, EmbargoUntil: c.EmbargoUntil, Status: string(c.Status), NoReplyDays: c.NoReplyDays}
	for _, m := range c.Edges.Members {
		in.TeamIDs = append(in.TeamIDs, m.UserID)
	}
	return in
}

// UpdateCampaign saves in as campaign id's fields and team, if the actor may
// run it and the campaign is still at version (optimistic locking: a save
// in between gives EConflict and changes nothing). Changed fields are
// audited; the version moves on. It is the one write of a campaign's row
// (SetCampaignStatus uses it too).
func (s *Campaigns) UpdateCampaign(ctx context.Context, id, version int, in CampaignInput) (*ent.Campaign, error) {
	if err := in.validate(); err != nil {
		return nil, err
	}
	c, err := s.canRun(ctx, id)
	if err != nil {
		return nil, err
	}
	old := CampaignInputOf(c)
	team := uniqueInts(in.TeamIDs)
	ch := campaignChanges(old, in, team)
	if len(ch) == 0 && version == c.Version {
		return c, nil
	}
	err = db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		if ok, err := tx.Brand.Query().Where(brand.ID(in.BrandID)).Exist(ctx); err != nil {
			return fmt.Errorf("update campaign: %w", err)
		} else if !ok {
			return (FieldErrors{"brand": "Choose an existing client."}).Err()
		}
		u := tx.Campaign.Update().Where(campaign.ID(id), campaign.Version(version)).SetBrandID(in.BrandID).SetName(in.Name).
			SetGoal(in.Goal).SetKeyMessages(in.KeyMessages).SetStartsAt(in.StartsAt.UTC()).SetStatus(campaign.Status(in.Status)).
			SetNoReplyDays(in.NoReplyDays).AddVersion(1)
		if in.EndsAt == nil { // one assignment per column: PostgreSQL refuses a clear and a set together
			u.ClearEndsAt()
		} else {
			u.SetEndsAt(in.EndsAt.UTC())
		}
		if in.EmbargoUntil == nil {
			u.ClearEmbargoUntil()
		} else {
			u.SetEmbargoUntil(in.EmbargoUntil.UTC())
		}
		n, err := u.Save(ctx)
		if err != nil {
			return fmt.Errorf("update campaign: %w", err)
		}
		if n == 0 {
			return Errorf(EConflict, "Someone changed this campaign since it was read; read it again and reapply your change.")
		}
		if _, ok := ch["team"]; ok {
			if err := replaceTeam(ctx, tx, id, team); err != nil {
				return err
			}
		}
		return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityCampaign, EntityID: id,
			Msg: MsgCampaignEdit(c.Name, ch), Changes: ch})
	})
	if err != nil {
		return nil, err
	}
	return s.Campaign(ctx, id)
}

// replaceTeam makes team campaign id's team (active users only).
func replaceTeam(ctx context.Context, tx *ent.Tx, id int, team []int) error {
	if n, err := tx.User.Query().Where(user.IDIn(team...), user.Active(true)).Count(ctx); err != nil {
		return fmt.Errorf("update campaign: %w", err)
	} else if n != len(team) {
		return (FieldErrors{"team": "Choose active colleagues."}).Err()
	}
	if _, err := tx.CampaignMember.Delete().Where(campaignmember.CampaignID(id)).Exec(ctx); err != nil {
		return fmt.Errorf("update campaign: team: %w", err)
	}
	if len(team) == 0 {
		return nil
	}
	bulk := make([]*ent.CampaignMemberCreate, len(team))
	for i, u := range team {
		bulk[i] = tx.CampaignMember.Create().SetCampaignID(id).SetUserID(u)
	}
	if err := tx.CampaignMember.CreateBulk(bulk...).Exec(ctx); err != nil {
		return fmt.Errorf("update campaign: team: %w", err)
	}
	return nil
}

// campaignChanges are the audited differences between old and in.
func campaignChanges(old, in CampaignInput, team []int) Changes {
	ch := Changes{}
	set := func(k string, a, b any, same bool) {
		if !same {
			ch[k] = [2]any{a, b}
		}
	}
	day := func(t *time.Time) any {
		if t == nil {
			return nil
		}
		return t.UTC().Format(dateLayout)
	}
	set("client", old.BrandID, in.BrandID, old.BrandID == in.BrandID)
	set("name", old.Name, in.Name, old.Name == in.Name)
	set("goal", old.Goal, in.Goal, old.Goal == in.Goal)
	set("key_messages", old.KeyMessages, in.KeyMessages, slices.Equal(old.KeyMessages, in.KeyMessages))
	set("starts_at", day(&old.StartsAt), day(&in.StartsAt), sameTime(&old.StartsAt, &in.StartsAt))
	set("ends_at", day(old.EndsAt), day(in.EndsAt), day(old.EndsAt) == day(in.EndsAt))
	set("embargo_until", old.EmbargoUntil, in.EmbargoUntil, sameTime(old.EmbargoUntil, in.EmbargoUntil))
	set("status", old.Status, in.Status, old.Status == in.Status)
	set("no_reply_days", old.NoReplyDays, in.NoReplyDays, old.NoReplyDays == in.NoReplyDays)
	oldTeam := slices.Sorted(slices.Values(old.TeamIDs))
	newTeam := slices.Sorted(slices.Values(team))
	set("team", oldTeam, newTeam, slices.Equal(oldTeam, newTeam))
	return ch
}
