package importing

import (
	"context"
	"fmt"
	"strings"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// namesFromFileRows bounds how far RowNames reads the file for rows without
// a contact (a dry run's new people, rejected rows): past it those rows
// keep their number only.
const namesFromFileRows = 5000

// RowNames names the people of an import's outcome rows, by row number: the
// contact's name where the row has one (one query), else the name columns
// of the row in the file (read up to namesFromFileRows rows). Rows it cannot
// name are missing.
func RowNames(ctx context.Context, client *ent.Client, j *ent.ImportJob, rows []*ent.ImportRow) (map[int]string, error) {
	names := map[int]string{}
	var ids []int
	byContact := map[int][]int{}
	last := 0
	for _, r := range rows {
		if r.ContactID != nil {
			ids = append(ids, *r.ContactID)
			byContact[*r.ContactID] = append(byContact[*r.ContactID], r.RowNo)
		} else {
			last = max(last, r.RowNo)
		}
	}
	if len(ids) > 0 {
		cs, err := client.Contact.Query().Where(contact.IDIn(ids...)).
			Select(contact.FieldID, contact.FieldFirstName, contact.FieldLastName).All(ctx)
		if err != nil {
			return nil, fmt.Errorf("import: row names: %w", err)
		}
		for _, c := range cs {
			for _, row := range byContact[c.ID] {
				names[row] = crm.DisplayName(c.FirstName, c.LastName)
			}
		}
	}
	if last == 0 || last > namesFromFileRows {
		return names, nil
	}
	if err := ensureFile(ctx, client, j); err != nil {
		return names, nil // the file is gone (erased or purged): numbers only
	}
	header, recs, err := Preview(j, last)
	if err != nil {
		return names, nil
	}
	cols := map[string]int{}
	for i, h := range header {
		if f := j.Mapping[h]; f != "" {
			if _, seen := cols[f]; !seen {
				cols[f] = i
			}
		}
	}
	cell := func(cells []string, field string) string {
		if i, ok := cols[field]; ok && i < len(cells) {
			return strings.TrimSpace(cells[i])
		}
		return ""
	}
	for _, rec := range recs {
		if _, done := names[rec.Row]; done {
			continue
		}
		name := strings.TrimSpace(cell(rec.Cells, "first_name") + " " + cell(rec.Cells, "last_name"))
		if name == "" {
			name = cell(rec.Cells, "name")
		}
		if name != "" {
			names[rec.Row] = name
		}
	}
	return names, nil
}
