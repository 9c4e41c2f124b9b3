package importing

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/layouts")

// golden is what a sample file of a known layout imports as: the layout
// recognised, the column report and every field of every contact.
type golden struct {
	Layout   string
	Report   ColumnReport
	Contacts []crm.ContactInput
	Warnings [][]string
}

// TestLayoutsGolden reads each sample export (written from the vendors'
// documented columns) through detection, the guessed mapping and the row
// mapper, and compares every field of every contact with its golden file.
func TestLayoutsGolden(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join("testdata", "layouts", "*"))
	n := 0
	for _, f := range files {
		if strings.HasSuffix(f, ".golden.json") {
			continue
		}
		n++
		t.Run(filepath.Base(f), func(t *testing.T) {
			got := importSample(t, f)
			b, err := json.MarshalIndent(got, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			path := f + ".golden.json"
			if *update {
				if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestLayoutsGolden -update, then read the file)", err)
			}
			if !bytes.Equal(bytes.TrimSpace(want), bytes.TrimSpace(b)) {
				t.Errorf("%s differs from its golden file; got:\n%s", filepath.Base(f), b)
			}
		})
	}
	if n < 12 {
		t.Fatalf("%d sample files, want one per layout (12)", n)
	}
}

func importSample(t *testing.T, path string) golden {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	src, err := Open(filepath.Base(path), data, Options{}, DefaultLimits)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	header := src.Header()
	m := Guess(header)
	if err := CheckMapping(header, m); err != nil {
		t.Fatalf("guessed mapping: %v", err)
	}
	var g golden
	if l := DetectLayout(header); l != nil {
		g.Layout = l.Key
	}
	mp := NewMapper(header, m, DefaultLimits)
	var recs []Record
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec.Err != "" {
			t.Fatalf("row %d: %s", rec.Row, rec.Err)
		}
		if blank(rec.Cells) {
			continue
		}
		recs = append(recs, Record{Row: rec.Row, Cells: clone(rec.Cells)})
		d, err := mp.Map(rec.Cells)
		if err != nil {
			t.Fatalf("row %d: %v", rec.Row, err)
		}
		in, warns := applyRow(crm.ContactInput{}, d, true)
		if err := in.Check(); err != nil {
			t.Fatalf("row %d: %v", rec.Row, err)
		}
		g.Contacts = append(g.Contacts, in)
		g.Warnings = append(g.Warnings, append(d.Warnings, warns...))
	}
	g.Report = Report(header, recs, m)
	return g
}

// TestReportNamesUnmappedColumns: the preview's report counts the columns
// that hold data, lists each unmapped one with samples and a suggestion, and
// leaves out what the layout knows Rapport does not keep.
func TestReportNamesUnmappedColumns(t *testing.T) {
	header := []string{"Name", "E-Mail", "Business Street", "Zweitadresse", "Leer", "Handy privat"}
	recs := []Record{
		{Cells: []string{"Miriam Klein", "miriam@example.com", "Hauptstraße 1", "m.k@example.org", "", "0171 2345678"}},
		{Cells: []string{"Jonas Brandt", "jonas@example.com", "Ring 2", "", "", ""}},
	}
	m := map[string]string{"Name": "name", "E-Mail": "email"}
	r := Report(header, recs, m)
	if r.WithData != 5 || r.Mapped != 2 || r.Complete() {
		t.Fatalf("report = %d of %d mapped, want 2 of 5", r.Mapped, r.WithData)
	}
	want := map[string]string{"Business Street": "note", "Zweitadresse": "email", "Handy privat": "phone"}
	if len(r.Unmapped) != len(want) {
		t.Fatalf("unmapped = %+v", r.Unmapped)
	}
	for _, u := range r.Unmapped {
		if want[u.Column] != u.Suggest {
			t.Errorf("%s: suggested %q, want %q", u.Column, u.Suggest, want[u.Column])
		}
		if len(u.Samples) == 0 {
			t.Errorf("%s: no samples", u.Column)
		}
	}
	if s := r.Unmapped[0].Samples; len(s) != 2 || s[0] != "Hauptstraße 1" || s[1] != "Ring 2" {
		t.Errorf("samples of Business Street = %q", s)
	}
}

// TestGoogleMultiValueCell: a Google cell with two e-mails joined by " ::: "
// gives two e-mails, not a rejected row.
func TestGoogleMultiValueCell(t *testing.T) {
	header := []string{"Given Name", "Family Name", "Group Membership", "E-mail 1 - Value"}
	mp := NewMapper(header, Guess(header), DefaultLimits)
	d, err := mp.Map([]string{"Lena", "Schulz", "* myContacts ::: Presse", "a@example.com ::: b@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	in, _ := applyRow(crm.ContactInput{}, d, true)
	if err := in.Check(); err != nil {
		t.Fatal(err)
	}
	if len(in.Emails) != 2 || in.Emails[1].Address != "b@example.com" || len(in.Tags) != 1 || in.Tags[0] != "Presse" {
		t.Fatalf("got %+v", in)
	}
}
