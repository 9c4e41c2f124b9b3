package importing

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importrow"
)

// ActionCounts counts a job's row outcomes by action.
func ActionCounts(ctx context.Context, client *ent.Client, id int, dry bool) (map[string]int, error) {
	var rows []struct {
		Action string `json:"action"`
		Count  int    `json:"count"`
	}
	err := client.ImportRow.Query().Where(importrow.ImportID(id), importrow.DryRun(dry)).
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
	q := client.ImportRow.Query().Where(importrow.ImportID(id), importrow.DryRun(dry))
	if action != "" {
		q = q.Where(importrow.ActionEQ(importrow.Action(action)))
	}
	rows, err := q.Order(ent.Asc(importrow.FieldRowNo)).Limit(limit).All(ctx)
	if err != nil {
		return nil, fmt.Errorf("import: list outcomes: %w", err)
	}
	return rows, nil
}
