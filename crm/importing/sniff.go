// Package importing reads contact lists (CSV in any common encoding and
// delimiter, XLSX, vCard 2.1/3.0/4.0), maps their columns to contact fields,
// matches rows to existing contacts and runs an import as a job: a dry run,
// then transactional batches with progress that survive a crash, and a
// revert. Every row ends as created, updated, unchanged, merged or an error
// with a reason; none is dropped without a word.
package importing

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Encodings a CSV file can be read in, with their labels.
var Encodings = []struct{ Key, Label string }{
	{"utf-8", "UTF-8"},
	{"utf-16le", "UTF-16 (little endian)"},
	{"utf-16be", "UTF-16 (big endian)"},
	{"windows-1252", "Windows-1252 (Excel, Western Europe)"},
	{"iso-8859-1", "ISO-8859-1 (Latin-1)"},
	{"iso-8859-15", "ISO-8859-15 (Latin-9, with €)"},
}

// Delimiters a CSV file can use, with their labels.
var Delimiters = []struct{ Key, Label string }{
	{",", "comma ,"}, {";", "semicolon ;"}, {"\t", "tab"}, {"|", "pipe |"},
}

// ValidEncoding reports whether enc is one of Encodings.
func ValidEncoding(enc string) bool {
	for _, e := range Encodings {
		if e.Key == enc {
			return true
		}
	}
	return false
}

// ValidDelimiter reports whether d is one of Delimiters.
func ValidDelimiter(d string) bool {
	for _, x := range Delimiters {
		if x.Key == d {
			return true
		}
	}
	return false
}

// DetectEncoding names the encoding of a text file: a byte-order mark
// decides; without one, UTF-16 shows as NUL bytes in every other position;
// valid UTF-8 is UTF-8; anything else is taken for Windows-1252, which is
// what Excel writes in Western Europe (and a superset of ISO-8859-1's
// printable characters).
func DetectEncoding(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return "utf-8"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return "utf-16le"
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return "utf-16be"
	}
	if enc := utf16NoBOM(b[:min(len(b), 4096)]); enc != "" {
		return enc
	}
	if utf8.Valid(b) {
		return "utf-8"
	}
	return "windows-1252"
}

// utf16NoBOM spots UTF-16 without a byte-order mark in mostly-ASCII text.
func utf16NoBOM(b []byte) string {
	if len(b) < 4 {
		return ""
	}
	var even, odd int
	for i, c := range b {
		if c == 0 {
			if i%2 == 0 {
				even++
			} else {
				odd++
			}
		}
	}
	half := len(b) / 2
	switch {
	case odd > half*8/10 && even == 0:
		return "utf-16le"
	case even > half*8/10 && odd == 0:
		return "utf-16be"
	}
	return ""
}

// Decoder returns a reader of r as UTF-8, with any byte-order mark removed.
func Decoder(enc string, r io.Reader) io.Reader {
	var e encoding.Encoding
	switch enc {
	case "utf-16le":
		e = unicode.UTF16(unicode.LittleEndian, unicode.UseBOM)
	case "utf-16be":
		e = unicode.UTF16(unicode.BigEndian, unicode.UseBOM)
	case "windows-1252":
		e = charmap.Windows1252
	case "iso-8859-1":
		e = charmap.ISO8859_1
	case "iso-8859-15":
		e = charmap.ISO8859_15
	default:
		return transform.NewReader(r, unicode.BOMOverride(transform.Nop))
	}
	return transform.NewReader(r, unicode.BOMOverride(e.NewDecoder()))
}

// DetectDelimiter picks the delimiter under which the first lines of text
// (already UTF-8) split into the most columns, consistently: each candidate
// is parsed as CSV, so separators inside quoted cells do not count. An Excel
// "sep=;" first line wins outright.
func DetectDelimiter(sample string) string {
	if d, ok := sepLine(sample); ok {
		return d
	}
	best, bestScore := ",", 0
	for _, cand := range Delimiters {
		r := csv.NewReader(strings.NewReader(sample))
		r.Comma, r.FieldsPerRecord, r.LazyQuotes = rune(cand.Key[0]), -1, true
		var counts []int
		for len(counts) < 20 {
			rec, err := r.Read()
			if err != nil {
				break
			}
			counts = append(counts, len(rec))
		}
		if len(counts) == 0 || counts[0] < 2 {
			continue
		}
		same := 0
		for _, c := range counts {
			if c == counts[0] {
				same++
			}
		}
		// Consistency first, then width.
		if score := same*1000 + counts[0]; score > bestScore {
			best, bestScore = cand.Key, score
		}
	}
	return best
}

// sepLine reads Excel's "sep=X" hint line.
func sepLine(s string) (string, bool) {
	line, _, _ := strings.Cut(s, "\n")
	line = strings.TrimRight(line, "\r")
	if len(line) == 5 && strings.EqualFold(line[:4], "sep=") && ValidDelimiter(line[4:]) {
		return line[4:], true
	}
	return "", false
}
