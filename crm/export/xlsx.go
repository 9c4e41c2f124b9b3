package export

import (
	"archive/zip"
	"compress/flate"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// xlsxWriter streams rows into a workbook: a bold, frozen header row, text
// cells (a formula payload stays a string, never a formula) and numbers for
// numeric columns.
type xlsxWriter struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	out  io.Writer
	cols []Column
	text int
	n    int
	rec  []any
	ref  []byte // the name of the row's first cell
}

const sheet = "Contacts"

func newXLSX(w io.Writer, cols []Column) (*xlsxWriter, error) {
	f := excelize.NewFile()
	// excelize builds the zip in a buffer the size of the file, then copies
	// it to w; the zip writer writes straight to w instead, so the buffer
	// stays empty. (It would only be needed to mark zip64 entries, for a
	// sheet of more than 4 GB.)
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return fastZip(w) })
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 49})
	if err != nil {
		return nil, err
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // 49 is "@": text
	if err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return nil, err
	}
	for i, c := range cols {
		width := 18.0
		if c.Numeric {
			width = 10
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return nil, err
		}
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = excelize.Cell{StyleID: bold, Value: c.Header}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return nil, err
	}
	return &xlsxWriter{f: f, sw: sw, out: w, cols: cols, text: text, n: 1, rec: make([]any, len(cols))}, nil
}

func (x *xlsxWriter) row(r *Row) error {
	for i, c := range x.cols {
		v := c.value(r, "2006-01-02")
		if c.Numeric {
			if n, err := strconv.ParseInt(v, 10, 64); err == nil {
				x.rec[i] = excelize.Cell{Value: n}
				continue
			}
		}
		x.rec[i] = excelize.Cell{StyleID: x.text, Value: v}
	}
	x.n++
	x.ref = strconv.AppendInt(append(x.ref[:0], 'A'), int64(x.n), 10)
	return x.sw.SetRow(string(x.ref), x.rec)
}

// fastZip compresses the workbook with deflate's fastest level: the sheet
// of a large export is most of the work of writing it, and the file is
// only a little larger.
func fastZip(w io.Writer) excelize.ZipWriter {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestSpeed)
	})
	return zw
}

func (x *xlsxWriter) close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return x.f.Write(x.out)
}
