package export

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/rapport-crm/rapport/locale"
)

// Formats (profiles) of an export.
const (
	CSV       = "csv"       // RFC 4180, UTF-8, comma, CRLF
	ExcelDE   = "excel-de"  // Excel in German locales: semicolon, UTF-8 with BOM, CRLF, dates TT.MM.JJJJ
	XLSX      = "xlsx"      // a workbook, header frozen and bold, text cells
	VCard     = "vcard"     // vCard 4.0, one file, many cards
	Mailchimp = "mailchimp" // Email Address,First Name,Last Name,Tags
	Listmonk  = "listmonk"  // email,name,attributes (JSON)
)

// Formats lists every format with its label, in the order forms show them.
var Formats = []struct{ Key, Label, Ext, MIME string }{
	{CSV, "CSV (UTF-8)", "csv", "text/csv; charset=utf-8"},
	{ExcelDE, "Excel (Deutsch), CSV mit Semikolon", "csv", "text/csv; charset=utf-8"},
	{XLSX, "Excel workbook (XLSX)", "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
	{VCard, "vCard 4.0 (address books)", "vcf", "text/vcard; charset=utf-8"},
	{Mailchimp, "Mailchimp CSV", "csv", "text/csv; charset=utf-8"},
	{Listmonk, "listmonk CSV", "csv", "text/csv; charset=utf-8"},
}

// ValidFormat reports whether f is a known format.
func ValidFormat(f string) bool {
	return slices.ContainsFunc(Formats, func(x struct{ Key, Label, Ext, MIME string }) bool { return x.Key == f })
}

// Label is the English name of the format f (views translate it), or f
// itself when it is not a known format.
func Label(f string) string {
	for _, x := range Formats {
		if x.Key == f {
			return x.Label
		}
	}
	return f
}

// NeedsEmail reports whether a format is for mailers, which skip contacts
// without an e-mail address.
func NeedsEmail(f string) bool { return f == Mailchimp || f == Listmonk }

// rowWriter writes one format.
type rowWriter interface {
	row(r *Row) error
	close() error
}

func newWriter(w io.Writer, format string, cols []Column) (rowWriter, error) {
	switch format {
	case CSV:
		return newCSV(w, ',', false, "2006-01-02", cols)
	case ExcelDE:
		return newCSV(w, ';', true, "02.01.2006", german(cols))
	case XLSX:
		return newXLSX(w, cols)
	case VCard:
		return newVCard(w), nil
	case Mailchimp:
		return newMailchimp(w)
	case Listmonk:
		return newListmonk(w)
	}
	return nil, fmt.Errorf("unknown export format %q", format)
}

// Stats says what Write wrote.
type Stats struct {
	Rows         int // contacts written
	SkippedEmail int // contacts skipped by a mailer format for lack of an e-mail
}

// needs says which fields and tables a format with cols reads.
func needs(format string, cols []Column) need {
	switch format {
	case VCard:
		return needAll
	case Mailchimp:
		return needFirstName | needLastName | needEmails | needTags
	case Listmonk:
		return needFirstName | needLastName | needRegion | needStage | needEmails | needJobs | needTopics | needTags
	}
	var n need
	for _, c := range cols {
		n |= c.needs
	}
	return n
}

// Write streams the contacts ids, in that order, to w in format with cols
// (ignored by vCard and the mailer formats). It reads only the fields and
// tables the format and columns show, and holds a few batches of rows at a
// time, however many ids there are.
func Write(ctx context.Context, l Loader, w io.Writer, format string, cols []Column, ids []int) (Stats, error) {
	var st Stats
	rw, err := newWriter(w, format, cols)
	if err != nil {
		return st, err
	}
	mailer := NeedsEmail(format)
	err = l.Each(ctx, ids, needs(format, cols), func(r *Row) error {
		if mailer && len(r.Emails) == 0 {
			st.SkippedEmail++
			return nil
		}
		if err := rw.row(r); err != nil {
			return fmt.Errorf("export: write: %w", err)
		}
		st.Rows++
		return nil
	})
	if err != nil {
		return st, err
	}
	if err := rw.close(); err != nil {
		return st, fmt.Errorf("export: finish: %w", err)
	}
	return st, nil
}

// enumColumns are the columns whose cells hold codes, which Excel (Deutsch)
// writes as German words (CSV, XLSX and the API keep the codes).
var enumColumns = map[string]bool{"kind": true, "stage": true, "lawful_basis": true, "consent_state": true}

// german is cols as Excel (Deutsch) writes them: German headers, and German
// words for the codes of enum columns (“Berechtigtes Interesse”).
func german(cols []Column) []Column {
	de := locale.Get(locale.German)
	out := make([]Column, len(cols))
	for i, c := range cols {
		g := c
		g.Header = de.T(c.Header)
		if enumColumns[c.Key] {
			g.text, g.appendTo = nil, func(dst []byte, r *Row, dates string) []byte {
				if v := c.value(r, dates); v != "" {
					return append(dst, de.Label(v)...)
				}
				return dst
			}
		}
		out[i] = g
	}
	return out
}
