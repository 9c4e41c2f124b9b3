package importing

import (
	"net/mail"
	"strings"

	"github.com/rapport-crm/rapport/crm"
)

// ColumnReport says how much of a file a mapping keeps: of the columns that
// hold data (in the rows read), how many are mapped, and for each one that is
// not, a few sample values and a suggested field. Nothing is lost silently:
// the preview shows it before the import and the result page after.
type ColumnReport struct {
	Layout   string // name of the recognised export ("Outlook (English)"), "" for none
	WithData int    // columns with a value in some row, those the layout leaves out on purpose aside
	Mapped   int    // of those, the mapped ones
	Unmapped []UnmappedColumn
	Skipped  []string // columns that hold data the layout knows Rapport does not keep (an e-mail's type, an opt-in IP)
}

// UnmappedColumn is a column that holds data and is ignored.
type UnmappedColumn struct {
	Column       string
	Samples      []string // up to three different values
	Suggest      string   // a field key that could take it
	SuggestLabel string
}

// Complete reports whether every column that holds data is mapped.
func (r ColumnReport) Complete() bool { return r.Mapped == r.WithData }

// Report works out the column report of header with the rows recs under
// mapping m (header name → field key, "" ignores).
func Report(header []string, recs []Record, m map[string]string) ColumnReport {
	l := DetectLayout(header)
	var r ColumnReport
	if l != nil {
		r.Layout = l.Name
	}
	for i, h := range header {
		var samples []string
		seen := map[string]bool{}
		has := false
		for _, rec := range recs {
			if i >= len(rec.Cells) {
				continue
			}
			v := strings.TrimSpace(rec.Cells[i])
			if v == "" {
				continue
			}
			has = true
			if !seen[v] && len(samples) < 3 {
				seen[v] = true
				samples = append(samples, crm.Truncate(v, 60))
			}
		}
		if !has {
			continue
		}
		if m[h] == "" && l.Skipped(h) {
			r.Skipped = append(r.Skipped, h)
			continue
		}
		r.WithData++
		if m[h] != "" {
			r.Mapped++
			continue
		}
		s := suggest(h, samples)
		r.Unmapped = append(r.Unmapped, UnmappedColumn{Column: h, Samples: samples, Suggest: s, SuggestLabel: FieldLabel(s)})
	}
	return r
}

// suggest proposes a field for an unmapped column: by what its values look
// like (e-mail, phone number, web address), by a known word in its name,
// else a note line, which keeps any value.
func suggest(header string, samples []string) string {
	all := func(f func(string) bool) bool {
		for _, s := range samples {
			if !f(s) {
				return false
			}
		}
		return len(samples) > 0
	}
	switch {
	case all(func(s string) bool { a, err := mail.ParseAddress(s); return err == nil && a.Address == s }):
		return "email"
	case all(looksPhone):
		return "phone"
	case all(func(s string) bool { return webURL(s) != nil }):
		return "website"
	}
	for _, w := range strings.Fields(headerKey(header)) {
		if k, ok := aliasIndex[w]; ok && k != "id" && k != "address" {
			return k
		}
	}
	return "note"
}

func looksPhone(s string) bool {
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune("+ ()-./", r):
		default:
			return false
		}
	}
	return digits >= 6
}
