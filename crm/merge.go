package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/consentevent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// Audit actions of merges.
const (
	ActionMerge     = "merge"
	ActionMergeUndo = "merge_undo"
)

// MergeRequest says which contact survives (Keep), which one is merged
// into it and goes (Drop), the versions the form showed of each, and the
// fields (MergeFields keys) taken from Drop.
type MergeRequest struct {
	Keep, Drop               int
	KeepVersion, DropVersion int
	FromDrop                 []string
}

// mergeSnapshot is what the merge's audit event keeps for its undo.
type mergeSnapshot struct {
	Keep, Drop  int
	KeepBefore  ContactInput // the survivor's fields before
	KeepVersion int          // the survivor's version after the merge
	DropRow     mergeRow     // the merged contact's row
	Rows        map[string][]movedRow
	Consent     int `json:",omitempty"` // the consent event the merge recorded on Keep (0: none)
}

// movedRow is a row of the merged contact: as it was, and as the merge
// left it on the survivor (nil: it went, the survivor had the same).
type movedRow struct {
	Before mergeRow
	After  mergeRow
}

var errSameContact = Errorf(EInvalid, "Choose two different contacts to merge. / Wählen Sie zwei verschiedene Kontakte.")

// mayMerge is the role rule of merges and their undo: managers and admins.
func mayMerge(ctx context.Context) error {
	if r := ActorFrom(ctx).Role; r != RoleManager && r != RoleAdmin {
		return Errorf(EForbidden, "Only a manager can merge contacts or undo a merge. / Nur Manager können Kontakte zusammenführen.")
	}
	return nil
}

// Merge merges contact r.Drop into r.Keep in one transaction: every row
// that refers to Drop moves to Keep (mergeMovers; rows Keep has already
// stay with Drop), Keep gets the chosen fields, both contacts' phones and
// languages and the stricter consent through the writer (writeMerged: with
// Drop's consent events moved, a closing event states the merged consent),
// Drop is deleted through Delete, and one audit event (ActionMerge, on Keep) records the
// merge: Keep's field changes (which Change and Delete would have recorded
// as two events of their own), the removed contact as it was, and what the
// undo needs. It returns that event's id.
func (w *ContactWriter) Merge(ctx context.Context, r MergeRequest) (int, error) {
	if err := mayMerge(ctx); err != nil {
		return 0, err
	}
	if r.Keep == r.Drop {
		return 0, errSameContact
	}
	var eventID int
	err := db.WithTx(ctx, w.client, func(ctx context.Context, tx *ent.Tx) error {
		ctx, fold := foldAudit(ctx)
		if err := lockContacts(ctx, tx, w.dialect, r.Keep, r.Drop); err != nil {
			return err
		}
		st, err := loadStored(ctx, tx.Client(), w.dialect, []int{r.Keep, r.Drop})
		if err != nil {
			return err
		}
		keep, drop := st[r.Keep], st[r.Drop]
		if keep == nil || drop == nil {
			return errGone
		}
		if keep.c.Version != r.KeepVersion || drop.c.Version != r.DropVersion {
			return errConflict
		}
		ct := tableOf(contact.Table)
		dropRows, err := selectRows(ctx, tx, w.dialect, ct, contact.FieldID, r.Drop)
		if err != nil || len(dropRows) != 1 {
			return fmt.Errorf("merge: read contact %d: %w", r.Drop, err)
		}
		snap := mergeSnapshot{Keep: r.Keep, Drop: r.Drop, KeepBefore: keep.in, DropRow: dropRows[0], Rows: map[string][]movedRow{}}
		for _, m := range mergeMovers {
			if snap.Rows[m.table], err = m.move(ctx, tx, w.dialect, r.Keep, r.Drop); err != nil {
				return err
			}
		}
		if snap.Consent, err = w.writeMerged(ctx, tx, r, keep, drop, len(snap.Rows[consentevent.Table]) > 0); err != nil {
			return err
		}
		if _, err := w.Delete(ctx, tx, []int{r.Drop}, MsgMergedInto(r.Keep)); err != nil {
			return err
		}
		if err := touchAfterInteraction(ctx, tx, []int{r.Keep}); err != nil {
			return err
		}
		if err := snap.readAfter(ctx, tx, w.dialect); err != nil {
			return err
		}
		if snap.KeepVersion, err = tx.Contact.Query().Where(contact.ID(r.Keep)).Select(contact.FieldVersion).Int(ctx); err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		if err := db.RecordChanges(ctx, w.dialect, r.Keep); err != nil {
			return err
		}
		ch := fold.fieldChanges(r.Keep)
		ch["merged"] = [2]any{r.Drop, r.Keep}
		ch[mergeRemovedKey] = [2]any{snapshotOf(drop.in), nil}
		ch[mergeSnapshotKey] = [2]any{nil, snap}
		ev := Event{Action: ActionMerge, Entity: EntityContact, EntityID: r.Keep,
			Msg: MsgMerged(r.Drop, DisplayName(drop.in.FirstName, drop.in.LastName),
				r.Keep, DisplayName(keep.in.FirstName, keep.in.LastName)),
			Changes: ch}
		e, err := fillAudit(ctx, tx.AuditEvent.Create(), ev).Save(ctx)
		if err != nil {
			return fmt.Errorf("merge: audit: %w", err)
		}
		eventID = e.ID
		return nil
	})
	return eventID, err
}

