package crm

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
)

// Undone says what an undo of a merge restored.
type Undone struct{ Keep, Drop int }

var (
	errNoMerge     = Errorf(ENotFound, "There is no such merge. / Diese Zusammenführung gibt es nicht.")
	errMergeUndone = Errorf(EConflict, "This merge has been undone already. / Diese Zusammenführung wurde bereits rückgängig gemacht.")
)

// errMergeChanged is the refusal of an undo that would lose what was done
// to the merged rows since the merge.
func errMergeChanged(keep int) error {
	return NewError(EConflict, "Contact #{{.ID}} or the rows the merge moved to it were changed after the merge, so undoing it would lose those changes.", "ID", keep)
}

// UndoMerge undoes the merge recorded by audit event eventID in one
// transaction: the merged contact comes back under its id with its row as
// it was, every row the merge moved or removed goes back to it, and the
// survivor gets its fields of before (through Write). It refuses with
// EConflict when the survivor or a moved row changed since the merge, or
// when the merge was undone already.
func (w *ContactWriter) UndoMerge(ctx context.Context, eventID int) (Undone, error) {
	if err := mayMerge(ctx); err != nil {
		return Undone{}, err
	}
	var out Undone
	err := db.WithTx(ctx, w.client, func(ctx context.Context, tx *ent.Tx) error {
		ctx, fold := foldAudit(ctx) // the restore and the survivor's write: one event
		ev, err := tx.AuditEvent.Query().Where(auditevent.ID(eventID), auditevent.Action(ActionMerge)).Only(ctx)
		if ent.IsNotFound(err) {
			return errNoMerge
		}
		if err != nil {
			return fmt.Errorf("undo merge: %w", err)
		}
		snap, err := decodeSnapshot(ev.Changes)
		if err != nil {
			return err
		}
		out = Undone{Keep: snap.Keep, Drop: snap.Drop}
		if err := lockContacts(ctx, tx, w.dialect, snap.Keep, snap.Drop); err != nil {
			return err
		}
		if err := snap.checkUnchanged(ctx, tx, w.dialect); err != nil {
			return err
		}
		if _, err := w.restoreRow(ctx, tx, snap.DropRow, MsgRestoredByUndo(snap.Keep)); err != nil {
			return err
		}
		for _, m := range mergeMovers {
			t := tableOf(m.table)
			for _, r := range snap.Rows[m.table] {
				at := r.After
				if at == nil {
					at = r.Before
				}
				if err := putRow(ctx, tx, w.dialect, t, at, r.Before); err != nil {
					return err
				}
			}
		}
		if snap.Consent != 0 { // the history as it was: the survivor's state and notice are its own again
			if err := w.unrecordConsent(ctx, tx, snap.Keep, snap.Consent); err != nil {
				return err
			}
		}
		st, err := loadStored(ctx, tx.Client(), w.dialect, []int{snap.Keep})
		if err != nil {
			return err
		}
		in := st[snap.Keep].in
		before := snap.KeepBefore
		for _, f := range MergeFields {
			f.set(&in, before)
		}
		in.Languages, in.Phones, in.DoNotContact = before.Languages, before.Phones, before.DoNotContact
		x := ContactWrite{ID: snap.Keep, In: in, Msg: MsgMergeUndone(snap.Drop),
			Privacy: PrivacyNote{Reason: fmt.Sprintf("merge of #%d undone", snap.Drop)}}
		if _, err := w.writeStored(ctx, tx, []ContactWrite{x}, WriteOptions{Trusted: true}, st); err != nil {
			return err
		}
		if err := touchAfterInteraction(ctx, tx, []int{snap.Keep}); err != nil {
			return err
		}
		if err := db.RecordChanges(ctx, w.dialect, snap.Keep, snap.Drop); err != nil {
			return err
		}
		// The snapshot held the merged person's data: it goes with the undo.
		// (The trail is written only by ent creates otherwise; erasure
		// rewrites it with SQL too.)
		left, err := json.Marshal(Changes{"merged": ev.Changes["merged"], "undone": {nil, true}})
		if err != nil {
			return fmt.Errorf("undo merge: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE audit_events SET changes = $1 WHERE id = $2", string(left), eventID); err != nil {
			return fmt.Errorf("undo merge: %w", err)
		}
		ch := fold.fieldChanges(snap.Keep)
		ch["restored"] = [2]any{nil, snap.Drop}
		return audit(ctx, tx, Event{Action: ActionMergeUndo, Entity: EntityContact, EntityID: snap.Keep,
			Msg: MsgUndidMerge(snap.Drop, snap.Keep), Changes: ch})
	})
	if err != nil {
		return Undone{}, err
	}
	return out, nil
}

// decodeSnapshot reads a merge's snapshot from its audit changes.
func decodeSnapshot(ch map[string][2]any) (*mergeSnapshot, error) {
	raw := ch[mergeSnapshotKey][1]
	if raw == nil {
		return nil, errMergeUndone
	}
	if _, ok := raw.(map[string]any); !ok { // pseudonymised: the survivor was erased
		return nil, Errorf(EConflict, "This merge can no longer be undone: the contact was erased. / Diese Zusammenführung kann nicht mehr rückgängig gemacht werden: der Kontakt wurde gelöscht.")
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return nil, fmt.Errorf("undo merge: %w", err)
	}
	var s mergeSnapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("undo merge: %w", err)
	}
	if s.DropRow, err = normRow(tableOf("contacts"), s.DropRow); err != nil {
		return nil, fmt.Errorf("undo merge: %w", err)
	}
	for table, rows := range s.Rows {
		t := tableOf(table)
		if t == nil {
			return nil, fmt.Errorf("undo merge: unknown table %q", table)
		}
		for i := range rows {
			if rows[i].Before, err = normRow(t, rows[i].Before); err != nil {
				return nil, fmt.Errorf("undo merge: %w", err)
			}
			if rows[i].After != nil {
				if rows[i].After, err = normRow(t, rows[i].After); err != nil {
					return nil, fmt.Errorf("undo merge: %w", err)
				}
			}
		}
	}
	return &s, nil
}

// checkUnchanged refuses the undo when the merged contact exists again,
// the survivor is gone or was written since the merge, or a row the merge
// moved is no longer as the merge left it.
func (s *mergeSnapshot) checkUnchanged(ctx context.Context, tx *ent.Tx, dia string) error {
	cs, err := tx.Contact.Query().Where(idIn("id", []int{s.Keep, s.Drop})).All(ctx)
	if err != nil {
		return fmt.Errorf("undo merge: %w", err)
	}
	var keep *ent.Contact
	for _, c := range cs {
		if c.ID == s.Drop {
			return errMergeUndone
		}
		keep = c
	}
	if keep == nil || keep.Version != s.KeepVersion {
		return errMergeChanged(s.Keep)
	}
	for _, table := range slices.Sorted(mapKeys(s.Rows)) {
		t := tableOf(table)
		for _, r := range s.Rows[table] {
			if r.After == nil {
				continue
			}
			got, err := getRow(ctx, tx, dia, t, r.After)
			if err != nil {
				return err
			}
			if !sameRow(got, r.After) {
				return errMergeChanged(s.Keep)
			}
		}
	}
	return nil
}

func sameRow(a, b mergeRow) bool {
	if a == nil || len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || v != w {
			return false
		}
	}
	return true
}
