package export

import (
	"encoding/csv"
	"encoding/json"
	"io"
	"strings"
)

type csvWriter struct {
	w     *csv.Writer
	cols  []Column
	dates string
	rec   []string
}

func newCSV(w io.Writer, comma rune, bom bool, dates string, cols []Column) (*csvWriter, error) {
	if bom {
		if _, err := io.WriteString(w, "\uFEFF"); err != nil {
			return nil, err
		}
	}
	cw := csv.NewWriter(w)
	cw.Comma, cw.UseCRLF = comma, true
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Header
	}
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	return &csvWriter{w: cw, cols: cols, dates: dates, rec: make([]string, len(cols))}, nil
}

// cell prepares a text cell: line breaks become \n (a lone carriage return
// cannot survive CSV readers), then the value is neutralised.
func cell(s string) string {
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	return Neutralize(s)
}

func (c *csvWriter) row(r *Row) error {
	for i, col := range c.cols {
		c.rec[i] = cell(col.value(r, c.dates))
	}
	return c.w.Write(c.rec)
}

func (c *csvWriter) close() error {
	c.w.Flush()
	return c.w.Error()
}

// mailerWriter writes the fixed columns of a mailer's import format.
type mailerWriter struct {
	w   *csv.Writer
	rec func(r *Row) []string
}

func (m *mailerWriter) row(r *Row) error {
	rec := m.rec(r)
	for i := range rec {
		rec[i] = cell(rec[i])
	}
	return m.w.Write(rec)
}

func (m *mailerWriter) close() error {
	m.w.Flush()
	return m.w.Error()
}

func newMailer(w io.Writer, header []string, rec func(r *Row) []string) (*mailerWriter, error) {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return nil, err
	}
	return &mailerWriter{w: cw, rec: rec}, nil
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
			"outlets": nonNil(r.Outlets()), "topics": nonNil(r.Topics), "tags": nonNil(r.Tags), "region": r.Region, "stage": r.Stage})
		return []string{first(r.Emails), strings.TrimSpace(r.FirstName + " " + r.LastName), string(attrs)}
	})
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}
