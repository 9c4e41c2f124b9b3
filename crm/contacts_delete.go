package crm

import (
	"context"
	"fmt"
	"slices"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/participation"
)

// deleteChunk is how many contacts one round of ContactWriter.Delete erases
// on SQLite (one parameter per id), deleteChunkPG on PostgreSQL (the ids are
// one array parameter): a constant number of statements per round,
// whatever the number of contacts.
const (
	deleteChunk   = 1000
	deleteChunkPG = 5000
)

func (w *ContactWriter) deleteChunk() int {
	if w.dialect == dialect.Postgres {
		return deleteChunkPG
	}
	return deleteChunk
}

// DeleteContact removes a contact, its channels, e-mails and jobs, and the
// interactions that involved nobody else (ContactWriter.Delete, for callers
// without a writer of their own).
func DeleteContact(ctx context.Context, client *ent.Client, id int) error {
	return writerFor(client).DeleteOne(ctx, id)
}

// DeleteOne removes contact id as Delete does, in a transaction of its own;
// an ENotFound error when it does not exist.
func (w *ContactWriter) DeleteOne(ctx context.Context, id int) error {
	return db.WithTx(ctx, w.client, func(ctx context.Context, tx *ent.Tx) error {
		gone, err := w.Delete(ctx, tx, []int{id}, MsgContactErased())
		if err != nil {
			return err
		}
		if len(gone) == 0 {
			return errGone
		}
		return nil
	})
}

// Delete erases contacts in tx, set-wise, per round of up to 1,000
// contacts (5,000 on PostgreSQL): it locks the contacts (PostgreSQL: FOR
// UPDATE) and the interactions that none but them took part in, then the
// rows of every table that refers to either and has rows referring to it in
// turn (contactKeys, parents first), so that no other transaction can add a
// row that refers to one of them; deletes (or, where the key says SET NULL,
// clears) the rows of every dependent table itself, one statement per
// foreign key, children before parents; then the interactions and the
// contacts; and writes one audit event per contact in one statement. The
// trail keeps who erased which id, with summary, never the erased person's
// data. The search change records are written by the transaction's outbox
// (db.WithTx), one per contact. Missing ids are skipped; it returns the ids
// it erased.
//
// On PostgreSQL, when the role may (triggerFree), the statements run with
// session_replication_role = replica (SET LOCAL, only around them): the
// foreign keys' per-row triggers, about 150 µs of database CPU per contact,
// do not fire, and Delete's own statements are what keeps the database
// consistent. Otherwise only the interactions and the contacts are
// deleted and the foreign keys cascade (docs/PERFORMANCE.md, import revert).
func (w *ContactWriter) Delete(ctx context.Context, tx *ent.Tx, ids []int, msg AuditMsg) ([]int, error) {
	var gone []int
	plan, err := w.deletePlan(ctx, tx)
	if err != nil {
		return nil, err
	}
	forUpdate := ""
	if w.dialect == dialect.Postgres {
		forUpdate = " FOR UPDATE"
	}
	for chunk := range slices.Chunk(ids, w.deleteChunk()) {
		r := deleteRun{dia: w.dialect, contacts: chunk}
		q, args := r.stmt(func(b *entsql.Builder) {
			b.WriteString("SELECT id FROM " + rootContacts + " WHERE ")
			inInts(b, r.dia, "id", chunk)
			b.WriteString(" ORDER BY id" + forUpdate)
		})
		if r.contacts, err = queryIDs(ctx, tx, q, args); err != nil {
			return gone, fmt.Errorf("find contacts to delete: %w", err)
		}
		if len(r.contacts) == 0 {
			continue
		}
		existing := r.contacts
		q, args = r.stmt(func(b *entsql.Builder) {
			b.WriteString("SELECT id FROM " + rootInteractions + " WHERE ")
			onlyWithSQL(b, r.dia, rootInteractions+".id", existing)
			b.WriteString(" ORDER BY id" + forUpdate)
		})
		if r.interactions, err = queryIDs(ctx, tx, q, args); err != nil {
			return gone, fmt.Errorf("find the interactions of %d contacts: %w", len(existing), err)
		}
		if err := r.run(ctx, tx, plan); err != nil {
			return gone, fmt.Errorf("delete %d contacts: %w", len(existing), err)
		}
		if err := db.RecordChanges(ctx, w.dialect, existing...); err != nil {
			return gone, err
		}
		events := make([]Event, len(existing))
		for i, id := range existing {
			events[i] = Event{Action: ActionDelete, Entity: EntityContact, EntityID: id, Msg: msg}
		}
		if err := w.auditBulk(ctx, tx, w.now().UTC(), events); err != nil {
			return gone, fmt.Errorf("audit deleting %d contacts: %w", len(existing), err)
		}
		gone = append(gone, existing...)
	}
	if len(gone) > 0 {
		w.invalidateOnCommit(tx)
	}
	return gone, nil
}

