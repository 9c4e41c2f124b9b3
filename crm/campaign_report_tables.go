package crm

import (
	"strconv"

	"github.com/rapport-crm/rapport/crm/export"
)

// ReportTables are the report's tables for a download (one sheet each).
func ReportTables(r *Report) []export.Table {
	n := strconv.Itoa
	f := r.Funnel
	funnel := export.Table{Name: "Funnel", Header: []string{"Step", "People", "Rate %"}, Numeric: []bool{false, true, true},
		Rows: [][]string{{"Targets", n(f.Targets), "100"}, {"Pitched", n(f.Pitched), n(Rate(f.Pitched, f.Targets))},
			{"Replied", n(f.Replied), n(Rate(f.Replied, f.Pitched))}, {"Covered", n(f.Covered), n(Rate(f.Covered, f.Pitched))},
			{"Pieces", n(f.Pieces), ""}, {"Reach", strconv.FormatInt(r.Reach, 10), ""}, {"Advocate pieces", n(r.AdvocatePieces), n(Rate(r.AdvocatePieces, f.Pieces))}}}
	counts := func(name, head string, cs []Count) export.Table {
		t := export.Table{Name: name, Header: []string{head, "Pieces", "Reach"}, Numeric: []bool{false, true, true}}
		for _, c := range cs {
			t.Rows = append(t.Rows, []string{c.Name, n(c.Pieces), strconv.FormatInt(c.Reach, 10)})
		}
		return t
	}
	matrix := export.Table{Name: "Region x topic", Header: append([]string{"Region"}, r.Topics...)}
	matrix.Numeric = make([]bool, len(matrix.Header))
	for i := 1; i < len(matrix.Numeric); i++ {
		matrix.Numeric[i] = true
	}
	for _, reg := range r.Regions {
		row := []string{reg}
		for _, t := range r.Topics {
			row = append(row, n(r.CellPieces(reg, t)))
		}
		matrix.Rows = append(matrix.Rows, row)
	}
	pieces := export.Table{Name: "Pieces", Header: []string{"Published", "Title", "URL", "Outlet", "Outlet type", "Kind", "Authors", "Reach", "Sentiment", "Key messages"},
		Numeric: []bool{false, false, false, false, false, false, false, true}}
	for _, p := range r.Pieces {
		reach := ""
		if p.Reach != nil {
			reach = strconv.FormatInt(*p.Reach, 10)
		}
		pieces.Rows = append(pieces.Rows, []string{p.PublishedAt.Format(dateLayout), p.Title, p.URL, p.Outlet, p.OutletType, p.Kind,
			joinNames(p.Authors), reach, p.Sentiment, joinNames(p.KeyMessages)})
	}
	return []export.Table{funnel, counts("Coverage per week", "Week of", r.Weeks), counts("Outlet types", "Outlet type", r.ByOutletType),
		matrix, counts("Top contacts", "Contact", r.TopContacts), counts("Sentiment", "Sentiment", r.Sentiment),
		counts("Key messages", "Key message", r.KeyMessages), pieces}
}

func joinNames(xs []string) string {
	out := ""
	for i, x := range xs {
		if i > 0 {
			out += "; "
		}
		out += x
	}
	return out
}
