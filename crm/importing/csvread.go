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
	for {
		rec, err := s.Next()
		if errors.Is(err, io.EOF) {
			return nil, invalid("The file is empty: it has no column names and no rows.")
		}
		if err != nil {
			return nil, err
		}
		if rec.Err != "" {
			return nil, invalid("The first row (the column names) cannot be read: %s", rec.Err)
		}
		if blank(rec.Cells) {
			continue
		}
		if len(rec.Cells) > lim.MaxColumns {
			return nil, invalid("The file has %d columns; Rapport reads at most %d. Is the delimiter right?", len(rec.Cells), lim.MaxColumns)
		}
		s.header, _ = uniqueHeader(rec.Cells)
		return s, nil
	}
}

func (s *csvSource) Header() []string { return s.header }

func (s *csvSource) Close() error { return nil }

// Next returns the next record; a malformed one comes back with Err set
// (the reader goes on after it), never as a failure of the whole file.
func (s *csvSource) Next() (Record, error) {
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