// deletePlan is the plan Delete follows on w's client, chosen once per
// client with triggerFree:
//   - SQLite walks the keys without row locks (its cascades are per row too,
//     and a writer holds the whole database);
//   - PostgreSQL with a role that may turn the triggers off locks the
//     parents' rows, walks the keys and deletes as replica;
//   - PostgreSQL with the triggers on deletes only the interactions and the
//     contacts: the foreign keys' own cascades do the dependents' work and
//     their locks keep out concurrent inserts; walking the keys as well cost
//     more database CPU than the cascades alone (20–26 s against 14–15 s
//     per 100,000).
func (w *ContactWriter) deletePlan(ctx context.Context, tx *ent.Tx) (deletePlan, error) {
	plan := thePlan()
	free, err := w.triggerFree(ctx, tx)
	switch {
	case err != nil:
		return deletePlan{}, err
	case w.dialect != dialect.Postgres:
		plan.locks = nil
	case free:
		plan.replica = true
	default:
		plan.locks, plan.steps = nil, nil
	}
	return plan, nil
}

// run deletes the round's rows as plan says: it locks the parents' rows,
// turns the triggers off, follows the keys' steps, and deletes the
// interactions and the contacts.
func (r deleteRun) run(ctx context.Context, tx *ent.Tx, plan deletePlan) error {
	exec := func(q string, args []any) error {
		if _, err := tx.ExecContext(ctx, q, args...); err != nil {
			return fmt.Errorf("%.50s…: %w", q, err)
		}
		return nil
	}
	for _, t := range plan.locks {
		if !r.empty(t) {
			if err := exec(r.lock(t)); err != nil {
				return err
			}
		}
	}
	if plan.replica {
		if err := exec("SET LOCAL session_replication_role = replica", nil); err != nil {
			return err
		}
	}
	for _, k := range plan.steps {
		if !r.empty(k.Parent) {
			if err := exec(r.step(k)); err != nil {
				return err
			}
		}
	}
	for _, root := range []string{rootInteractions, rootContacts} {
		if !r.empty(root) {
			if err := exec(r.stmt(func(b *entsql.Builder) {
				b.WriteString("DELETE FROM " + root + " WHERE ")
				r.match(b, "id", root)
			})); err != nil {
				return err
			}
		}
	}
	if plan.replica {
		return exec("SET LOCAL session_replication_role = DEFAULT", nil)
	}
	return nil
}

// onlyWith matches the interactions of the contacts ids that involve no
// contact outside ids (onlyWithSQL).
func onlyWith(ids []int) func(*entsql.Selector) {
	return func(s *entsql.Selector) {
		s.Where(entsql.P(func(b *entsql.Builder) { onlyWithSQL(b, s.Dialect(), s.C(interaction.FieldID), ids) }))
	}
}

// onlyWithSQL writes the condition that the interaction id is one of the
// contacts ids' and involves no contact outside ids: one of ids takes part,
// and (a correlated NOT EXISTS over the participations' primary key)
// nobody else does.
func onlyWithSQL(b *entsql.Builder, dia, id string, ids []int) {
	b.WriteString(id + " IN (SELECT " + participation.FieldInteractionID + " FROM " + participation.Table + " WHERE ")
	inInts(b, dia, participation.FieldContactID, ids)
	b.WriteString(") AND NOT EXISTS (SELECT 1 FROM " + participation.Table + " AS other WHERE other." + participation.FieldInteractionID + " = ").
		WriteString(id).WriteString(" AND NOT (")
	inInts(b, dia, "other."+participation.FieldContactID, ids)
	b.WriteString("))")
}

// idIn matches col against ids (see inInts).
func idIn(col string, ids []int) func(*entsql.Selector) {
	return func(s *entsql.Selector) {
		s.Where(entsql.P(func(b *entsql.Builder) { inInts(b, s.Dialect(), s.C(col), ids) }))
	}
}

// inInts writes "col IN (ids)": on PostgreSQL as "= ANY($1)" with one array
// parameter, elsewhere with one parameter per id.
func inInts(b *entsql.Builder, dia, col string, ids []int) {
	b.WriteString(col)
	if dia == dialect.Postgres {
		arr := make([]int64, len(ids))
		for i, id := range ids {
			arr[i] = int64(id)
		}
		b.WriteString(" = ANY(").Arg(pq.Array(arr)).WriteString(")")
		return
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	b.WriteString(" IN (").Args(args...).WriteString(")")
}
