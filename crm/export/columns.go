package export

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Column is one exportable column: its key (used in forms and the command
// line), its header in the file, and how to read it from a row.
type Column struct {
	Key, Header string
	Numeric     bool // written as a number in XLSX
	needs       need // the fields and tables the value reads
	// text reads a cell that is one string of the row; appendTo appends any
	// other cell's text to dst, dates being the layout of date cells. One of
	// the two is set. Both give the text unescaped and not yet neutralised.
	text     func(r *Row) string
	appendTo func(dst []byte, r *Row, dates string) []byte
}

// value is the cell's text.
func (c Column) value(r *Row, dates string) string {
	if c.text != nil {
		return c.text(r)
	}
	return string(c.appendTo(nil, r, dates))
}

// appendValue appends the cell's text to dst.
func (c Column) appendValue(dst []byte, r *Row, dates string) []byte {
	if c.text != nil {
		return append(dst, c.text(r)...)
	}
	return c.appendTo(dst, r, dates)
}

func appendDate(dst []byte, t *time.Time, layout string) []byte {
	if t == nil {
		return dst
	}
	return t.AppendFormat(dst, layout)
}

// appendJoin appends xs separated by "; ", the separator of list cells.
func appendJoin(dst []byte, xs []string) []byte {
	for i, x := range xs {
		if i > 0 {
			dst = append(dst, "; "...)
		}
		dst = append(dst, x...)
	}
	return dst
}

// listCell makes the appendTo of a column that shows a list of the row.
func listCell(f func(r *Row) []string) func([]byte, *Row, string) []byte {
	return func(dst []byte, r *Row, _ string) []byte { return appendJoin(dst, f(r)) }
}

// Columns lists every column in the default order of the export form.
var Columns = []Column{
	{Key: "id", Header: "Rapport ID", Numeric: true, appendTo: func(dst []byte, r *Row, _ string) []byte { return strconv.AppendInt(dst, int64(r.ID), 10) }},
	{Key: "first_name", Header: "First name", needs: needFirstName, text: func(r *Row) string { return r.FirstName }},
	{Key: "last_name", Header: "Last name", needs: needLastName, text: func(r *Row) string { return r.LastName }},
	{Key: "kind", Header: "Kind", needs: needKind, text: func(r *Row) string { return r.Kind }},
	{Key: "title", Header: "Title", needs: needTitle, text: func(r *Row) string { return r.Title }},
	{Key: "email", Header: "E-mail", needs: needEmails, text: func(r *Row) string { return first(r.Emails) }},
	{Key: "emails", Header: "All e-mails", needs: needEmails, appendTo: listCell(func(r *Row) []string { return r.Emails })},
	{Key: "phones", Header: "Phones", needs: needPhones, appendTo: listCell(func(r *Row) []string { return r.Phones })},
	{Key: "outlets", Header: "Outlets", needs: needJobs, appendTo: func(dst []byte, r *Row, _ string) []byte { return appendOutlets(dst, r.Jobs) }},
	{Key: "channels", Header: "Channels", needs: needChannels, appendTo: func(dst []byte, r *Row, _ string) []byte { return appendChannels(dst, r.Channels) }},
	{Key: "reach", Header: "Reach", Numeric: true, needs: needReach, appendTo: func(dst []byte, r *Row, _ string) []byte { return strconv.AppendInt(dst, r.Reach, 10) }},
	{Key: "city", Header: "City", needs: needCity, text: func(r *Row) string { return r.City }},
	{Key: "region", Header: "Region", needs: needRegion, text: func(r *Row) string { return r.Region }},
	{Key: "country", Header: "Country", needs: needCountry, text: func(r *Row) string { return r.Country }},
	{Key: "topics", Header: "Topics", needs: needTopics, appendTo: listCell(func(r *Row) []string { return r.Topics })},
	{Key: "tags", Header: "Tags", needs: needTags, appendTo: listCell(func(r *Row) []string { return r.Tags })},
	{Key: "stage", Header: "Stage", needs: needStage, text: func(r *Row) string { return r.Stage }},
	{Key: "health", Header: "Health", Numeric: true, needs: needHealth, appendTo: func(dst []byte, r *Row, _ string) []byte { return strconv.AppendInt(dst, int64(r.Health), 10) }},
	{Key: "owner", Header: "Owner", needs: needOwner, text: func(r *Row) string { return r.Owner }},
	{Key: "lawful_basis", Header: "Lawful basis", needs: needLawfulBasis, text: func(r *Row) string { return r.LawfulBasis }},
	{Key: "consent_state", Header: "Consent", needs: needConsentState, text: func(r *Row) string { return r.ConsentState }},
	{Key: "consent_at", Header: "Consent date", needs: needConsentAt, appendTo: func(dst []byte, r *Row, d string) []byte { return appendDate(dst, r.ConsentAt, d) }},
	{Key: "last_interaction_at", Header: "Last interaction", needs: needLastInteractionAt, appendTo: func(dst []byte, r *Row, d string) []byte { return appendDate(dst, r.LastInteractionAt, d) }},
}

// DefaultColumns is what the export form ticks at first.
var DefaultColumns = []string{"id", "first_name", "last_name", "email", "outlets", "channels", "reach", "region", "topics", "tags", "stage", "consent_state"}

func first(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}

// appendOutlets appends the jobs as "Outlet (Role); Outlet", like Outlets.
func appendOutlets(dst []byte, jobs []Job) []byte {
	for i, j := range jobs {
		if i > 0 {
			dst = append(dst, "; "...)
		}
		dst = append(dst, j.Outlet...)
		if j.Role != "" {
			dst = append(append(append(dst, " ("...), j.Role...), ')')
		}
	}
	return dst
}

// appendChannels appends the channels as "platform:handle (followers); …".
func appendChannels(dst []byte, cs []Channel) []byte {
	for i, c := range cs {
		if i > 0 {
			dst = append(dst, "; "...)
		}
		dst = append(append(append(dst, c.Platform...), ':'), c.Handle...)
		dst = append(strconv.AppendInt(append(dst, " ("...), c.Followers, 10), ')')
	}
	return dst
}

// Select returns the columns named by keys, in the catalogue's order (the
// custom fields' columns, "custom.KEY", after them in the order given), or
// an error naming an unknown key. No keys means the default columns.
func Select(keys []string) ([]Column, error) { return SelectHeaded(keys, nil) }

// SelectHeaded is Select with the headers of custom columns by column key
// (their labels); a custom column without one is headed by its key.
func SelectHeaded(keys []string, headers map[string]string) ([]Column, error) {
	if len(keys) == 0 {
		keys = DefaultColumns
	}
	want := map[string]bool{}
	for _, k := range keys {
		want[strings.TrimSpace(k)] = true
	}
	var out []Column
	for _, c := range Columns {
		if want[c.Key] {
			out = append(out, c)
			delete(want, c.Key)
		}
	}
	for _, k := range keys {
		k = strings.TrimSpace(k)
		if f, ok := strings.CutPrefix(k, CustomPrefix); ok && want[k] && customKey.MatchString(f) {
			out = append(out, customColumn(k, headers[k]))
			delete(want, k)
		}
	}
	for k := range want {
		return nil, fmt.Errorf("unknown column %q", k)
	}
	return out, nil
}
