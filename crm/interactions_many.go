package crm

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/task"
)

// InteractionBatch is how many participants LogInteractionMany writes per
// transaction.
const InteractionBatch = 1000

// ManyOptions tune LogInteractionMany.
type ManyOptions struct {
	// Batch is the number of contacts per transaction (0: InteractionBatch).
	Batch int
	// Claim runs inside each batch's transaction once the interaction it
	// logs exists (so that a claim can link it in the same UPDATE) and
	// returns which of the batch's contacts to log (a guarded state change:
	// of two requests racing for a contact, one gets it). A batch it leaves
	// empty rolls back: it writes nothing, not even the interaction.
	Claim func(ctx context.Context, tx *ent.Tx, it *ent.Interaction, contactIDs []int) ([]int, error)
	// Now is the clock that judges "in the future" and dates follow-ups and
	// health (nil: crm's clock); a service with its own clock passes it.
	Now func() time.Time
	// InBatch runs inside each batch's transaction after its participants
	// are written, with the batch's contact ids (a campaign marks them
	// pitched there, so that the state and the interaction commit together).
	InBatch func(ctx context.Context, tx *ent.Tx, it *ent.Interaction, contactIDs []int) error
}

// LogInteractionMany logs ONE interaction (in.Type, subject, body …) by
// author with every contact of in.ContactIDs as a participant: the one way
// to log an interaction, for one contact (LogInteraction) or thousands (a
// campaign's pitch, the interaction form with several contacts).
//
// The contacts are written in batches of opt.Batch, one transaction each:
// the first creates the interaction, each adds its participants with
// multi-row INSERTs, moves their last_interaction_at forward, completes and
// schedules their follow-ups (in.FollowUp) set-wise, refreshes their health
// and touch due date, records their search changes (outbox) and writes the
// audit events. A failed batch rolls back alone: the interaction then holds
// the batches before it, and the error says how many contacts were logged.
// Duplicate ids count once; an id without a contact fails its batch
// (ENotFound).
func LogInteractionMany(ctx context.Context, client *ent.Client, authorID int, in InteractionInput, opt ManyOptions) (*ent.Interaction, error) {
	in.ContactIDs = uniqueInts(in.ContactIDs)
	if opt.Now == nil {
		opt.Now = timeNow
	}
	if err := in.validate(opt.Now()); err != nil {
		return nil, err
	}
	dia := client.Dialect()
	// The stages before the transactions: from the list cache, or read in each.
	var st Stages
	lk := LookupsOf(client)
	if lk != nil {
		var err error
		if st, err = lk.Stages(ctx); err != nil {
			return nil, err
		}
		ctx = withDeclaring(ctx) // it changes the contacts' activity only: declared per batch
	}
	size := opt.Batch
	if size <= 0 {
		size = InteractionBatch
	}
	var it *ent.Interaction
	done := 0
	for chunk := range slices.Chunk(in.ContactIDs, size) {
		before := it
		err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
			ctx = db.SelfRecorded(ctx) // this function records the contacts it touches
			return logBatch(ctx, tx, dia, authorID, &in, &it, chunk, opt, lk, st)
		})
		if errors.Is(err, errNoneClaimed) { // rolled back: the interaction too if this batch created it
			it = before
			continue
		}
		if err != nil {
			if done > 0 {
				return it, fmt.Errorf("log interaction: %d of %d contacts logged: %w", done, len(in.ContactIDs), err)
			}
			return nil, err
		}
		done += len(chunk)
	}
	if it == nil {
		return nil, Errorf(EConflict, "Nobody was left to log this for: another request got there first.")
	}
	return it, nil
}

// errNoneClaimed rolls back a batch whose claim left nobody to log.
var errNoneClaimed = errors.New("log interaction: nobody claimed")

