package crm

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/locale"
)

// Pitch statuses.
const (
	PitchPlanned    = "planned"
	PitchPitched    = "pitched"
	PitchReplied    = "replied"
	PitchInterested = "interested"
	PitchDeclined   = "declined"
	PitchCovered    = "covered"
	PitchBounced    = "bounced"
	PitchNoReply    = "no_reply"
)

// pitchable are the states a pitch may be sent from (again after no reply).
var pitchable = []string{PitchPlanned, PitchNoReply}

// PitchInput is a pitch to (part of) a campaign's target list.
type PitchInput struct {
	ContactIDs   []int // nil: every target that may be pitched
	Subject      string
	Body         string
	FollowUpDays int // schedule a follow-up this many days later (0: none)
}

// PitchResult says what a pitch did.
type PitchResult struct {
	Interaction *ent.Interaction
	Pitched     int
	Bounced     int            // targets without an e-mail address, marked bounced
	Excluded    map[string]int // targets left out, by reason
	Skipped     int            // targets in a state that is not pitched (replied, …)
	Embargoed   bool
}

// Pitch sends a pitch to the targets of campaign id that may be pitched
// (planned or no reply), or to those of in.ContactIDs among them: it logs ONE
// pitch interaction with all of them as participants (LogInteractionMany,
// one transaction per batch), moves them to pitched and links them to the
// interaction in the same transactions with one guarded UPDATE per batch (a
// target another request pitched meanwhile is left out), and schedules
// their follow-ups. Nobody marked do-not-contact, who
// withdrew consent, objected or has no lawful basis is pitched (the
// resolver's rules); targets without an e-mail address are marked bounced.
// Before the campaign's embargo lifts the interaction carries it.
func (s *Campaigns) Pitch(ctx context.Context, id int, in PitchInput) (*PitchResult, error) {
	c, err := s.canRun(ctx, id)
	if err != nil {
		return nil, err
	}
	if len(in.ContactIDs) > MaxTargets {
		return nil, NewError(EInvalid, "Pitch at most {{.N}} people at once.", "N", locale.From(ctx).Number(MaxTargets))
	}
	q := s.client.CampaignTarget.Query().Where(campaigntarget.CampaignID(id))
	if in.ContactIDs != nil {
		q.Where(campaigntarget.ContactIDIn(in.ContactIDs...))
	}
	ts, err := q.Select(campaigntarget.FieldContactID, campaigntarget.FieldStatus).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("pitch: %w", err)
	}
	r := &PitchResult{Excluded: map[string]int{}}
	var ids []int
	for _, t := range ts {
		if string(t.Status) == PitchPlanned || string(t.Status) == PitchNoReply {
			ids = append(ids, t.ContactID)
		} else {
			r.Skipped++
		}
	}
	res, err := s.sels.ResolveIDs(ctx, ids, true)
	if err != nil {
		return nil, err
	}
	var noEmail []int
	for i, cid := range res.ExcludedIDs {
		if res.Reasons[i] == ExcludedNoEmail {
			noEmail = append(noEmail, cid)
			continue
		}
		r.Excluded[res.Reasons[i]]++
	}
	now := s.now().UTC()
	if len(noEmail) > 0 {
		if r.Bounced, err = s.bounce(ctx, c, noEmail, now); err != nil {
			return nil, err
		}
	}
	if len(res.IDs) == 0 {
		return r, nil
	}
	subject := strings.TrimSpace(in.Subject)
	if subject == "" {
		subject = "Pitch: " + c.Name
	}
	it := InteractionInput{ContactIDs: res.IDs, Type: "pitch", Direction: "outbound", OccurredAt: now,
		Subject: subject, Body: in.Body, CampaignID: id,
		FollowUp: FollowUp{NextInDays: in.FollowUpDays, NextTitle: pitchFollowUpTitle(ctx, c.Name)}}
	if c.EmbargoUntil != nil && now.Before(*c.EmbargoUntil) {
		it.EmbargoUntil, r.Embargoed = c.EmbargoUntil, true
	}
	r.Interaction, err = LogInteractionMany(ctx, s.client, ActorFrom(ctx).UserID, it, ManyOptions{Now: s.now,
		Claim: func(ctx context.Context, tx *ent.Tx, ix *ent.Interaction, ids []int) ([]int, error) {
			got, err := claimTargets(ctx, tx, id, ids, claim{from: pitchable, to: PitchPitched, at: now, stamp: "pitched_at", pitch: ix.ID})
			r.Pitched += len(got)
			return got, err
		},
	})
	if err != nil {
		return r, err
	}
	return r, s.auditCampaign(ctx, c, MsgPitched(c.Name, r.Pitched, r.Bounced, len(res.ExcludedIDs)-len(noEmail)),
		Changes{"pitched": {nil, r.Pitched}})
}

// claim is a guarded move of campaign targets: from one of the states from
// to state to at at.
type claim struct {
	from  []string
	to    string
	at    time.Time
	stamp string // a column also set to at: "pitched_at", "replied_at" ("": none)
	pitch int    // a pitch's interaction: counted and linked to each target (0: none)
}

// claimTargets moves the targets ids of campaign id as c says, in one
// UPDATE, and returns those it moved: a guarded update, so that of two
// requests racing for a target only one moves it.
func claimTargets(ctx context.Context, tx *ent.Tx, id int, ids []int, c claim) ([]int, error) {
	a := newSQLArgs(tx.Client().Dialect())
	var b strings.Builder
	b.WriteString("UPDATE campaign_targets SET status = " + a.add(c.to) + ", status_at = " + a.add(c.at))
	if c.stamp != "" {
		b.WriteString(", " + c.stamp + " = " + a.add(c.at))
	}
	if c.pitch != 0 {
		b.WriteString(", pitch_count = pitch_count + 1, interaction_id = " + a.add(c.pitch))
	}
	b.WriteString(" WHERE campaign_id = " + a.add(id) + " AND status IN (" + each(a, c.from) + ") AND " + a.in("contact_id", ids))
	b.WriteString(" RETURNING contact_id")
	rows, err := tx.QueryContext(ctx, b.String(), a.list...)
	if err != nil {
		return nil, fmt.Errorf("claim targets: %w", err)
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var cid int
		if err := rows.Scan(&cid); err != nil {
			return nil, fmt.Errorf("claim targets: %w", err)
		}
		out = append(out, cid)
	}
	return out, rows.Err()
}

// bounce marks targets ids of c bounced (from planned or no reply).
func (s *Campaigns) bounce(ctx context.Context, c *ent.Campaign, ids []int, now time.Time) (int, error) {
	n := 0
	err := db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		got, err := claimTargets(ctx, tx, c.ID, ids, claim{from: pitchable, to: PitchBounced, at: now})
		n = len(got)
		if err != nil || n == 0 {
			return err
		}
		return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityCampaign, EntityID: c.ID,
			Msg: MsgBounced(c.Name, n), Changes: Changes{"bounced": {nil, got}}})
	})
	return n, err
}

func (s *Campaigns) auditCampaign(ctx context.Context, c *ent.Campaign, what AuditMsg, ch Changes) error {
	return db.WithTx(ctx, s.client, func(ctx context.Context, tx *ent.Tx) error {
		return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityCampaign, EntityID: c.ID, Msg: what, Changes: ch})
	})
}
