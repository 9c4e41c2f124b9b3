package crm

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/locale"
)

// replyStates are the answers a target can give; moving into one of them
// from an unanswered state logs the reply.
var replyStates = []string{PitchReplied, PitchInterested, PitchDeclined}

// unanswered are the states before any reply.
var unanswered = []string{PitchPlanned, PitchPitched, PitchNoReply, PitchBounced}

// ManualStates are the states a user may set by hand.
var ManualStates = []string{PitchPlanned, PitchReplied, PitchInterested, PitchDeclined, PitchCovered, PitchBounced}

// replySentiment is the sentiment of the reply each answer logs.
var replySentiment = map[string]string{PitchReplied: "neutral", PitchInterested: "positive", PitchDeclined: "negative"}

// StatusResult says what a bulk status change did.
type StatusResult struct {
	Changed int
	Replies *ent.Interaction // the reply logged for those who answered first now
}

// SetStatus moves the targets contactIDs of campaign id to status, set-wise
// with guarded updates (a target already in status is left alone). A first
// answer (replied, interested, declined from a state without one) logs ONE
// inbound reply with those targets as participants, which completes their
// open follow-up and raises their health; the other moves change the state
// only.
func (s *Campaigns) SetStatus(ctx context.Context, id int, contactIDs []int, status string) (*StatusResult, error) {
	if !slices.Contains(ManualStates, status) {
		return nil, (FieldErrors{"status": "Choose a pitch status."}).Err()
	}
	if len(contactIDs) == 0 {
		return nil, (FieldErrors{"targets": "Choose at least one person."}).Err()
	}
	if len(contactIDs) > MaxTargets {
		return nil, NewError(EInvalid, "Change at most {{.N}} people at once.", "N", locale.From(ctx).Number(MaxTargets))
	}
	c, err := s.canRun(ctx, id)
	if err != nil {
		return nil, err
	}
	contactIDs = uniqueInts(contactIDs)
	now := s.now().UTC()
	r := &StatusResult{}
	if slices.Contains(replyStates, status) {
		in := InteractionInput{ContactIDs: contactIDs, Type: "email", Direction: "inbound", OccurredAt: now,
			Subject: pitchReplySubject(ctx, c.Name), Sentiment: replySentiment[status], CampaignID: id,
			FollowUp: FollowUp{CompleteOpen: true}}
		r.Replies, err = LogInteractionMany(ctx, s.client, ActorFrom(ctx).UserID, in, ManyOptions{Now: s.now,
			Claim: func(ctx context.Context, tx *ent.Tx, _ *ent.Interaction, ids []int) ([]int, error) {
				got, err := claimTargets(ctx, tx, id, ids, claim{from: unanswered, to: status, at: now, stamp: "replied_at"})
				r.Changed += len(got)
				return got, err
			},
		})
		if err != nil && ErrorCode(err) != EConflict { // conflict: nobody answered first now
			return r, err
		}
	}
	var others []string
	for _, st := range append(append([]string{}, replyStates...), PitchCovered, PitchBounced, PitchPlanned, PitchPitched, PitchNoReply) {
		if st != status {
			others = append(others, st)
		}
	}
	err = db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		var got []int
		for chunk := range slices.Chunk(contactIDs, 1000) {
			g, err := claimTargets(ctx, tx, id, chunk, claim{from: others, to: status, at: now})
			if err != nil {
				return err
			}
			got = append(got, g...)
		}
		r.Changed += len(got)
		if len(got) == 0 {
			return nil
		}
		return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityCampaign, EntityID: id,
			Msg: MsgTargetsStatus(c.Name, len(got), string(status)), Changes: Changes{"status": {nil, status}, "contacts": {nil, got}}})
	})
	return r, err
}

// SweepNoReply marks the pitched targets of campaigns that are not done
// no_reply once their campaign's no_reply_days have passed since the pitch:
// one guarded UPDATE per campaign (status still pitched), so running it
// twice, or on two servers at once, changes each target once. It returns
// how many targets it moved.
func SweepNoReply(ctx context.Context, client *ent.Client, now time.Time) (int, error) {
	cs, err := client.Campaign.Query().Where(campaign.StatusNEQ(campaign.StatusDone)).
		Select(campaign.FieldID, campaign.FieldNoReplyDays).All(ctx)
	if err != nil {
		return 0, fmt.Errorf("sweep no reply: %w", err)
	}
	total := 0
	for _, c := range cs {
		cutoff := now.Add(-time.Duration(c.NoReplyDays) * 24 * time.Hour).UTC()
		err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE campaign_targets SET status = $1, status_at = $2
				WHERE campaign_id = $3 AND status = $4 AND pitched_at < $5`, PitchNoReply, now.UTC(), c.ID, PitchPitched, cutoff)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			total += int(n)
			if n == 0 {
				return nil
			}
			return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityCampaign, EntityID: c.ID,
				Msg: MsgNoReply(int(n), c.NoReplyDays), Changes: Changes{"no_reply": {nil, n}}})
		})
		if err != nil {
			return total, fmt.Errorf("sweep no reply: %w", err)
		}
	}
	return total, nil
}

// CampaignTicker runs SweepNoReply at start and then every interval until
// ctx ends, logging through logf (the server starts it next to the health
// ticker).
func CampaignTicker(ctx context.Context, client *ent.Client, every time.Duration, logf func(msg string, args ...any)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if n, err := SweepNoReply(ctx, client, timeNow()); err != nil && ctx.Err() == nil {
			logf("campaign sweep failed", "err", err)
		} else if err == nil && n > 0 {
			logf("campaign sweep", "no_reply", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
