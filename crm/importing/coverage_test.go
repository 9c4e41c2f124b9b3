package importing

import (
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
)

func TestGuessCoverage(t *testing.T) {
	got := GuessCoverage([]string{"Datum", "Überschrift", "Medium", "Link", "Autor", "Autor (2)", "Reichweite", "Tonalität", "Irgendwas"})
	want := map[string]string{"Datum": "published_at", "Überschrift": "title", "Medium": "outlet", "Link": "url", "Autor": "authors",
		"Reichweite": "reach", "Tonalität": "sentiment", "Irgendwas": ""}
	for h, k := range want {
		if got[h] != k {
			t.Errorf("%s → %q, want %q", h, got[h], k)
		}
	}
}

func TestParseCoverageDate(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"ok_iso", "2026-11-30", "2026-11-30T12:00:00Z"},
		{"ok_german", "30.11.2026", "2026-11-30T12:00:00Z"},
		{"ok_german_short", "3.1.2026", "2026-01-03T12:00:00Z"},
		{"ok_rfc3339", "2026-11-30T08:15:00+01:00", "2026-11-30T07:15:00Z"},
		{"ok_time", "2026-11-30 08:15", "2026-11-30T08:15:00Z"},
		{"err_words", "gestern", ""},
		{"err_us", "11/30/2026", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, ok := parseCoverageDate(tc.in)
			got := ""
			if ok {
				got = d.Format(time.RFC3339)
			}
			if got != tc.want {
				t.Errorf("%q → %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

// TestCoverageRowsChecked: the plan's checks without a database (authors
// and records given): a bad row, a duplicate in the file, one on record.
func TestCoverageRowsChecked(t *testing.T) {
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	p := &CoveragePlan{Rows: []CoverageRow{
		{Row: 2, Status: CoverageNew, Input: crm.CoverageInput{URL: "https://a.example/x", Title: "A", PublishedAt: at}, Authors: []string{"Anna Berg"}},
		{Row: 3, Status: CoverageNew, Input: crm.CoverageInput{URL: "https://www.a.example/x/?utm_source=n", Title: "A again", PublishedAt: at}},
		{Row: 4, Status: CoverageNew, Input: crm.CoverageInput{URL: "https://b.example/y", Title: "B", PublishedAt: at}},
		{Row: 5, Status: CoverageNew, Input: crm.CoverageInput{Title: "", PublishedAt: at}},
	}}
	p.check(map[string]crm.AuthorMatch{"Anna Berg": {ID: 7, Name: "Anna Berg", Count: 1}}, map[string]string{"https://b.example/y": "B old"},
		func(time.Time) []string { return nil })
	var got []string
	for _, r := range p.Rows {
		got = append(got, r.Status)
	}
	if strings.Join(got, " ") != "new duplicate duplicate error" || p.New != 1 || p.Duplicates != 2 || p.Errors != 1 {
		t.Errorf("statuses %v, counts %d/%d/%d", got, p.New, p.Duplicates, p.Errors)
	}
	if ids := p.Rows[0].Input.AuthorIDs; len(ids) != 1 || ids[0] != 7 {
		t.Errorf("author ids %v", ids)
	}
}

// TestCoverageRowOnRecordElsewhere: a piece on record in a campaign the
// user may not see (CoverageTitles gives no title) is a duplicate whose
// problem says so, without naming the piece.
func TestCoverageRowOnRecordElsewhere(t *testing.T) {
	at := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	p := &CoveragePlan{Rows: []CoverageRow{{Row: 2, Status: CoverageNew, Input: crm.CoverageInput{URL: "https://b.example/y", Title: "B", PublishedAt: at}}}}
	p.check(map[string]crm.AuthorMatch{}, map[string]string{"https://b.example/y": ""}, func(time.Time) []string { return nil })
	r := p.Rows[0]
	if r.Status != CoverageDuplicate || p.Duplicates != 1 || len(r.Problems) != 1 ||
		r.Problems[0] != (CoverageProblem{Message: "This piece is on record already, in a campaign you cannot see."}) {
		t.Errorf("status %s, problems %+v", r.Status, r.Problems)
	}
}

// fuzzCoverageBudget bounds one fuzz input: four times the largest seed,
// far below MaxCoverageBytes, so that each input is read, planned and
// written back (the rejected rows) in milliseconds and the fuzzer explores
// shapes rather than lengths. The size limit itself is TestReadCoverageTooLarge's.
const fuzzCoverageBudget = 64 << 10

// FuzzReadCoverage: any bytes read as a coverage file (CSV in any encoding
// and delimiter, XLSX) and run through the dry run without a database (the
// guessed mapping, every row read and checked, the rejected-rows table)
// never panic, stay within the row limit, accept only real days, count every
// row once, and give back each rejected row with the file's own cells.
// Seeds: testdata/fuzz/FuzzReadCoverage (monitoring exports, encodings,
// broken quotes, formulas, an XLSX).
func FuzzReadCoverage(f *testing.F) {
	f.Add([]byte("Datum;Titel;Link\n30.11.2026;A;https://a.example\n"))
	f.Add([]byte("title,date\n\"x\"\"y\",2026-01-01\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzCoverageBudget {
			t.Skip("larger than the per-input budget")
		}
		cf, err := ReadCoverage("f.csv", data)
		if err != nil {
			return
		}
		if len(cf.Rows) > MaxCoverageRows {
			t.Fatalf("%d rows", len(cf.Rows))
		}
		for _, r := range cf.Rows {
			for _, c := range r.Cells {
				if d, ok := parseCoverageDate(strings.TrimSpace(c)); ok && d.IsZero() {
					t.Fatalf("zero date from %q", c)
				}
				_, _ = coverageKind(c)
				_, _ = parseCount(c)
			}
		}
		m := GuessCoverage(cf.Header)
		if checkCoverageMapping(cf.Header, m) != nil {
			return
		}
		p := &CoveragePlan{Header: cf.Header, Mapping: m}
		for _, rec := range cf.Rows {
			p.Rows = append(p.Rows, readCoverageRow(rec, cf.Header, m, 1))
		}
		p.check(map[string]crm.AuthorMatch{}, map[string]string{}, func(time.Time) []string { return nil })
		if p.New+p.Duplicates+p.Errors != len(p.Rows) {
			t.Fatalf("%d new + %d duplicates + %d errors for %d rows", p.New, p.Duplicates, p.Errors, len(p.Rows))
		}
		rej := p.Rejected(func(pr CoverageProblem) string { return pr.Message })
		if len(rej.Rows) != p.Duplicates+p.Errors {
			t.Fatalf("%d rejected rows for %d duplicates and %d errors", len(rej.Rows), p.Duplicates, p.Errors)
		}
		for _, row := range rej.Rows {
			if len(row) != len(rej.Header) {
				t.Fatalf("rejected row of %d cells under %d columns", len(row), len(rej.Header))
			}
		}
	})
}

// TestReadCoverageTooLarge: a file over MaxCoverageBytes is refused with a
// message before it is read.
func TestReadCoverageTooLarge(t *testing.T) {
	big := []byte("Titel;Datum\n" + strings.Repeat("Ein Artikel;30.11.2026\n", MaxCoverageBytes/20))
	_, err := ReadCoverage("gross.csv", big)
	if err == nil || !strings.Contains(err.Error(), "512 KB") {
		t.Fatalf("err %v, want the size message", err)
	}
}
