package importing

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/rapport-crm/rapport/crm"
)

// Formats of an import file.
const (
	FormatCSV   = "csv"
	FormatXLSX  = "xlsx"
	FormatVCard = "vcard"
)

// Limits bound what one file may make the reader do.
type Limits struct {
	MaxColumns  int   // columns in the header (and in any row)
	MaxCell     int   // bytes in one cell
	MaxUnzipped int64 // bytes an XLSX may unpack to
	MaxCells    int64 // cells an XLSX sheet may hold
}

// DefaultLimits are generous for contact lists and small for attacks.
var DefaultLimits = Limits{MaxColumns: 1000, MaxCell: 64 << 10, MaxUnzipped: 200 << 20, MaxCells: 20_000_000}

// Options say how to read a file; empty fields are detected.
type Options struct {
	Format, Encoding, Delimiter, Sheet string
}

// Record is one row of a file: its number as a spreadsheet shows it (the
// header is row 1; for vCard, the card's number) and its cells. Err is set
// when the row could not be read at all; Cells may then be partial.
type Record struct {
	Row   int
	Cells []string
	Err   string
}

// Source streams the records of a file after its header.
type Source interface {
	// Header is the column names, made unique ("E-Mail", "E-Mail (2)").
	Header() []string
	// Next returns the next record, or io.EOF after the last.
	Next() (Record, error)
	Close() error
}

// Sniff is what detection found out about a file.
type Sniff struct {
	Format, Encoding, Delimiter string
	Sheets                      []string // XLSX only
}

func invalid(format string, args ...any) error { return crm.Errorf(crm.EInvalid, format, args...) }

// Detect tells the format of data (named name) and, for CSV, its encoding
// and delimiter; for XLSX, its sheets. Files that are none of the three get
// one clear message.
func Detect(name string, data []byte) (Sniff, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return Sniff{}, invalid("The file is empty.")
	}
	if kind := binaryKind(data); kind != "" {
		if strings.HasPrefix(kind, "an old") {
			return Sniff{}, invalid("This is an old Excel file (.xls). Open it in Excel and save it as .xlsx or CSV, then import that.")
		}
		return Sniff{}, invalid("This is %s, not a contact list. Rapport imports CSV, XLSX and vCard (.vcf) files.", kind)
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		sheets, err := xlsxSheets(data, DefaultLimits)
		if err != nil {
			return Sniff{}, err
		}
		return Sniff{Format: FormatXLSX, Sheets: sheets}, nil
	}
	enc := DetectEncoding(data)
	head, _ := io.ReadAll(io.LimitReader(Decoder(enc, bytes.NewReader(data)), 64<<10))
	if looksBinary(head) {
		return Sniff{}, invalid("This file holds binary data, not text. Rapport imports CSV, XLSX and vCard (.vcf) files.")
	}
	if isVCard(head) || strings.EqualFold(filepath.Ext(name), ".vcf") {
		return Sniff{Format: FormatVCard, Encoding: enc}, nil
	}
	return Sniff{Format: FormatCSV, Encoding: enc, Delimiter: DetectDelimiter(string(head))}, nil
}

// binaryKind names well-known non-text formats by their magic bytes.
func binaryKind(b []byte) string {
	magic := []struct {
		prefix, kind string
	}{
		{"\x89PNG", "a PNG image"}, {"\xFF\xD8\xFF", "a JPEG image"}, {"GIF8", "a GIF image"},
		{"%PDF", "a PDF document"}, {"\xD0\xCF\x11\xE0", "an old Excel file"},
		{"\x1F\x8B", "a gzip archive"}, {"Rar!", "a RAR archive"}, {"7z\xBC\xAF", "a 7-Zip archive"},
	}
	for _, m := range magic {
		if bytes.HasPrefix(b, []byte(m.prefix)) {
			return m.kind
		}
	}
	return ""
}

// looksBinary reports whether decoded text is mostly control characters.
func looksBinary(b []byte) bool {
	bad := 0
	for _, c := range b {
		if c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f' {
			bad++
		}
	}
	return len(b) > 0 && bad*10 > len(b)
}

func isVCard(head []byte) bool {
	s := strings.TrimLeft(string(head), "\uFEFF \t\r\n")
	return len(s) >= 11 && strings.EqualFold(s[:11], "BEGIN:VCARD")
}

// Open reads data as o says, detecting what o leaves empty.
func Open(name string, data []byte, o Options, lim Limits) (Source, error) {
	if o.Format == "" || (o.Format == FormatCSV && (o.Encoding == "" || o.Delimiter == "")) {
		s, err := Detect(name, data)
		if err != nil {
			return nil, err
		}
		if o.Format == "" {
			o.Format = s.Format
		}
		if o.Encoding == "" {
			o.Encoding = s.Encoding
		}
		if o.Delimiter == "" {
			o.Delimiter = s.Delimiter
		}
	}
	switch o.Format {
	case FormatCSV:
		return openCSV(data, o.Encoding, o.Delimiter, lim)
	case FormatXLSX:
		return openXLSX(data, o.Sheet, lim)
	case FormatVCard:
		return openVCard(data, o.Encoding), nil
	}
	return nil, fmt.Errorf("import: unknown format %q", o.Format)
}

// uniqueHeader names empty columns "Column N" and numbers repeated names, so
// every column has a name of its own that a mapping can refer to.
func uniqueHeader(cells []string) (names []string, dups []string) {
	seen := map[string]int{}
	names = make([]string, len(cells))
	for i, c := range cells {
		c = strings.TrimSpace(strings.ReplaceAll(strings.ReplaceAll(c, "\uFEFF", ""), "\x00", ""))
		if c == "" {
			c = fmt.Sprintf("Column %d", i+1)
		}
		k := strings.ToLower(c)
		seen[k]++
		if n := seen[k]; n > 1 {
			dups = append(dups, c)
			c = fmt.Sprintf("%s (%d)", c, n)
		}
		names[i] = c
	}
	return names, dups
}
