package crm

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/interaction"
)

// InteractionInput is one touch point to log.
type InteractionInput struct {
	ContactIDs []int
	Type       string
	Direction  string
	OccurredAt time.Time
	Subject    string
	Body       string
	Sentiment  string
	FollowUp   FollowUp // complete the open follow-up, schedule the next
	Links      []string // web addresses it refers to (the article, the recording)
}

func (in *InteractionInput) validate(now time.Time) error {
	in.Subject, in.Body = strings.TrimSpace(in.Subject), strings.TrimSpace(in.Body)
	if in.Direction == "" {
		in.Direction = string(interaction.DefaultDirection)
	}
	if in.Sentiment == "" {
		in.Sentiment = string(interaction.DefaultSentiment)
	}
	fe := FieldErrors{}
	if interaction.TypeValidator(interaction.Type(in.Type)) != nil {
		fe.Add("type", "Choose what kind of interaction this was.")
	}
	if interaction.DirectionValidator(interaction.Direction(in.Direction)) != nil {
		fe.Add("direction", "Choose inbound or outbound.")
	}
	if interaction.SentimentValidator(interaction.Sentiment(in.Sentiment)) != nil {
		fe.Add("sentiment", "Choose positive, neutral or negative.")
	}
	if in.OccurredAt.IsZero() {
		fe.Add("occurred_at", "Enter when it happened.")
	} else if in.OccurredAt.After(now.Add(24 * time.Hour)) {
		fe.Add("occurred_at", "This date is in the future; plan follow-ups as tasks instead.")
	}
	if utf8.RuneCountInString(in.Subject) > 300 {
		fe.Add("subject", "At most 300 characters.")
	}
	if utf8.RuneCountInString(in.Body) > 100000 {
		fe.Add("body", "At most 100,000 characters.")
	}
	if in.Subject == "" && in.Body == "" {
		fe.Add("subject", "Enter a subject or a note.")
	}
	if len(in.ContactIDs) == 0 {
		fe.Add("contacts", "Choose at least one contact.")
	}
	in.Links = checkLinks(in.Links, fe)
	in.ContactIDs = uniqueInts(in.ContactIDs)
	if len(in.ContactIDs) > MaxInteractionContacts {
		fe.Add("contacts", fmt.Sprintf("At most %d contacts per interaction.", MaxInteractionContacts))
	}
	in.FollowUp.validate(fe)
	return fe.Err()
}

// MaxInteractionContacts bounds the contacts of one interaction (a meeting,
// a press event).
const MaxInteractionContacts = 50

// LogInteraction stores an interaction by author with its contacts, moves
// each contact's last_interaction_at forward, refreshes their health and
// touch due date, and completes or schedules follow-ups as in.FollowUp says,
// in one transaction.
func LogInteraction(ctx context.Context, client *ent.Client, authorID int, in InteractionInput) (*ent.Interaction, error) {
	if err := in.validate(time.Now()); err != nil {
		return nil, err
	}
	var it *ent.Interaction
	dia := client.Dialect()
	var err error
	// The stages before the transaction: from the cache, or read in it.
	var st Stages
	lk := lookupsFor(client)
	if lk != nil {
		if st, err = lk.Stages(ctx); err != nil {
			return nil, err
		}
		ctx = withDeclaring(ctx) // it changes the contacts' activity only: declared below
	}
	// It touches the search documents of these contacts only: recorded below,
	// without the outbox hook's look-ups.
	ctx = db.SelfRecorded(ctx)
	err = db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		lk.declare(tx, written{ids: in.ContactIDs, activity: true})
		if err := db.RecordChanges(ctx, dia, in.ContactIDs...); err != nil {
			return err
		}
		n, err := tx.Contact.Query().Where(contact.IDIn(in.ContactIDs...)).Count(ctx)
		if err != nil {
			return fmt.Errorf("log interaction: %w", err)
		}
		if n != len(in.ContactIDs) {
			return Errorf(ENotFound, "A contact of this interaction does not exist (any more).")
		}
		it, err = tx.Interaction.Create().
			SetType(interaction.Type(in.Type)).SetDirection(interaction.Direction(in.Direction)).
			SetOccurredAt(in.OccurredAt).SetSubject(in.Subject).SetBody(in.Body).
			SetSentiment(interaction.Sentiment(in.Sentiment)).SetAuthorID(authorID).SetLinks(in.Links).Save(ctx)
		if err != nil {
			return fmt.Errorf("log interaction: %w", err)
		}
		if err := tx.Participation.CreateBulk(Participations(tx.Participation, it, in.ContactIDs...)...).Exec(ctx); err != nil {
			return fmt.Errorf("log interaction: participants: %w", err)
		}
		_, err = tx.Contact.Update().
			Where(contact.IDIn(in.ContactIDs...), contact.Or(contact.LastInteractionAtIsNil(), contact.LastInteractionAtLT(in.OccurredAt))).
			SetLastInteractionAt(in.OccurredAt).Save(ctx)
		if err != nil {
			return fmt.Errorf("log interaction: update last interaction: %w", err)
		}
		if err := applyFollowUp(ctx, tx, it, in.ContactIDs, authorID, in.FollowUp); err != nil {
			return err
		}
		if st == nil {
			if st, err = loadStagesTx(ctx, tx); err != nil {
				return err
			}
		}
		if err := refreshHealth(ctx, tx, st, in.ContactIDs, timeNow()); err != nil {
			return err
		}
		return audit(ctx, tx, Event{Action: ActionCreate, Entity: EntityInteraction, EntityID: it.ID,
			Summary: in.Type + ": " + in.Subject, Changes: created(map[string]any{
				"type": in.Type, "direction": in.Direction, "occurred_at": in.OccurredAt.UTC().Format("2006-01-02 15:04"),
				"subject": in.Subject, "sentiment": in.Sentiment, "contacts": in.ContactIDs})})
	})
	return it, err
}

// Participations builds the rows that make contactIDs participants of it,
// each with a copy of its occurred_at (the contact's timeline index needs it).
// Write participations only this way: an interaction's "contacts" edge would
// leave the time out.
func Participations(pc *ent.ParticipationClient, it *ent.Interaction, contactIDs ...int) []*ent.ParticipationCreate {
	out := make([]*ent.ParticipationCreate, len(contactIDs))
	for k, id := range contactIDs {
		out[k] = pc.Create().SetInteractionID(it.ID).SetContactID(id).SetOccurredAt(it.OccurredAt)
	}
	return out
}
