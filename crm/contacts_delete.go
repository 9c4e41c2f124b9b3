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
	"github.com/rapport-crm/rapport/ent/contact"
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

// Delete erases contacts in tx, set-wise: per round of up to 1,000
// contacts (5,000 on PostgreSQL) it deletes the interactions that involved
// none but them, then the contacts (their e-mails, channels, jobs, topics,
// tags, nominations and tasks go with them by cascade), then writes one
// audit event per contact in one statement. The trail keeps who erased
// which id, with summary, never the erased person's data. The search
// change records are written by the transaction's outbox (db.WithTx), one
// per contact. Missing ids are skipped; it returns the ids it erased.
//
// On PostgreSQL the cascade is the bulk of the time: each deleted contact
// fires one referential-integrity trigger per table that refers to it
// (fourteen, each an index look-up on the child's contact_id, plus two per
// channel), which no set-wise DELETE of the children first avoids: the
// triggers still fire once per contact, finding nothing (EXPLAIN ANALYZE
// of 20,000 contacts: 13.6 s, children first 13.4 s; docs/PERFORMANCE.md).
func (w *ContactWriter) Delete(ctx context.Context, tx *ent.Tx, ids []int, msg AuditMsg) ([]int, error) {
	var gone []int
	for chunk := range slices.Chunk(ids, w.deleteChunk()) {
		existing, err := tx.Contact.Query().Where(idIn(contact.FieldID, chunk)).IDs(ctx)
		if err != nil {
			return gone, fmt.Errorf("find contacts to delete: %w", err)
		}
		if len(existing) == 0 {
			continue
		}
		if _, err := tx.Interaction.Delete().Where(onlyWith(existing)).Exec(ctx); err != nil {
			return gone, fmt.Errorf("delete interactions of %d contacts: %w", len(existing), err)
		}
		if _, err := tx.Contact.Delete().Where(idIn(contact.FieldID, existing)).Exec(ctx); err != nil {
			return gone, fmt.Errorf("delete %d contacts: %w", len(existing), err)
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

// onlyWith matches the interactions of the contacts ids that involve no
// contact outside ids: one of ids takes part, and (a correlated NOT EXISTS
// over the participations' primary key) nobody else does.
func onlyWith(ids []int) func(*entsql.Selector) {
	return func(s *entsql.Selector) {
		s.Where(entsql.P(func(b *entsql.Builder) {
			b.WriteString(s.C(interaction.FieldID)).WriteString(" IN (SELECT " + participation.FieldInteractionID + " FROM " + participation.Table + " WHERE ")
			inInts(b, s.Dialect(), participation.FieldContactID, ids)
			b.WriteString(") AND NOT EXISTS (SELECT 1 FROM " + participation.Table + " AS other WHERE other." + participation.FieldInteractionID + " = ").
				WriteString(s.C(interaction.FieldID)).WriteString(" AND NOT (")
			inInts(b, s.Dialect(), "other."+participation.FieldContactID, ids)
			b.WriteString("))")
		}))
	}
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
