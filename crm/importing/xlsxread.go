package importing

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// checkZip refuses an XLSX that would unpack to more than the limit (a zip
// bomb) or that is no workbook at all, before excelize unpacks anything.
// Go's zip reader stops at an entry's declared size, so the sum of declared
// sizes bounds the real work.
func checkZip(data []byte, lim Limits) error {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return invalid("This file looks like a ZIP archive but cannot be opened. Is it a damaged .xlsx?")
	}
	var total uint64
	workbook := false
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if total > uint64(lim.MaxUnzipped) {
			return invalid("This workbook would unpack to more than %d MiB, more than Rapport reads. Save the sheet as CSV and import that.", lim.MaxUnzipped>>20)
		}
		if strings.EqualFold(f.Name, "xl/workbook.xml") {
			workbook = true
		}
	}
	if len(zr.File) > 10_000 {
		return invalid("This archive holds %d files; an Excel workbook has a few dozen.", len(zr.File))
	}
	if !workbook {
		return invalid("This is a ZIP archive but not an Excel workbook (.xlsx).")
	}
	return nil
}

func openWorkbook(data []byte, lim Limits) (*excelize.File, error) {
	if err := checkZip(data, lim); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: lim.MaxUnzipped, UnzipXMLSizeLimit: min(lim.MaxUnzipped, 16<<20)})
	if err != nil {
		return nil, invalid("This Excel workbook cannot be read (%s). Save it again in Excel, or as CSV.", xlsxReason(err))
	}
	return f, nil
}

func xlsxReason(err error) string {
	switch {
	case errors.Is(err, excelize.ErrWorkbookFileFormat), errors.Is(err, zip.ErrFormat):
		return "not a valid .xlsx"
	case errors.Is(err, excelize.ErrWorkbookPassword):
		return "it is protected by a password"
	case strings.Contains(err.Error(), "size limit"):
		return "it unpacks to too much data"
	}
	return "it is damaged or uses features Rapport does not read"
}

// xlsxSheets lists a workbook's sheets.
func xlsxSheets(data []byte, lim Limits) ([]string, error) {
	f, err := openWorkbook(data, lim)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, invalid("This workbook has no sheets.")
	}
	return sheets, nil
}

// xlsxSource streams one sheet row by row (excelize keeps large sheets in a
// temporary file, not in memory).
type xlsxSource struct {
	f      *excelize.File
	rows   *excelize.Rows
	header []string
	row    int
	cells  int64
	lim    Limits
}

func openXLSX(data []byte, sheet string, lim Limits) (Source, error) {
	f, err := openWorkbook(data, lim)
	if err != nil {
		return nil, err
	}
	if sheet == "" {
		if list := f.GetSheetList(); len(list) > 0 {
			sheet = list[0]
		}
	}
	rows, err := f.Rows(sheet)
	if err != nil {
		f.Close()
		return nil, invalid("The workbook has no sheet named %q.", sheet)
	}
	s := &xlsxSource{f: f, rows: rows, lim: lim}
	for {
		rec, err := s.Next()
		if errors.Is(err, io.EOF) {
			s.Close()
			return nil, invalid("The sheet %q is empty: it has no column names and no rows.", sheet)
		}
		if err != nil {
			s.Close()
			return nil, err
		}
		if rec.Err != "" {
			s.Close()
			return nil, invalid("The first row (the column names) cannot be read: %s", rec.Err)
		}
		if blank(rec.Cells) {
			continue
		}
		s.header, _ = uniqueHeader(rec.Cells)
		return s, nil
	}
}

func (s *xlsxSource) Header() []string { return s.header }

func (s *xlsxSource) Next() (Record, error) {
	if !s.rows.Next() {
		if err := s.rows.Error(); err != nil {
			return Record{}, invalid("The sheet cannot be read to the end (%s).", xlsxReason(err))
		}
		return Record{}, io.EOF
	}
	s.row++
	cells, err := s.rows.Columns()
	if err != nil {
		return Record{Row: s.row, Err: "the row cannot be read"}, nil
	}
	if len(cells) > s.lim.MaxColumns {
		return Record{Row: s.row, Err: fmt.Sprintf("the row has %d cells; Rapport reads at most %d", len(cells), s.lim.MaxColumns)}, nil
	}
	if s.cells += int64(len(cells)); s.cells > s.lim.MaxCells {
		return Record{}, invalid("The sheet has more than %d cells, more than Rapport reads in one import.", s.lim.MaxCells)
	}
	return Record{Row: s.row, Cells: cells}, nil
}

func (s *xlsxSource) Close() error {
	if s.rows != nil {
		_ = s.rows.Close()
	}
	return s.f.Close()
}
