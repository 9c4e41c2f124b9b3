package export

import "io"

// WriteTable writes a plain table (a header and rows of text, neutralised
// against formulas like every export cell) as an XLSX workbook with the
// export's writer: bold, frozen header row, text cells. For summaries such
// as the record of processing.
func WriteTable(w io.Writer, header []string, rows [][]string) error {
	var cur []string
	cols := make([]Column, len(header))
	for i, h := range header {
		cols[i] = Column{Key: h, Header: h, text: func(*Row) string {
			if i < len(cur) {
				return Neutralize(cur[i])
			}
			return ""
		}}
	}
	x, err := newXLSX(w, cols)
	if err != nil {
		return err
	}
	var r Row
	for _, row := range rows {
		cur = row
		if err := x.row(&r); err != nil {
			return err
		}
	}
	return x.close()
}
