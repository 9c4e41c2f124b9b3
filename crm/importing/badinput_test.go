package importing_test

import (
	"archive/zip"
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/importrow"
)

// TestBadRows: rows that cannot be imported become errors with a reason;
// the good rows around them import.
func TestBadRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		u := staff(t, d)
		file := "Vorname,Nachname,E-Mail,E-Mail,Notiz\n" +
			"Ok,Eins,eins@example.de,,\n" +
			"Nul,Byte,nul@example.de,,a\x00b\n" +
			"Bad,Utf8,bad@example.de,,\xff\xfe\n" +
			"Big,Cell,big@example.de,," + strings.Repeat("x", 10<<20) + "\n" +
			"Bare,Quote,bare@example.de,,say \"hi\" now\n" +
			"Formula,Row,formula@example.de,,'=1+1\n" +
			"Kein,Mail,keine-adresse,,\n" +
			",,,,\n" +
			"Zwei,Mails,zwei@example.de,zwei@privat.example,\n" +
			"Offen,Quote,offen@example.de,,\"never closed\n"
		j := upload(t, d, u, "bad.csv", []byte(file), nil)
		o := importing.OptionsOf(j)
		o.Encoding = "utf-8" // as the user would choose: the file is UTF-8 with one broken cell
		j, err := importing.Settings(ctx, d.Client, j, o)
		if err != nil {
			t.Fatal(err)
		}
		if j.Mapping["E-Mail (2)"] != "email" {
			t.Errorf("duplicate header: mapping %v", j.Mapping)
		}
		j = run(t, d, j.ID)
		rows := d.Client.ImportRow.Query().Where(importrow.ImportID(j.ID), importrow.DryRun(false)).Order(importrow.ByRowNo()).AllX(ctx)
		got := map[int]string{}
		for _, r := range rows {
			got[r.RowNo] = string(r.Action) + ": " + r.Reason
		}
		want := map[int]string{2: "create", 3: "create: Notiz: NUL", 4: "error: Notiz: the cell is not valid text", 5: "error: Notiz: the cell holds",
			6: "error: A quote", 7: "create", 8: "error: E-mail", 10: "create", 11: "error: A quote that opens"}
		for row, w := range want {
			if !strings.HasPrefix(got[row], w) && !strings.Contains(got[row], strings.TrimPrefix(w, "error: ")) {
				t.Errorf("row %d: %q, want %q…", row, got[row], w)
			}
		}
		if _, ok := got[9]; ok {
			t.Errorf("the empty row 9 has an outcome: %q", got[9])
		}
		if j.ProcessedRows != 10 {
			t.Errorf("processed %d rows, want 10", j.ProcessedRows)
		}
		f := contactByEmail(t, d, "formula@example.de")
		if f.Bio != "=1+1" {
			t.Errorf("neutralised formula came back as %q", f.Bio)
		}
		two := contactByEmail(t, d, "zwei@example.de")
		if len(two.Emails) != 2 {
			t.Errorf("two e-mail columns: %+v", two.Emails)
		}
		var out bytes.Buffer
		if err := importing.WriteRejected(ctx, d.Client, j, false, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "keine-adresse") || !strings.Contains(out.String(), "Reason") {
			t.Errorf("rejected rows CSV:\n%.1000s", out.String())
		}
	})
}

// TestZipBomb: an archive that would unpack to gigabytes is refused before
// anything is unpacked.
func TestZipBomb(t *testing.T) {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} {
		f, _ := w.Create(name)
		if name == "xl/worksheets/sheet1.xml" {
			chunk := bytes.Repeat([]byte{'0'}, 1<<20)
			for range 300 { // 300 MB of zeros, about 300 KB compressed
				_, _ = f.Write(chunk)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, err := importing.Detect("bomb.xlsx", buf.Bytes())
	if err == nil || !strings.Contains(err.Error(), "unpack") {
		t.Fatalf("zip bomb: %v", err)
	}
}

// TestDetect: delimiters and encodings.
func TestDetect(t *testing.T) {
	utf16 := func(s string, le bool) []byte {
		var b bytes.Buffer
		if le {
			b.Write([]byte{0xFF, 0xFE})
		} else {
			b.Write([]byte{0xFE, 0xFF})
		}
		for _, r := range s {
			if le {
				b.Write([]byte{byte(r), byte(r >> 8)})
			} else {
				b.Write([]byte{byte(r >> 8), byte(r)})
			}
		}
		return b.Bytes()
	}
	for name, tc := range map[string]struct {
		data       []byte
		enc, delim string
	}{
		"comma":        {[]byte("a,b,c\n1,2,3\n"), "utf-8", ","},
		"semicolon":    {[]byte("a;b;c\n\"1,5\";2;3\n"), "utf-8", ";"},
		"tab":          {[]byte("a\tb\tc\n1\t2\t3\n"), "utf-8", "\t"},
		"pipe":         {[]byte("a|b|c\n1|2|3\n"), "utf-8", "|"},
		"sep_line":     {[]byte("sep=;\na,b;c\n"), "utf-8", ";"},
		"bom":          {[]byte("\xEF\xBB\xBFName,Mail\nÖ,x\n"), "utf-8", ","},
		"utf16le":      {utf16("Name;Stadt\r\nÜlkü;München\r\n", true), "utf-16le", ";"},
		"utf16be":      {utf16("Name;Stadt\r\nÜlkü;München\r\n", false), "utf-16be", ";"},
		"windows1252":  {[]byte("Name;Stadt\r\nM\xfcller;K\xf6ln \x80\r\n"), "windows-1252", ";"},
		"vcard_no_ext": {[]byte("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A\r\nEND:VCARD\r\n"), "utf-8", ""},
	} {
		t.Run(name, func(t *testing.T) {
			s, err := importing.Detect("f.csv", tc.data)
			if err != nil {
				t.Fatal(err)
			}
			if s.Encoding != tc.enc || s.Delimiter != tc.delim {
				t.Errorf("detected %q %q, want %q %q", s.Encoding, s.Delimiter, tc.enc, tc.delim)
			}
			if name == "utf16le" || name == "windows1252" {
				src, err := importing.Open("f.csv", tc.data, importing.Options{}, importing.DefaultLimits)
				if err != nil {
					t.Fatal(err)
				}
				rec, _ := src.Next()
				if !strings.HasPrefix(rec.Cells[0], "Ülkü") && !strings.HasPrefix(rec.Cells[0], "Müller") || !strings.HasPrefix(rec.Cells[1], "München") && rec.Cells[1] != "Köln €" {
					t.Errorf("decoded %q", rec.Cells)
				}
			}
		})
	}
}
