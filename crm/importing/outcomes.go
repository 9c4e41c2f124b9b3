package importing

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importrow"
)

// saveOutcomes stores one ImportRow per row of the batch that has an
// outcome (blank lines have none): the action, the contact, the reason, the
// cells of a rejected row (for the download) and the contact before a first
// update (for revert). On PostgreSQL it is one INSERT … SELECT FROM unnest
// with one array parameter per column, whatever the size of the batch.
func (e *engine) saveOutcomes(ctx context.Context, tx *ent.Tx, b *batch) error {
	if e.pg {
		return e.saveOutcomesPG(ctx, tx, b)
	}
	var rows []*ent.ImportRowCreate
	for _, o := range b.outcomes {
		if o.action == "" {
			continue
		}
		r := tx.ImportRow.Create().SetImportID(e.job.ID).SetRowNo(o.rec.Row).SetAction(importRowAction(o.action)).
			SetDryRun(e.dry).SetReason(crm.Truncate(joinReason(o.reason, o.warnings), 1000))
		if o.target != nil && o.target.id != 0 {
			r.SetContactID(o.target.id)
		}
		if o.action == ActError {
			r.SetRaw(rawCells(o.rec.Cells))
		}
		if o.before != nil {
			r.SetBefore(toMap(*o.before))
		}
		rows = append(rows, r)
	}
	for chunk := range slices.Chunk(rows, 1000) {
		if err := tx.ImportRow.CreateBulk(chunk...).Exec(ctx); err != nil {
			return fmt.Errorf("import: save row outcomes: %w", err)
		}
	}
	return nil
}

const insertOutcomesSQL = `INSERT INTO import_rows (import_id, dry_run, row_no, action, contact_id, reason, raw, before)
SELECT $1, $2, u.row_no, u.action, NULLIF(u.contact_id, 0), u.reason, NULLIF(u.raw, '')::jsonb, NULLIF(u.before, '')::jsonb
FROM unnest($3::bigint[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[])
	AS u(row_no, action, contact_id, reason, raw, before)`

// saveOutcomesPG stores the same values as the ent path; raw and before are
// JSON as ent would marshal them, and SQL NULL when not set (” in the
// arrays: a JSON document is never empty).
func (e *engine) saveOutcomesPG(ctx context.Context, tx *ent.Tx, b *batch) error {
	var (
		rowNo, contactID          []int64
		action, reason, raw, befs []string
	)
	for _, o := range b.outcomes {
		if o.action == "" {
			continue
		}
		why := crm.Truncate(joinReason(o.reason, o.warnings), 1000)
		if err := importrow.ActionValidator(importRowAction(o.action)); err != nil {
			return fmt.Errorf("import: save row outcomes: %w", err)
		}
		if err := importrow.ReasonValidator(why); err != nil {
			return fmt.Errorf("import: save row outcomes: %w", err)
		}
		var cid int64
		if o.target != nil && o.target.id != 0 {
			cid = int64(o.target.id)
		}
		var rw, bf string
		if o.action == ActError {
			j, err := json.Marshal(rawCells(o.rec.Cells))
			if err != nil {
				return fmt.Errorf("import: save row outcomes: %w", err)
			}
			rw = string(j)
		}
		if o.before != nil {
			j, err := json.Marshal(toMap(*o.before))
			if err != nil {
				return fmt.Errorf("import: save row outcomes: %w", err)
			}
			bf = string(j)
		}
		rowNo, contactID = append(rowNo, int64(o.rec.Row)), append(contactID, cid)
		action, reason = append(action, o.action), append(reason, why)
		raw, befs = append(raw, rw), append(befs, bf)
	}
	if len(rowNo) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, insertOutcomesSQL, e.job.ID, e.dry, pq.Array(rowNo), pq.Array(action), pq.Array(contactID),
		pq.Array(reason), pq.Array(raw), pq.Array(befs))
	if err != nil {
		return fmt.Errorf("import: save row outcomes: %w", err)
	}
	return nil
}