// writeMerged writes the survivor's merged fields (mergeInputs) over its
// stored state, which has the merged contact's relations already. When the
// merge moved consent events (moved), the write restates the merged
// consent as the survivor's newest event, with the later of the two notice
// dates, whatever the moved events say; it returns that event's id.
func (w *ContactWriter) writeMerged(ctx context.Context, tx *ent.Tx, r MergeRequest, keep, drop *stored, moved bool) (int, error) {
	st, err := loadStored(ctx, tx.Client(), w.dialect, []int{r.Keep})
	if err != nil {
		return 0, err
	}
	in := st[r.Keep].in
	merged := mergeInputs(keep.in, drop.in, r.FromDrop)
	merged.Emails, merged.Channels, merged.Outlets, merged.Topics, merged.Tags = in.Emails, in.Channels, in.Outlets, in.Topics, in.Tags
	x := ContactWrite{ID: r.Keep, In: merged, Msg: MsgMergedHere(r.Drop, DisplayName(drop.in.FirstName, drop.in.LastName)), Restate: moved}
	if moved {
		if x.Privacy.Notice, err = mergedNotice(ctx, tx, r.Keep, keep.c.NotifiedAt, drop.c.NotifiedAt); err != nil {
			return 0, err
		}
	}
	if _, err := w.writeStored(ctx, tx, []ContactWrite{x}, WriteOptions{Trusted: true}, st); err != nil || !moved {
		return 0, err
	}
	id, err := tx.ConsentEvent.Query().Where(consentevent.ContactID(r.Keep)).Aggregate(ent.Max(consentevent.FieldID)).Int(ctx)
	if err != nil {
		return 0, fmt.Errorf("merge: consent event: %w", err)
	}
	return id, nil
}

// mergedNotice is the later of the two contacts' notice dates (nil when
// neither was told), with the method of the event on keep (after the move)
// that recorded it.
func mergedNotice(ctx context.Context, tx *ent.Tx, keep int, a, b *time.Time) (*Notice, error) {
	if a == nil || (b != nil && b.After(*a)) {
		a = b
	}
	if a == nil {
		return nil, nil
	}
	evs, err := tx.ConsentEvent.Query().Where(consentevent.ContactID(keep), consentevent.NoticeAtNotNil()).
		Order(ent.Desc(consentevent.FieldID)).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("merge: notices: %w", err)
	}
	n := &Notice{At: a.UTC()}
	for _, e := range evs {
		if e.NoticeAt.Equal(*a) {
			n.Method = e.NoticeMethod
			break
		}
	}
	return n, nil
}

