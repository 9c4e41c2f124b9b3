package importing

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"

	entsql "entgo.io/ent/dialect/sql"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importrow"
	"github.com/rapport-crm/rapport/ent/predicate"
)

// ActionCounts counts a job's row outcomes by action.
func ActionCounts(ctx context.Context, client *ent.Client, id int, dry bool) (map[string]int, error) {
	var rows []struct {
		Action string `json:"action"`
		Count  int    `json:"count"`
	}
	err := client.ImportRow.Query().Where(importrow.ImportID(id), dryRunIs(dry)).
		GroupBy(importrow.FieldAction).Aggregate(ent.Count()).Scan(ctx, &rows)
	if err != nil {
		return nil, fmt.Errorf("import: count outcomes: %w", err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Action] = r.Count
	}
	return out, nil
}

// Rows returns up to limit row outcomes of a job in file order, only those
// of one action when action is set.
func Rows(ctx context.Context, client *ent.Client, id int, dry bool, action string, limit int) ([]*ent.ImportRow, error) {
	q := client.ImportRow.Query().Where(importrow.ImportID(id), dryRunIs(dry))
	if action != "" {
		q = q.Where(importrow.ActionEQ(importrow.Action(action)))
	}
	rows, err := q.Order(ent.Asc(importrow.FieldRowNo)).Limit(limit).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: list outcomes: %w", err)
	}
	return rows, nil
}

// WriteRejected writes a job's rejected rows as CSV (UTF-8 with BOM, so
// Excel opens it right): the original columns, then the row number and the
// reason. Cells that a spreadsheet would run as a formula are neutralised.
func WriteRejected(ctx context.Context, client *ent.Client, j *ent.ImportJob, dry bool, w io.Writer) error {
	if err := ensureFile(ctx, client, j); err != nil {
		return err
	}
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
		rows, err := client.ImportRow.Query().Where(importrow.ImportID(j.ID), dryRunIs(dry),
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

// dryRunIs matches the rows of the dry run (or of the run) as "dry_run = ?",
// which the (import_id, dry_run, row_no) index serves. ent writes
// DryRun(false) as "NOT dry_run", which SQLite cannot match to the index:
// every page of a revert then scanned and sorted all the import's rows.
func dryRunIs(dry bool) predicate.ImportRow {
	return func(s *entsql.Selector) {
		s.Where(entsql.P(func(b *entsql.Builder) { b.Ident(s.C(importrow.FieldDryRun)).WriteString(" = ").Arg(dry) }))
	}
}
