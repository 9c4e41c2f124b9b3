package importing

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/rapport-crm/rapport/crm"
)

// drain reads every record of a source, as a dry run would, with a bound.
func drain(t *testing.T, src Source) {
	for range 10_000 {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			return
		}
		if rec.Row <= 0 {
			t.Fatalf("record without a row number: %+v", rec)
		}
	}
}

func seedFiles(f *testing.F) {
	for _, name := range []string{"excel-de-windows1252.csv", "excel-utf8-bom.csv", "contacts.vcf"} {
		if b, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(b)
		}
	}
}

// FuzzReadCSV: detection and decoding of any bytes as a CSV (or whatever
// Detect says it is) never panics, and what comes out is text.
func FuzzReadCSV(f *testing.F) {
	seedFiles(f)
	f.Add([]byte("a;b\n\"x;y\";\"z\"\"q\"\n"))
	f.Add([]byte("\xFF\xFEa\x00,\x00b\x00\n\x00"))
	f.Add([]byte("sep=|\na|b\n1|2"))
	f.Add([]byte("a,b\n\"open\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Detect("f.csv", data)
		if err != nil || s.Format != FormatCSV {
			return
		}
		src, err := Open("f.csv", data, Options{}, DefaultLimits)
		if err != nil {
			return
		}
		for _, h := range src.Header() {
			if h == "" {
				t.Fatal("empty column name")
			}
		}
		if s.Encoding != "utf-8" {
			for _, h := range src.Header() {
				if !utf8.ValidString(h) {
					t.Fatalf("decoded header is not UTF-8: %q", h)
				}
			}
		}
		drain(t, src)
	})
}

// FuzzVCard: any bytes read as vCard never panic or loop.
func FuzzVCard(f *testing.F) {
	seedFiles(f)
	f.Add([]byte("BEGIN:VCARD\nN;ENCODING=QUOTED-PRINTABLE:=C3=\n=96\nEND:VCARD"))
	f.Add([]byte("BEGIN:VCARD\nitem1.URL:x\nitem1.X-ABLabel:Twitter\nBEGIN:VCARD\n"))
	f.Add([]byte("BEGIN:VCARD\r\nNOTE:a\\\r\n b\\,c\\;d\\n\r\nCATEGORIES:a\\,b,c\r\nEND:VCARD\r\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		drain(t, openVCard(data, ""))
	})
}

// FuzzMapRow: the row mapper takes any cells (under a mapping that uses
// every field) without panicking, and what it returns passes as text.
func FuzzMapRow(f *testing.F) {
	f.Add("Jürgen", "j@example.de", "@jm_sz", "1.250.000", "x:foo (12); youtube:bar", "DE")
	f.Add("=HYPERLINK(\"x\")", "'@evil", "https://youtube.com/c/Name", "not-a-number", "nonsense", "Deutschland")
	f.Add("\x00", "\xff", "", "1,5 Mio", ":", "")
	f.Fuzz(func(t *testing.T, a, b, c, d, e, g string) {
		header := make([]string, 0, len(Fields))
		m := map[string]string{}
		for _, fl := range Fields {
			header = append(header, fl.Key)
			m[fl.Key] = fl.Key
		}
		cells := make([]string, len(header))
		vals := []string{a, b, c, d, e, g}
		for i := range cells {
			cells[i] = vals[i%len(vals)]
		}
		row, err := NewMapper(header, m, DefaultLimits).Map(cells)
		if err != nil {
			return
		}
		in, _ := applyRow(cloneInput(row2base()), row, true)
		_ = in.Check()
		for _, e := range in.Emails {
			if !utf8.ValidString(e.Address) {
				t.Fatalf("invalid text passed: %q", e.Address)
			}
		}
	})
}

func row2base() (in crm.ContactInput) { return }
