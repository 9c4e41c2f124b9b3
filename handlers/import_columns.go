package handlers

import (
	"strings"

	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/views/pages"
)

// columnRows is how many rows the column report reads to find the columns
// that hold data.
const columnRows = 500

// columnReport is the column report of j under its mapping; a file that
// cannot be read has none (the page says why elsewhere).
func columnReport(j *ent.ImportJob) pages.ColumnReport {
	header, recs, err := importing.Preview(j, columnRows)
	if err != nil || len(header) == 0 {
		return pages.ColumnReport{}
	}
	r := importing.Report(header, recs, j.Mapping)
	out := pages.ColumnReport{Layout: r.Layout, WithData: r.WithData, Mapped: r.Mapped, Skipped: r.Skipped}
	for _, u := range r.Unmapped {
		out.Unmapped = append(out.Unmapped, pages.UnmappedColumn{Column: u.Column, Samples: strings.Join(u.Samples, " · "), Suggest: u.SuggestLabel})
	}
	return out
}
