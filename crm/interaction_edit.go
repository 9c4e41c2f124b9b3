package crm

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/nomination"
	"github.com/rapport-crm/rapport/ent/participation"
)

// Limits of an interaction's links.
const (
	MaxInteractionLinks   = 10
	maxInteractionLinkLen = 2000
)

// checkLinks trims, drops empty lines and repeats, and validates the links:
// at most MaxInteractionLinks web addresses (http or https).
func checkLinks(links []string, fe FieldErrors) []string {
	var out []string
	seen := map[string]bool{}
	for _, l := range links {
		l = strings.TrimSpace(l)
		if l == "" || seen[l] {
			continue
		}
		seen[l] = true
		u, err := url.Parse(l)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(l) > maxInteractionLinkLen {
			fe.Add("links", "Enter web addresses starting with https://, one per line.")
			return nil
		}
		out = append(out, l)
	}
	if len(out) > MaxInteractionLinks {
		fe.Add("links", fmt.Sprintf("At most %d links.", MaxInteractionLinks))
	}
	return out
}

// mayChangeInteraction: its author, or a manager.
func mayChangeInteraction(a Actor, it *ent.Interaction) error {
	if a.Role == RoleManager || a.Role == RoleAdmin {
		return nil
	}
	if it.AuthorID != nil && *it.AuthorID == a.UserID && a.UserID != 0 {
		return nil
	}
	return Errorf(EForbidden, "Only whoever logged an interaction, or a manager, may change it.")
}

func interactionSnapshot(it *ent.Interaction) map[string]any {
	return map[string]any{"type": string(it.Type), "direction": string(it.Direction),
		"occurred_at": it.OccurredAt.UTC().Format("2006-01-02 15:04"), "subject": it.Subject, "body": it.Body,
		"sentiment": string(it.Sentiment), "links": it.Links}
}

// LoadInteraction reads an interaction with its contacts' ids.
func LoadInteraction(ctx context.Context, client *ent.Client, id int) (*ent.Interaction, []int, error) {
	it, err := client.Interaction.Get(ctx, id)
	if ent.IsNotFound(err) {
		return nil, nil, Errorf(ENotFound, "This interaction does not exist (any more).")
	}
	if err != nil {
		return nil, nil, fmt.Errorf("load interaction %d: %w", id, err)
	}
	ids, err := client.Participation.Query().Where(participation.InteractionID(id)).
		Order(participation.ByContactID()).Select(participation.FieldContactID).Ints(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("load interaction %d: %w", id, err)
	}
	return it, ids, nil
}

// UpdateInteraction saves in over interaction id for the actor of ctx (its
// author or a manager): its fields and links, the time copied to its
// participations; its contacts' last interaction, health and touch-due date
// follow, the search index through the change record, and the audit trail
// keeps the fields before and after. Its contacts stay as they were.
func UpdateInteraction(ctx context.Context, client *ent.Client, id int, in InteractionInput) error {
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		it, ids, err := LoadInteraction(ctx, tx.Client(), id)
		if err != nil {
			return err
		}
		if err := mayChangeInteraction(ActorFrom(ctx), it); err != nil {
			return err
		}
		in.ContactIDs = ids
		if err := in.validate(timeNow()); err != nil {
			return err
		}
		upd, err := tx.Interaction.UpdateOneID(id).SetType(interaction.Type(in.Type)).
			SetDirection(interaction.Direction(in.Direction)).SetOccurredAt(in.OccurredAt).SetSubject(in.Subject).
			SetBody(in.Body).SetSentiment(interaction.Sentiment(in.Sentiment)).SetLinks(in.Links).Save(ctx)
		if err != nil {
			return fmt.Errorf("update interaction %d: %w", id, err)
		}
		if !upd.OccurredAt.Equal(it.OccurredAt) {
			if err := tx.Participation.Update().Where(participation.InteractionID(id)).SetOccurredAt(upd.OccurredAt).Exec(ctx); err != nil {
				return fmt.Errorf("update interaction %d: %w", id, err)
			}
		}
		ch := diff(interactionSnapshot(it), interactionSnapshot(upd))
		if len(ch) == 0 {
			return nil
		}
		if err := touchAfterInteraction(ctx, tx, ids); err != nil {
			return err
		}
		return audit(ctx, tx, Event{Action: ActionUpdate, Entity: EntityInteraction, EntityID: id,
			Msg: FieldsChanged(ch), Changes: ch})
	})
	return err
}

