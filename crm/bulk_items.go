package crm

import (
	"context"
	"fmt"
	"slices"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/bulkaction"
	"github.com/rapport-crm/rapport/ent/bulkactionitem"
)

// chunk is how many contacts one transaction of a run or undo changes.
func (b *BulkActions) chunk() int {
	if b.chunkN > 0 {
		return b.chunkN
	}
	if b.writer.Dialect() == dialect.Postgres {
		return bulkActionChunkPG
	}
	return bulkActionChunk
}

// progress updates action id's counters in tx: an update without the
// read-back of UpdateOne, which would load the action's targets (50,000
// ids in a large one) with every chunk.
func (b *BulkActions) progress(tx *ent.Tx, id int) *ent.BulkActionUpdate {
	return tx.BulkAction.Update().Where(bulkaction.ID(id))
}

// bulkItem is one changed contact of an action with its value before: the
// undo gives it back.
type bulkItem struct {
	contact int
	before  string
}

// saveItems stores the undo items of one chunk of action id: one statement
// on PostgreSQL (array parameters), ent's bulk create per 1,000 on SQLite.
func (b *BulkActions) saveItems(ctx context.Context, tx *ent.Tx, id int, items []bulkItem) error {
	if b.writer.Dialect() == dialect.Postgres {
		cids, befores := make([]int64, len(items)), make([]string, len(items))
		for i, it := range items {
			if err := bulkactionitem.BeforeValidator(it.before); err != nil {
				return fmt.Errorf("bulk action %d: items: %w", id, err)
			}
			cids[i], befores[i] = int64(it.contact), it.before
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO bulk_action_items (action_id, contact_id, before)
			SELECT $1, u.* FROM unnest($2::bigint[], $3::text[]) AS u`, id, pq.Array(cids), pq.Array(befores)); err != nil {
			return fmt.Errorf("bulk action %d: items: %w", id, err)
		}
		return nil
	}
	for chunk := range slices.Chunk(items, bulkChunk) {
		bulk := make([]*ent.BulkActionItemCreate, len(chunk))
		for i, it := range chunk {
			bulk[i] = tx.BulkActionItem.Create().SetActionID(id).SetContactID(it.contact).SetBefore(it.before)
		}
		if err := tx.BulkActionItem.CreateBulk(bulk...).Exec(ctx); err != nil {
			return fmt.Errorf("bulk action %d: items: %w", id, err)
		}
	}
	return nil
}
