package importing

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importjob"
	"github.com/rapport-crm/rapport/ent/importrow"
)

// Reverted says what a revert did.
type Reverted struct{ Deleted, Restored int }

// Revert undoes a job's committed rows: the contacts it created are deleted,
// the ones it changed get their fields from before the import back, each
// audited, in transactions of up to batch contacts. Running it again after
// an interruption finishes the job. A running import cannot be reverted.
func Revert(ctx context.Context, client *ent.Client, id, batch int) (Reverted, error) {
	var res Reverted
	j, err := client.ImportJob.Get(ctx, id)
	if err != nil {
		return res, fmt.Errorf("import: load job %d: %w", id, err)
	}
	switch j.Status {
	case importjob.StatusDone, importjob.StatusFailed, importjob.StatusInterrupted:
	default:
		return res, crm.Errorf(crm.EConflict, "Only a finished, failed or interrupted import can be reverted.")
	}
	if batch <= 0 {
		batch = 500
	}
	rows, err := client.ImportRow.Query().Where(importrow.ImportID(id), importrow.DryRun(false),
		importrow.ActionIn(importrow.ActionCreate, importrow.ActionUpdate), importrow.ContactIDNotNil()).
		Order(ent.Asc(importrow.FieldRowNo)).All(ctx)
	if err != nil {
		return res, fmt.Errorf("import: load rows to revert: %w", err)
	}
	label := fmt.Sprintf("import #%d (%s) reverted", j.ID, j.Filename)
	for chunk := range slices.Chunk(rows, batch) {
		err := withTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
			var created []int
			for _, r := range chunk {
				if r.Action == importrow.ActionCreate {
					created = append(created, *r.ContactID)
				}
			}
			gone, err := crm.DeleteContacts(ctx, tx, created, label)
			if err != nil {
				return err
			}
			res.Deleted += len(gone)
			for _, r := range chunk {
				if r.Action != importrow.ActionUpdate || r.Before == nil {
					continue
				}
				in, err := fromMap(r.Before)
				if err != nil {
					return fmt.Errorf("import: row %d: read the saved contact: %w", r.RowNo, err)
				}
				if err := in.Check(); err != nil {
					return fmt.Errorf("import: row %d: saved contact no longer valid: %w", r.RowNo, err)
				}
				ok, err := crm.ReplaceContactTx(ctx, tx, *r.ContactID, in, label)
				if err != nil {
					return err
				}
				if ok {
					res.Restored++
				}
			}
			return nil
		})
		if err != nil {
			return res, err
		}
	}
	err = withTx(ctx, client, func(ctx context.Context, tx *ent.Tx) error {
		if err := tx.ImportJob.UpdateOneID(id).SetStatus(importjob.StatusReverted).
			SetMessage(fmt.Sprintf("Reverted: %d contacts removed, %d restored.", res.Deleted, res.Restored)).Exec(ctx); err != nil {
			return fmt.Errorf("import: mark reverted: %w", err)
		}
		return crm.AuditTx(ctx, tx, crm.Event{Action: crm.ActionRevert, Entity: crm.EntityImport, EntityID: id,
			Summary: fmt.Sprintf("reverted %s: %d contacts removed, %d restored", j.Filename, res.Deleted, res.Restored)})
	})
	return res, err
}

// WriteRejected writes a job's rejected rows as CSV (UTF-8 with BOM, so
// Excel opens it right): the original columns, then the row number and the
// reason. Cells that a spreadsheet would run as a formula are neutralised.
func WriteRejected(ctx context.Context, client *ent.Client, j *ent.ImportJob, dry bool, w io.Writer) error {
	header, _, err := Preview(j, 0)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(neutralizeAll(append(slices.Clone(header), "Row", "Reason"))); err != nil {
		return err
	}
	after := 0
	for {
		rows, err := client.ImportRow.Query().Where(importrow.ImportID(j.ID), importrow.DryRun(dry),
			importrow.ActionEQ(importrow.ActionError), importrow.RowNoGT(after)).
			Order(ent.Asc(importrow.FieldRowNo)).Limit(1000).All(ctx)
		if err != nil {
			return fmt.Errorf("import: load rejected rows: %w", err)
		}
		for _, r := range rows {
			rec := make([]string, len(header))
			copy(rec, r.Raw)
			if err := cw.Write(neutralizeAll(append(rec, strconv.Itoa(r.RowNo), r.Reason))); err != nil {
				return err
			}
			after = r.RowNo
		}
		if len(rows) < 1000 {
			break
		}
	}
	cw.Flush()
	return cw.Error()
}

func neutralizeAll(cells []string) []string {
	for i, c := range cells {
		if c != "" {
			switch c[0] {
			case '=', '+', '-', '@', '\t', '\r', '\n':
				cells[i] = "'" + c
			}
		}
	}
	return cells
}