// DeleteInteraction removes interaction id for the actor of ctx (its author
// or a manager), unless a nomination cites it as evidence; its contacts'
// last interaction, health and touch-due date are worked out again, the
// index follows, and the audit trail keeps what it said.
func DeleteInteraction(ctx context.Context, client *ent.Client, id int) ([]int, error) {
	var ids []int
	err := db.WithTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		it, cids, err := LoadInteraction(ctx, tx.Client(), id)
		if err != nil {
			return err
		}
		ids = cids
		if err := mayChangeInteraction(ActorFrom(ctx), it); err != nil {
			return err
		}
		if n, err := tx.Nomination.Query().Where(nomination.HasEvidenceWith(interaction.ID(id))).Count(ctx); err != nil {
			return fmt.Errorf("delete interaction %d: %w", id, err)
		} else if n > 0 {
			return Errorf(EConflict, "A nomination cites this interaction as evidence; it stays.")
		}
		// the change record is written before the participations go (the outbox reads them)
		if err := tx.Interaction.DeleteOneID(id).Exec(ctx); err != nil {
			return fmt.Errorf("delete interaction %d: %w", id, err)
		}
		if err := touchAfterInteraction(ctx, tx, ids); err != nil {
			return err
		}
		snap := interactionSnapshot(it)
		snap["contacts"] = ids
		ch := Changes{}
		for k, v := range created(snap) {
			ch[k] = [2]any{v[1], nil}
		}
		return audit(ctx, tx, Event{Action: ActionDelete, Entity: EntityInteraction, EntityID: id,
			Msg: MsgTypeSubject(string(it.Type), it.Subject), Changes: ch})
	})
	return ids, err
}

// touchAfterInteraction sets each contact's last interaction to its newest
// remaining one and refreshes health and touch-due date.
func touchAfterInteraction(ctx context.Context, tx *ent.Tx, ids []int) error {
	if len(ids) == 0 {
		return nil
	}
	a := newSQLArgs(tx.Client().Dialect())
	_, err := tx.ExecContext(ctx, `UPDATE contacts SET last_interaction_at =
		(SELECT MAX(p.occurred_at) FROM participations p WHERE p.contact_id = contacts.id)
		WHERE `+a.in("id", ids), a.list...)
	if err != nil {
		return fmt.Errorf("last interaction: %w", err)
	}
	st, err := loadStagesTx(ctx, tx)
	if err != nil {
		return err
	}
	return refreshHealth(ctx, tx, st, ids, timeNow())
}

// TimelineFilter narrows a contact's timeline: a type, an author, a period
// [From, To) and words in the subject or the note.
type TimelineFilter struct {
	Type     string
	AuthorID int
	From, To *time.Time
	Text     string
}

// Empty reports whether f narrows nothing.
func (f TimelineFilter) Empty() bool {
	return f.Type == "" && f.AuthorID == 0 && f.From == nil && f.To == nil && strings.TrimSpace(f.Text) == ""
}

// sql is f as a join and conditions of the timeline's inner query, with
// their arguments after args. Words are not SQL: loadTimelineText matches
// them in Go with the search index's analysis.
func (f TimelineFilter) sql(args []any) (join, where string, _ []any) {
	if f.Type == "" && f.AuthorID == 0 && f.From == nil && f.To == nil {
		return "", "", args
	}
	join = "JOIN interactions fi ON fi.id = p.interaction_id"
	var b strings.Builder
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Type != "" {
		b.WriteString(" AND fi.type = " + arg(f.Type))
	}
	if f.AuthorID != 0 {
		b.WriteString(" AND fi.author_id = " + arg(f.AuthorID))
	}
	if f.From != nil {
		b.WriteString(" AND p.occurred_at >= " + arg(f.From.UTC()))
	}
	if f.To != nil {
		b.WriteString(" AND p.occurred_at < " + arg(f.To.UTC()))
	}
	return join, b.String(), args
}