// logBatch writes one batch of LogInteractionMany in tx; *it is nil for the
// first batch, which creates the interaction.
func logBatch(ctx context.Context, tx *ent.Tx, dia string, authorID int, in *InteractionInput, it **ent.Interaction, ids []int, opt ManyOptions, lk *Lookups, st Stages) error {
	n, err := tx.Contact.Query().Where(contact.IDIn(ids...)).Count(ctx)
	if err != nil {
		return fmt.Errorf("log interaction: %w", err)
	}
	if n != len(ids) {
		return Errorf(ENotFound, "A contact of this interaction does not exist (any more).")
	}
	now := opt.Now().UTC()
	first := *it == nil
	if first {
		c := tx.Interaction.Create().
			SetType(interaction.Type(in.Type)).SetDirection(interaction.Direction(in.Direction)).
			SetOccurredAt(in.OccurredAt).SetSubject(in.Subject).SetBody(in.Body).
			SetSentiment(interaction.Sentiment(in.Sentiment)).SetAuthorID(authorID).
			SetNillableEmbargoUntil(in.EmbargoUntil).SetLinks(in.Links)
		if in.CampaignID != 0 {
			c.SetCampaignID(in.CampaignID)
		}
		if *it, err = c.Save(ctx); err != nil {
			return fmt.Errorf("log interaction: %w", err)
		}
	}
	if opt.Claim != nil {
		if ids, err = opt.Claim(ctx, tx, *it, ids); err != nil {
			return err
		}
		if len(ids) == 0 {
			return errNoneClaimed
		}
	}
	lk.declare(tx, written{ids: ids, activity: true})
	var evs []Event
	if first {
		after := map[string]any{"type": in.Type, "direction": in.Direction, "occurred_at": in.OccurredAt.UTC().Format("2006-01-02 15:04"),
			"subject": in.Subject, "sentiment": in.Sentiment, "contacts": slices.Sorted(slices.Values(ids)), "campaign": in.CampaignID}
		if in.EmbargoUntil != nil {
			after["embargo_until"] = in.EmbargoUntil.UTC().Format("2006-01-02 15:04")
		}
		evs = append(evs, Event{Action: ActionCreate, Entity: EntityInteraction, EntityID: (*it).ID,
			Msg: MsgTypeSubject(in.Type, in.Subject), Changes: created(after)})
	} else {
		evs = append(evs, Event{Action: ActionUpdate, Entity: EntityInteraction, EntityID: (*it).ID,
			Msg: MsgMoreContacts(in.Type, in.Subject, len(ids)), Changes: Changes{"contacts": {nil, ids}}})
	}
	if err := tx.Participation.CreateBulk(Participations(tx.Participation, *it, ids...)...).Exec(ctx); err != nil {
		return fmt.Errorf("log interaction: participants: %w", err)
	}
	if err := db.RecordChanges(ctx, dia, ids...); err != nil {
		return err
	}
	fevs, err := applyFollowUps(ctx, tx, *it, ids, authorID, in.FollowUp, now)
	if err != nil {
		return err
	}
	if st == nil {
		if st, err = loadStagesTx(ctx, tx); err != nil {
			return err
		}
	}
	// Each contact's row once: the last interaction, health and due date together.
	if err := touchAndRefresh(ctx, tx, st, ids, &in.OccurredAt, now); err != nil {
		return err
	}
	if opt.InBatch != nil {
		if err := opt.InBatch(ctx, tx, *it, ids); err != nil {
			return err
		}
	}
	return auditEvents(ctx, tx, dia, now, append(evs, fevs...))
}

// applyFollowUps completes each contact's open follow-up due first and
// schedules the next, as f says, set-wise: one read, one UPDATE and one
// multi-row INSERT for the batch. It returns the audit events to write.
func applyFollowUps(ctx context.Context, tx *ent.Tx, it *ent.Interaction, ids []int, authorID int, f FollowUp, now time.Time) ([]Event, error) {
	var evs []Event
	if f.CompleteOpen {
		open, err := tx.Task.Query().Where(task.ContactIDIn(ids...), task.DoneAtIsNil()).
			Order(task.ByContactID(), task.ByDueAt(), task.ByID()).Select(task.FieldID, task.FieldContactID, task.FieldTitle).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("complete follow-up: %w", err)
		}
		var first []int
		for i, t := range open {
			if i > 0 && open[i-1].ContactID == t.ContactID {
				continue
			}
			first = append(first, t.ID)
			evs = append(evs, Event{Action: ActionUpdate, Entity: EntityTask, EntityID: t.ID, Msg: MsgTaskDone(t.Title),
				Changes: Changes{"done": {false, true}, "interaction": {nil, it.ID}}})
		}
		if len(first) > 0 {
			if err := tx.Task.Update().Where(task.IDIn(first...)).SetDoneAt(now).SetDoneByInteractionID(it.ID).Exec(ctx); err != nil {
				return nil, fmt.Errorf("complete follow-up: %w", err)
			}
		}
	}
	if f.NextInDays <= 0 {
		return evs, nil
	}
	title := strings.TrimSpace(f.NextTitle)
	if title == "" {
		title = "Follow up: " + Truncate(it.Subject, 200)
	}
	due := now.Truncate(24*time.Hour).AddDate(0, 0, f.NextInDays).Add(17 * time.Hour)
	bulk := make([]*ent.TaskCreate, len(ids))
	for i, cid := range ids {
		bulk[i] = tx.Task.Create().SetContactID(cid).SetTitle(title).SetDueAt(due).SetAssigneeID(authorID).
			SetCreatedByID(authorID).SetCreatedAt(now)
	}
	ts, err := tx.Task.CreateBulk(bulk...).Save(ctx)
	if err != nil {
		return nil, fmt.Errorf("schedule follow-up: %w", err)
	}
	for _, t := range ts {
		evs = append(evs, Event{Action: ActionCreate, Entity: EntityTask, EntityID: t.ID, Msg: MsgTaskDue(title, due),
			Changes: created(map[string]any{"contact": t.ContactID, "title": title, "due": due.Format(dateLayout)})})
	}
	return evs, nil
}
