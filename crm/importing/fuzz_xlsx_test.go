package importing

import (
	"archive/zip"
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/rapport-crm/rapport/crm"
)

// fuzzXLSXLimits keeps one fuzz input cheap: a workbook may unpack to 4 MiB.
var fuzzXLSXLimits = Limits{MaxColumns: 1000, MaxCell: 64 << 10, MaxUnzipped: 4 << 20, MaxCells: 100_000}

// FuzzReadXLSX: any bytes read as a workbook never panic, hang or unpack
// more than the limit; a workbook that cannot be read says so as a message
// for the user (EInvalid), never as an internal error; what comes out is text.
// The seeds in testdata/fuzz/FuzzReadXLSX come from TestWriteXLSXSeeds.
func FuzzReadXLSX(f *testing.F) {
	for _, s := range xlsxSeeds(f) {
		f.Add(s.data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		hang := time.AfterFunc(10*time.Second, func() { panic(fmt.Sprintf("reading %d bytes took over 10 s: a hang", len(data))) })
		defer hang.Stop()
		if !bytes.HasPrefix(data, []byte("PK")) {
			return // not a zip: the CSV and vCard targets read it
		}
		sheets, err := xlsxSheets(data, fuzzXLSXLimits)
		if err != nil {
			if code := crm.ErrorCode(err); code != crm.EInvalid {
				t.Fatalf("listing the sheets failed as %s, not as invalid input: %v", code, err)
			}
			return
		}
		for _, sheet := range sheets[:min(len(sheets), 3)] {
			src, err := openXLSX(data, sheet, fuzzXLSXLimits)
			if err != nil {
				if code := crm.ErrorCode(err); code != crm.EInvalid {
					t.Fatalf("opening sheet %q failed as %s, not as invalid input: %v", sheet, code, err)
				}
				continue
			}
			for _, h := range src.Header() {
				if h == "" || !utf8.ValidString(h) {
					t.Fatalf("column name %q", h)
				}
			}
			drain(t, src)
			if err := src.Close(); err != nil {
				t.Fatalf("close: %v", err)
			}
		}
	})
}

type xlsxSeed struct {
	name string
	data []byte
}

// xlsxSeeds makes the seed workbooks: a tiny valid one written by excelize,
// the same cut short, one whose sheet would unpack past the limit (a small
// zip bomb), and one whose entry claims fewer bytes than it holds.
func xlsxSeeds(tb testing.TB) []xlsxSeed {
	x := excelize.NewFile()
	defer x.Close()
	for cell, v := range map[string]any{"A1": "Vorname", "B1": "E-Mail", "C1": "Follower", "A2": "Jürgen", "B2": "jm@example.de", "C2": 12500,
		"A3": "=HYPERLINK(\"x\")", "B3": "'@evil", "C3": 1.5} {
		if err := x.SetCellValue("Sheet1", cell, v); err != nil {
			tb.Fatal(err)
		}
	}
	if _, err := x.NewSheet("Zweites Blatt"); err != nil {
		tb.Fatal(err)
	}
	if err := x.SetCellValue("Zweites Blatt", "A1", "Name"); err != nil {
		tb.Fatal(err)
	}
	buf, err := x.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	valid := buf.Bytes()
	return []xlsxSeed{
		{"valid", valid},
		{"truncated", valid[:len(valid)*2/3]},
		{"bomb", zipOf(tb, map[string][]byte{"[Content_Types].xml": nil, "xl/workbook.xml": nil,
			"xl/worksheets/sheet1.xml": bytes.Repeat([]byte{'0'}, 5<<20)}, 0)},
		{"lying_size", zipOf(tb, map[string][]byte{"[Content_Types].xml": nil, "xl/workbook.xml": []byte("<workbook/>"),
			"xl/worksheets/sheet1.xml": bytes.Repeat([]byte("<row/>"), 1<<10)}, 100)},
	}
}

// zipOf writes files into a zip; a positive claim replaces the uncompressed
// size every entry declares.
func zipOf(tb testing.TB, files map[string][]byte, claim uint64) []byte {
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"} {
		content, ok := files[name]
		if !ok {
			continue
		}
		var err error
		if claim > 0 {
			err = writeClaiming(w, name, content, claim)
		} else {
			var f interface{ Write([]byte) (int, error) }
			if f, err = w.Create(name); err == nil {
				_, err = f.Write(content)
			}
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// writeClaiming stores content uncompressed under a header that declares
// claim bytes.
func writeClaiming(w *zip.Writer, name string, content []byte, claim uint64) error {
	h := &zip.FileHeader{Name: name, Method: zip.Store, CompressedSize64: uint64(len(content)), UncompressedSize64: claim}
	f, err := w.CreateRaw(h)
	if err != nil {
		return err
	}
	_, err = f.Write(content)
	return err
}

// TestXLSXSeeds: the seeds reach where they should: the valid workbook is
// read to its rows, the others are refused with a message.
func TestXLSXSeeds(t *testing.T) {
	want := map[string]string{"truncated": "cannot be opened", "bomb": "would unpack to more than 4 MiB", "lying_size": "cannot be read"}
	for _, s := range xlsxSeeds(t) {
		src, err := openXLSX(s.data, "", fuzzXLSXLimits)
		if s.name == "valid" {
			if err != nil {
				t.Fatalf("valid: %v", err)
			}
			rec, err := src.Next()
			if got := fmt.Sprint(src.Header(), rec.Cells, err); got != "[Vorname E-Mail Follower] [Jürgen jm@example.de 12500] <nil>" {
				t.Errorf("valid: %s", got)
			}
			src.Close()
			continue
		}
		if err == nil || crm.ErrorCode(err) != crm.EInvalid || !strings.Contains(err.Error(), want[s.name]) {
			t.Errorf("%s: %v, want invalid input saying %q", s.name, err, want[s.name])
		}
	}
}

// TestWriteXLSXSeeds writes the seed corpus of FuzzReadXLSX into testdata
// when RAPPORT_WRITE_SEEDS=1 (the seeds are committed; the crashers fuzzing
// found sit beside them).
func TestWriteXLSXSeeds(t *testing.T) {
	if os.Getenv("RAPPORT_WRITE_SEEDS") != "1" {
		t.Skip("set RAPPORT_WRITE_SEEDS=1 to rewrite testdata/fuzz/FuzzReadXLSX")
	}
	dir := filepath.Join("testdata", "fuzz", "FuzzReadXLSX")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, s := range xlsxSeeds(t) {
		body := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", s.data)
		if err := os.WriteFile(filepath.Join(dir, "seed_"+s.name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
