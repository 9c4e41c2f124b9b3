package importing

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/importjob"
	"github.com/rapport-crm/rapport/ent/importrow"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/participation"
)

// JobColumns are an import's columns (its uploaded file is a table of its
// own, ImportFile): what a page, a progress bar or a revert reads.
var JobColumns = slices.Clone(importjob.Columns)

var jobColumns = JobColumns

// ChangedByOthers returns, of the contacts ids, those that a user other
// than by changed (an audited edit) or logged an interaction with after
// since, each with what they did. Changes without a user (the system) do
// not count.
func ChangedByOthers(ctx context.Context, client *ent.Client, ids []int, since time.Time, by int) (map[int]string, error) {
	cs, err := changesByOthers(ctx, client, ids, since, by)
	if err != nil {
		return nil, err
	}
	out := make(map[int]string, len(cs))
	for id, c := range cs {
		out[id] = c.Text()
	}
	return out, nil
}

// OtherChange is what someone else did to a contact after an import: an
// audited Action ("update", "create", or "interaction" for one logged), by
// whom and when.
type OtherChange struct {
	Action, By string
	At         time.Time
}

// Text says the change in English: "edited by Anna Berg on 4 Dec 2026 14:05".
func (c OtherChange) Text() string {
	if c.Action == "interaction" {
		return fmt.Sprintf("interaction logged by %s on %s", c.By, c.At.Format("2 Jan 2006 15:04"))
	}
	return fmt.Sprintf("%s by %s on %s", actionWord(c.Action), c.By, c.At.Format("2 Jan 2006 15:04"))
}

func changesByOthers(ctx context.Context, client *ent.Client, ids []int, since time.Time, by int) (map[int]OtherChange, error) {
	out := map[int]OtherChange{}
	for chunk := range slices.Chunk(ids, 1000) {
		if err := laterEdits(ctx, client, chunk, since, by, out); err != nil {
			return nil, fmt.Errorf("import: find later edits: %w", err)
		}
		parts, err := client.Participation.Query().Where(participation.ContactIDIn(chunk...),
			participation.HasInteractionWith(interaction.CreatedAtGT(since), interaction.AuthorIDNotNil(), interaction.AuthorIDNEQ(by))).
			WithInteraction(func(q *ent.InteractionQuery) { q.WithAuthor() }).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("import: find later interactions: %w", err)
		}
		for _, p := range parts {
			if _, seen := out[p.ContactID]; p.Edges.Interaction != nil && !seen {
				it, who := p.Edges.Interaction, "someone"
				if it.Edges.Author != nil {
					who = it.Edges.Author.Name
				}
				out[p.ContactID] = OtherChange{Action: "interaction", By: who, At: it.CreatedAt}
			}
		}
	}
	return out, nil
}

// laterEdits adds to out the audited edits of the contacts ids after since
// by a user other than by. On PostgreSQL one index look-up per contact
// (unnest, LATERAL): with the ids as a list PostgreSQL reads every audit
// event since, the revert's own deletions included, through (entity, at),
// which made the look-ups of a 100,000 revert grow with each batch.
func laterEdits(ctx context.Context, client *ent.Client, ids []int, since time.Time, by int, out map[int]OtherChange) error {
	if client.Dialect() != dialect.Postgres {
		evs, err := client.AuditEvent.Query().Where(auditevent.Entity(crm.EntityContact), auditevent.EntityIDIn(ids...),
			auditevent.AtGT(since), auditevent.ActorIDNotNil(), auditevent.ActorIDNEQ(by)).
			Select(auditevent.FieldEntityID, auditevent.FieldActorName, auditevent.FieldAction, auditevent.FieldAt).All(ctx)
		if err != nil {
			return err
		}
		for _, ev := range evs {
			if ev.EntityID == nil {
				continue
			}
			if _, seen := out[*ev.EntityID]; !seen {
				out[*ev.EntityID] = OtherChange{Action: ev.Action, By: ev.ActorName, At: ev.At}
			}
		}
		return nil
	}
	arr := make([]int64, len(ids))
	for i, id := range ids {
		arr[i] = int64(id)
	}
	rows, err := client.QueryContext(ctx, `SELECT a.entity_id, coalesce(a.actor_name, ''), a.action, a.at FROM unnest($1::bigint[]) AS x(id)
CROSS JOIN LATERAL (SELECT entity_id, actor_name, action, at FROM audit_events
	WHERE entity = $2 AND entity_id = x.id AND at > $3 AND actor_id IS NOT NULL AND actor_id <> $4 ORDER BY at LIMIT 1) AS a`,
		pq.Array(arr), crm.EntityContact, since, by)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		var c OtherChange
		if err := rows.Scan(&id, &c.By, &c.Action, &c.At); err != nil {
			return err
		}
		out[id] = c
	}
	return rows.Err()
}

