package importing

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// csvSource streams a CSV file through its decoder: memory holds one record
// at a time, never the decoded file.
type csvSource struct {
	r      *csv.Reader
	header []string
	row    int // spreadsheet row of the last record read
	lim    Limits
	ahead  []Record // records read while looking for the header, served first
}

func openCSV(data []byte, enc, delim string, lim Limits) (Source, error) {
	if !ValidEncoding(enc) {
		return nil, invalid("Choose one of the listed encodings.")
	}
	if !ValidDelimiter(delim) {
		return nil, invalid("Choose one of the listed delimiters.")
	}
	br := bufio.NewReaderSize(Decoder(enc, bytes.NewReader(data)), 64<<10)
	if peek, _ := br.Peek(8); len(peek) >= 5 {
		if _, ok := sepLine(string(peek)); ok {
			_, _ = br.ReadString('\n') // Excel's "sep=;" line is no row
		}
	}
	r := csv.NewReader(br)
	r.Comma, r.FieldsPerRecord, r.ReuseRecord = rune(delim[0]), -1, true
	s := &csvSource{r: r, lim: lim}
	var first []Record // the first rows, to find the header below any note lines
	for len(first) < preambleRows {
		rec, err := s.read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		rec.Cells = clone(rec.Cells)
		first = append(first, rec)
	}
	h := headerRow(first)
	if h < 0 {
		return nil, invalid("The file is empty: it has no column names and no rows.")
	}
	rec := first[h]
	if rec.Err != "" {
		return nil, invalid("The first row (the column names) cannot be read: %s", rec.Err)
	}
	if len(rec.Cells) > lim.MaxColumns {
		return nil, invalid("The file has %d columns; Rapport reads at most %d. Is the delimiter right?", len(rec.Cells), lim.MaxColumns)
	}
	s.header, _ = uniqueHeader(rec.Cells)
	s.ahead = first[h+1:]
	return s, nil
}

// preambleRows is how far down the header may stand.
const preambleRows = 12

// headerRow is the index of the header among the first rows: the first row
// that is not blank, unless it and the rows after it hold a single cell each
// (a note such as LinkedIn's "Notes:" lines) and a later row holds at least
// three. It is -1 when all are blank.
func headerRow(first []Record) int {
	start := -1
	filled := func(r Record) int {
		n := 0
		for _, c := range r.Cells {
			if strings.TrimSpace(c) != "" {
				n++
			}
		}
		return n
	}
	for i, r := range first {
		n := filled(r)
		if n == 0 && r.Err == "" {
			continue
		}
		if start < 0 {
			start = i
		}
		switch {
		case n >= 3:
			return i
		case n > 1 || r.Err != "":
			return start
		}
	}
	return start
}

func (s *csvSource) Header() []string { return s.header }

func (s *csvSource) Close() error { return nil }

// Next returns the next record; a malformed one comes back with Err set
// (the reader goes on after it), never as a failure of the whole file.
func (s *csvSource) Next() (Record, error) {
	if len(s.ahead) > 0 {
		rec := s.ahead[0]
		s.ahead = s.ahead[1:]
		return rec, nil
	}
	return s.read()
}

func (s *csvSource) read() (Record, error) {
	rec, err := s.r.Read()
	s.row++
	if errors.Is(err, io.EOF) {
		return Record{}, io.EOF
	}
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		msg := "the row is malformed"
		switch {
		case errors.Is(pe.Err, csv.ErrQuote):
			msg = fmt.Sprintf("a quote that opens a cell is never closed (line %d): the rest of the file may have been swallowed into this cell", pe.StartLine)
		case errors.Is(pe.Err, csv.ErrBareQuote):
			msg = fmt.Sprintf("a quote (\") stands inside a cell that is not quoted (line %d, column %d)", pe.Line, pe.Column)
		}
		return Record{Row: s.row, Cells: clone(rec), Err: msg}, nil
	}
	if err != nil {
		return Record{}, fmt.Errorf("read csv: %w", err)
	}
	return Record{Row: s.row, Cells: rec}, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

func clone(cells []string) []string {
	if cells == nil {
		return nil
	}
	return append([]string(nil), cells...)
}