// mergeSnapshotKey is the audit change that holds a merge's snapshot;
// mergeRemovedKey holds the removed contact's fields as the trail records
// a contact (snapshotOf), for whoever reads the trail.
const (
	mergeSnapshotKey = "undo_snapshot"
	mergeRemovedKey  = "removed_contact"
)

// move gives drop's rows of m's table to keep: those keep has already
// (m.same, m.one) are deleted, the others updated in one statement.
func (m mover) move(ctx context.Context, tx *ent.Tx, dia string, keep, drop int) ([]movedRow, error) {
	t := tableOf(m.table)
	rows, err := selectRows(ctx, tx, dia, t, contactCol, drop)
	if err != nil || len(rows) == 0 {
		return nil, err
	}
	var have []mergeRow
	if m.one || len(m.same) > 0 || len(m.fix) > 0 {
		if have, err = selectRows(ctx, tx, dia, t, contactCol, keep); err != nil {
			return nil, err
		}
	}
	out := make([]movedRow, len(rows))
	for i, r := range rows {
		out[i].Before = r
		if m.kept(r, have) {
			if err := deleteRow(ctx, tx, dia, t, r); err != nil {
				return nil, err
			}
			continue
		}
		after := mergeRow{}
		for k, v := range r {
			after[k] = v
		}
		after[contactCol] = int64(keep)
		if len(have) > 0 {
			for k, v := range m.fix {
				after[k] = v
			}
		}
		out[i].After = after
	}
	up := entsql.Dialect(dia).Update(t.Name).Set(contactCol, keep)
	if len(have) > 0 {
		for _, k := range slices.Sorted(mapKeys(m.fix)) {
			up.Set(k, m.fix[k])
		}
	}
	q, args := up.Where(entsql.EQ(contactCol, drop)).Query()
	if _, err := tx.ExecContext(ctx, q, args...); err != nil {
		return nil, fmt.Errorf("merge: move %s: %w", t.Name, err)
	}
	return out, nil
}

// kept reports whether the survivor has r already (its rows have).
func (m mover) kept(r mergeRow, have []mergeRow) bool {
	if m.one {
		return len(have) > 0
	}
	if len(m.same) == 0 {
		return false
	}
	for _, h := range have {
		same := true
		for _, c := range m.same {
			if !sameValue(h[c], r[c]) {
				same = false
			}
		}
		if same {
			return true
		}
	}
	return false
}

func sameValue(a, b any) bool {
	if s, ok := a.(string); ok {
		t, ok := b.(string)
		return ok && strings.EqualFold(s, t)
	}
	return a == b
}

// readAfter reads each moved row as the merge leaves it (the survivor's
// write may have rewritten one): the undo compares them with the rows it
// finds, to refuse when they changed since.
func (s *mergeSnapshot) readAfter(ctx context.Context, tx *ent.Tx, dia string) error {
	for table, rows := range s.Rows {
		t := tableOf(table)
		for i, r := range rows {
			if r.After == nil {
				continue
			}
			got, err := getRow(ctx, tx, dia, t, r.After)
			if err != nil {
				return err
			}
			rows[i].After = got
		}
	}
	return nil
}

// lockContacts locks the contacts' rows for the transaction on PostgreSQL
// (in id order); SQLite's write transaction holds the database already.
func lockContacts(ctx context.Context, tx *ent.Tx, dia string, ids ...int) error {
	if dia != dialect.Postgres {
		return nil
	}
	ids = slices.Sorted(slices.Values(ids))
	a := newSQLArgs(dia)
	rows, err := tx.QueryContext(ctx, "SELECT id FROM contacts WHERE "+a.in("id", ids)+" ORDER BY id FOR UPDATE", a.list...)
	if err != nil {
		return fmt.Errorf("merge: lock contacts: %w", err)
	}
	return rows.Close()
}
