package importing

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
)

// Limits of a coverage import: it is read, checked and written in one
// request, so the file is small (a monitoring tool's export of a campaign).
const (
	MaxCoverageBytes = 512 << 10
	MaxCoverageRows  = 1000
)

// CoverageFields are the targets a column of a coverage file maps to, with
// the header spellings of monitoring exports, German and English.
var CoverageFields = []Field{
	{Key: "url", Label: "Web address (URL)", aliases: []string{"url", "link", "article url", "artikel-url", "artikel url", "web address", "webadresse", "permalink"}},
	{Key: "title", Label: "Title / headline", aliases: []string{"title", "titel", "headline", "überschrift", "schlagzeile", "article title"}},
	{Key: "outlet", Label: "Outlet", aliases: []string{"outlet", "medium", "publication", "publikation", "source", "quelle", "media", "medien", "zeitung"}},
	{Key: "outlet_type", Label: "Outlet type", aliases: []string{"outlet type", "media type", "medientyp", "mediengattung", "gattung"}},
	{Key: "published_at", Label: "Published on", aliases: []string{"date", "datum", "published", "published at", "publication date", "veröffentlicht", "veröffentlicht am", "erscheinungsdatum"}},
	{Key: "kind", Label: "Kind", aliases: []string{"kind", "art", "type", "typ", "format"}},
	{Key: "reach", Label: "Reach / views", aliases: []string{"reach", "reichweite", "audience", "views", "aufrufe", "circulation", "auflage", "visits"}},
	{Key: "sentiment", Label: "Sentiment", aliases: []string{"sentiment", "tonalität", "tonalitaet", "tone", "stimmung"}},
	{Key: "authors", Label: "Authors (names or e-mail addresses)", Multi: true, aliases: []string{"author", "authors", "autor", "autorin", "autoren", "journalist", "journalistin", "byline", "contact", "kontakt", "author email", "e-mail", "email"}},
}

var coverageAlias = func() map[string]string {
	m := map[string]string{}
	for _, f := range CoverageFields {
		for _, a := range append([]string{f.Key, f.Label}, f.aliases...) {
			if _, taken := m[headerKey(a)]; !taken {
				m[headerKey(a)] = f.Key
			}
		}
	}
	return m
}()

// GuessCoverage maps each column to a coverage field by its name; unknown
// columns are ignored (""), a single-value field goes to its first column.
func GuessCoverage(header []string) map[string]string {
	m := make(map[string]string, len(header))
	used := map[string]bool{}
	for _, h := range header {
		k := coverageAlias[headerKey(h)]
		if k != "" && (k == "authors" || !used[k]) {
			m[h], used[k] = k, true
		} else {
			m[h] = ""
		}
	}
	return m
}

// checkCoverageMapping: known fields, one column per single-value field, and
// a title and a date.
func checkCoverageMapping(header []string, m map[string]string) error {
	cols := map[string][]string{}
	for _, h := range header {
		k := m[h]
		if k == "" {
			continue
		}
		if !slices.ContainsFunc(CoverageFields, func(f Field) bool { return f.Key == k }) {
			return invalid("Column %q is mapped to an unknown field.", h)
		}
		cols[k] = append(cols[k], h)
	}
	for k, cs := range cols {
		if len(cs) > 1 && k != "authors" {
			return invalid("Several columns are mapped to a field that takes one value: %s. Map one of them, ignore the others.", strings.Join(cs, ", "))
		}
	}
	if len(cols["title"]) == 0 || len(cols["published_at"]) == 0 {
		return invalid("Map a column to the title and one to the publication date.")
	}
	return nil
}

// CoverageFile is a coverage file as read: its header and rows.
type CoverageFile struct {
	Header []string
	Rows   []Record
}

// ReadCoverage reads a CSV or XLSX coverage file with the import's reader
// (format, encoding and delimiter detected), at most MaxCoverageRows rows.
func ReadCoverage(name string, data []byte) (*CoverageFile, error) {
	return readSmallFile(name, data, "This is a vCard file. A coverage file is CSV or XLSX, one piece per row.")
}

// readSmallFile reads a CSV or XLSX file of at most MaxCoverageBytes and
// MaxCoverageRows rows (the coverage and figures imports); a vCard gets
// vcardMsg.
func readSmallFile(name string, data []byte, vcardMsg string) (*CoverageFile, error) {
	if len(data) > MaxCoverageBytes {
		return nil, invalid("The file is larger than 512 KB. Split it and import the parts.") // MaxCoverageBytes
	}
	s, err := Detect(name, data)
	if err != nil {
		return nil, err
	}
	if s.Format == FormatVCard {
		return nil, invalid("%s", vcardMsg)
	}
	src, err := Open(name, data, Options{}, DefaultLimits)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	f := &CoverageFile{Header: src.Header()}
	for {
		rec, err := src.Next()
		if errors.Is(err, io.EOF) {
			return f, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		if rec.Err == "" && blank(rec.Cells) {
			continue
		}
		if len(f.Rows) == MaxCoverageRows {
			return nil, invalid("The file has more than 1,000 rows. Split it and import the parts.") // MaxCoverageRows
		}
		rec.Cells = clone(rec.Cells)
		f.Rows = append(f.Rows, rec)
	}
}