func actionWord(a string) string {
	switch a {
	case crm.ActionUpdate:
		return "edited"
	case crm.ActionCreate:
		return "created"
	}
	return strings.ReplaceAll(a, "_", " ")
}

// ChangedContact is a contact a revert leaves alone, and why.
type ChangedContact struct {
	ID           int
	Name, Reason string
	Change       *OtherChange // what someone else did, when known
}

// RevertPlan is what a revert of an import would do: contacts it would
// delete and restore, and those that someone else changed since (listed up
// to a limit), which it leaves alone unless a manager confirms.
type RevertPlan struct {
	Delete, Restore               int
	ChangedDelete, ChangedRestore int
	Changed                       []ChangedContact
	// Deleted and Restored name the first RevertNamed contacts of Delete
	// and Restore, in row order, for the confirmation page.
	Deleted, Restored []ChangedContact
}

// RevertNamed is how many contacts of each kind a revert plan names.
const RevertNamed = 20

// PlanRevert works out the revert of job j as user by would run it now.
func PlanRevert(ctx context.Context, client *ent.Client, j *ent.ImportJob, by int) (RevertPlan, error) {
	var p RevertPlan
	since := changedAfter(j)
	reasons := map[int]OtherChange{}
	var named []int // the first RevertNamed to delete, then to restore
	var deleted, restored []int
	for after := 0; ; {
		rows, err := client.ImportRow.Query().Where(toRevert(j.ID, after)...).
			Select(importrow.FieldRowNo, importrow.FieldAction, importrow.FieldContactID).
			Order(ent.Asc(importrow.FieldRowNo)).Limit(1000).All(ctx)
		if err != nil {
			return p, fmt.Errorf("import: plan revert: %w", err)
		}
		if len(rows) == 0 {
			break
		}
		ids := make([]int, len(rows))
		for i, r := range rows {
			ids[i] = *r.ContactID
		}
		others, err := changesByOthers(ctx, client, ids, since, by)
		if err != nil {
			return p, err
		}
		for _, r := range rows {
			why, changed := others[*r.ContactID]
			switch {
			case changed && r.Action == importrow.ActionCreate:
				p.ChangedDelete++
			case changed:
				p.ChangedRestore++
			case r.Action == importrow.ActionCreate:
				p.Delete++
				if len(deleted) < RevertNamed {
					deleted = append(deleted, *r.ContactID)
				}
			default:
				p.Restore++
				if len(restored) < RevertNamed {
					restored = append(restored, *r.ContactID)
				}
			}
			if changed && len(reasons) < 50 {
				reasons[*r.ContactID] = why
			}
		}
		after = rows[len(rows)-1].RowNo
	}
	named = append(append(named, deleted...), restored...)
	for id := range reasons {
		named = append(named, id)
	}
	cs, err := client.Contact.Query().Where(contact.IDIn(named...)).Order(contact.ByID()).
		Select(contact.FieldFirstName, contact.FieldLastName).All(ctx)
	if err != nil {
		return p, fmt.Errorf("import: plan revert: %w", err)
	}
	names := make(map[int]string, len(cs))
	for _, c := range cs {
		names[c.ID] = strings.TrimSpace(c.FirstName + " " + c.LastName)
		if why, ok := reasons[c.ID]; ok {
			p.Changed = append(p.Changed, ChangedContact{ID: c.ID, Name: names[c.ID], Reason: why.Text(), Change: &why})
		}
	}
	for _, id := range deleted {
		p.Deleted = append(p.Deleted, ChangedContact{ID: id, Name: names[id]})
	}
	for _, id := range restored {
		p.Restored = append(p.Restored, ChangedContact{ID: id, Name: names[id]})
	}
	return p, nil
}

// KeptContacts names the contacts a finished revert left alone (up to the
// ids the job lists).
func KeptContacts(ctx context.Context, client *ent.Client, j *ent.ImportJob) ([]ChangedContact, error) {
	if len(j.RevertKept) == 0 {
		return nil, nil
	}
	cs, err := client.Contact.Query().Where(contact.IDIn(j.RevertKept[:min(50, len(j.RevertKept))]...)).Order(contact.ByID()).
		Select(contact.FieldFirstName, contact.FieldLastName).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: list contacts left alone: %w", err)
	}
	out := make([]ChangedContact, len(cs))
	for i, c := range cs {
		out[i] = ChangedContact{ID: c.ID, Name: strings.TrimSpace(c.FirstName + " " + c.LastName), Reason: "changed by someone else after the import"}
	}
	return out, nil
}
