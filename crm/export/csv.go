package export

import (
	"bytes"
	"encoding/json"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"
)

// csvOut writes RFC 4180 records with CRLF line ends, byte for byte as
// encoding/csv does with UseCRLF, but from byte slices into its own buffer:
// a row costs no allocation. Every cell is made safe by cell rules first.
type csvOut struct {
	w     io.Writer
	comma byte
	buf   []byte
	val   []byte // the cell being prepared
}

// csvBufSize is how much csvOut gathers before it writes.
const csvBufSize = 64 << 10

func newCSVOut(w io.Writer, comma byte) *csvOut {
	return &csvOut{w: w, comma: comma, buf: make([]byte, 0, csvBufSize+4096)}
}

// field appends v as the next field of the record (first says it opens one),
// after the cell rules: line breaks become \n (a lone carriage return cannot
// survive CSV readers), then the value is neutralised.
func (o *csvOut) field(v []byte, first bool) {
	if !first {
		o.buf = append(o.buf, o.comma)
	}
	if bytes.IndexByte(v, '\r') >= 0 {
		v = bytes.ReplaceAll(bytes.ReplaceAll(v, []byte("\r\n"), []byte("\n")), []byte("\r"), []byte("\n"))
	}
	neutral := needsNeutralizing(v)
	if !o.needsQuotes(v, neutral) {
		if neutral {
			o.buf = append(o.buf, '\'')
		}
		o.buf = append(o.buf, v...)
		return
	}
	o.buf = append(o.buf, '"')
	if neutral {
		o.buf = append(o.buf, '\'')
	}
	for len(v) > 0 {
		i := bytes.IndexAny(v, "\"\n")
		if i < 0 {
			o.buf = append(o.buf, v...)
			break
		}
		o.buf = append(o.buf, v[:i]...)
		if v[i] == '"' {
			o.buf = append(o.buf, `""`...)
		} else {
			o.buf = append(o.buf, "\r\n"...)
		}
		v = v[i+1:]
	}
	o.buf = append(o.buf, '"')
}

// needsQuotes is encoding/csv's rule for the cell v, with a neutralising
// apostrophe in front if neutral (no carriage returns are left in v).
func (o *csvOut) needsQuotes(v []byte, neutral bool) bool {
	if len(v) == 0 {
		return false
	}
	if !neutral && string(v) == `\.` {
		return true
	}
	for _, c := range v {
		if c == '\n' || c == '"' || c == o.comma {
			return true
		}
	}
	if neutral {
		return false // the field starts with the apostrophe
	}
	if v[0] < utf8.RuneSelf {
		return asciiSpace[v[0]]
	}
	r, _ := utf8.DecodeRune(v)
	return unicode.IsSpace(r)
}

// asciiSpace are the ASCII characters unicode.IsSpace reports.
var asciiSpace = [utf8.RuneSelf]bool{'\t': true, '\n': true, '\v': true, '\f': true, '\r': true, ' ': true}

// end closes the record and writes the buffer out once it is full.
func (o *csvOut) end() error {
	o.buf = append(o.buf, '\r', '\n')
	if len(o.buf) >= csvBufSize {
		return o.flush()
	}
	return nil
}

func (o *csvOut) flush() error {
	_, err := o.w.Write(o.buf)
	o.buf = o.buf[:0]
	return err
}

// record writes a record of strings.
func (o *csvOut) record(rec []string) error {
	for i, s := range rec {
		o.val = append(o.val[:0], s...)
		o.field(o.val, i == 0)
	}
	return o.end()
}

type csvWriter struct {
	out   *csvOut
	cols  []Column
	dates string
}

func newCSV(w io.Writer, comma byte, bom bool, dates string, cols []Column) (*csvWriter, error) {
	out := newCSVOut(w, comma)
	if bom {
		out.buf = append(out.buf, "\uFEFF"...)
	}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Header
	}
	if err := out.record(header); err != nil {
		return nil, err
	}
	return &csvWriter{out: out, cols: cols, dates: dates}, nil
}

func (c *csvWriter) row(r *Row) error {
	o := c.out
	for i, col := range c.cols {
		o.val = col.appendValue(o.val[:0], r, c.dates)
		o.field(o.val, i == 0)
	}
	return o.end()
}

func (c *csvWriter) close() error { return c.out.flush() }

// mailerWriter writes the fixed columns of a mailer's import format.
type mailerWriter struct {
	out *csvOut
	rec func(r *Row) []string
}

func (m *mailerWriter) row(r *Row) error { return m.out.record(m.rec(r)) }

func (m *mailerWriter) close() error { return m.out.flush() }

func newMailer(w io.Writer, header []string, rec func(r *Row) []string) (*mailerWriter, error) {
	out := newCSVOut(w, ',')
	if err := out.record(header); err != nil {
		return nil, err
	}
	return &mailerWriter{out: out, rec: rec}, nil
}

// newMailchimp writes Mailchimp's audience import: tags as one quoted,
// comma-separated cell.
func newMailchimp(w io.Writer) (*mailerWriter, error) {
	return newMailer(w, []string{"Email Address", "First Name", "Last Name", "Tags"}, func(r *Row) []string {
		return []string{first(r.Emails), r.FirstName, r.LastName, strings.Join(r.Tags, ",")}
	})
}

// newListmonk writes listmonk's subscriber import: attributes as JSON.
func newListmonk(w io.Writer) (*mailerWriter, error) {
	return newMailer(w, []string{"email", "name", "attributes"}, func(r *Row) []string {
		attrs, _ := json.Marshal(map[string]any{"rapport_id": r.ID, "first_name": r.FirstName, "last_name": r.LastName,
			"outlets": nonNil(outlets(r.Jobs)), "topics": nonNil(r.Topics), "tags": nonNil(r.Tags), "region": r.Region, "stage": r.Stage})
		return []string{first(r.Emails), strings.TrimSpace(r.FirstName + " " + r.LastName), string(attrs)}
	})
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
