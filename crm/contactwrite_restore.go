package crm

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// restoreRow brings back a contact row that Delete removed, exactly as it
// was (its id, fields, version, health and dates): the undo of a merge,
// which then moves the contact's own rows back to it. Like every write of
// the writer it records the search change, drops the list cache after the
// commit and writes an audit event.
func (w *ContactWriter) restoreRow(ctx context.Context, tx *ent.Tx, row mergeRow, msg AuditMsg) (int, error) {
	id, ok := row[contact.FieldID].(int64)
	if !ok {
		return 0, fmt.Errorf("restore contact: no id")
	}
	t := tableOf(contact.Table)
	if err := putRow(ctx, tx, w.dialect, t, row, row); err != nil {
		return 0, err
	}
	if err := db.RecordChanges(ctx, w.dialect, int(id)); err != nil {
		return 0, err
	}
	w.invalidateOnCommit(tx)
	ev := Event{Action: ActionCreate, Entity: EntityContact, EntityID: int(id), Msg: msg}
	return int(id), w.auditBulk(ctx, tx, w.now().UTC(), []Event{ev})
}
