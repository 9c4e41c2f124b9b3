package export

import (
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Table is a small table of figures (a report's section): a sheet of its
// own in XLSX, a file in CSV. Numeric marks the columns written as numbers.
type Table struct {
	Name    string
	Header  []string
	Numeric []bool
	Rows    [][]string
}

// WriteTableCSV writes t as UTF-8 CSV with the export's cell rules (line
// breaks, quoting, formula neutralisation).
func WriteTableCSV(w io.Writer, t Table) error {
	o := newCSVOut(w, ',')
	if err := o.record(t.Header); err != nil {
		return err
	}
	for _, r := range t.Rows {
		if err := o.record(r); err != nil {
			return err
		}
	}
	return o.flush()
}

// WriteTablesXLSX writes one sheet per table: a bold header, text cells
// (a formula payload stays a string, never a formula) and numbers in the
// numeric columns.
func WriteTablesXLSX(w io.Writer, tables []Table) error {
	f := excelize.NewFile()
	defer f.Close()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49})
	if err != nil {
		return err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return err
	}
	for i, t := range tables {
		name := sheetName(t.Name, i)
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		sw, err := f.NewStreamWriter(name)
		if err != nil {
			return err
		}
		head := make([]any, len(t.Header))
		for k, h := range t.Header {
			head[k] = excelize.Cell{StyleID: bold, Value: h}
		}
		if err := sw.SetRow("A1", head); err != nil {
			return err
		}
		for n, r := range t.Rows {
			rec := make([]any, len(r))
			for k, v := range r {
				if k < len(t.Numeric) && t.Numeric[k] {
					if x, err := strconv.ParseFloat(v, 64); err == nil {
						rec[k] = excelize.Cell{Value: x}
						continue
					}
				}
				rec[k] = excelize.Cell{StyleID: text, Value: v}
			}
			if err := sw.SetRow("A"+strconv.Itoa(n+2), rec); err != nil {
				return err
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	return f.Write(w)
}

// sheetName is a valid, unique sheet name for table i (at most 31
// characters, none of : \ / ? * [ ]).
func sheetName(s string, i int) string {
	out := make([]rune, 0, 31)
	for _, r := range s {
		switch r {
		case ':', '\\', '/', '?', '*', '[', ']':
			r = ' '
		}
		out = append(out, r)
		if len(out) == 27 {
			break
		}
	}
	if len(out) == 0 {
		return "Sheet " + strconv.Itoa(i+1)
	}
	return string(out)
}
