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
	value       func(r *Row, dates string) string
}

func date(t *time.Time, layout string) string {
	if t == nil {
		return ""
	}
	return t.Format(layout)
}

func join(xs []string) string { return strings.Join(xs, "; ") }

// Columns lists every column in the default order of the export form.
var Columns = []Column{
	{Key: "id", Header: "Rapport ID", Numeric: true, value: func(r *Row, _ string) string { return strconv.Itoa(r.ID) }},
	{Key: "first_name", Header: "First name", value: func(r *Row, _ string) string { return r.FirstName }},
	{Key: "last_name", Header: "Last name", value: func(r *Row, _ string) string { return r.LastName }},
	{Key: "kind", Header: "Kind", value: func(r *Row, _ string) string { return r.Kind }},
	{Key: "title", Header: "Title", value: func(r *Row, _ string) string { return r.Title }},
	{Key: "email", Header: "E-mail", value: func(r *Row, _ string) string { return first(r.Emails) }},
	{Key: "emails", Header: "All e-mails", value: func(r *Row, _ string) string { return join(r.Emails) }},
	{Key: "phones", Header: "Phones", value: func(r *Row, _ string) string { return join(r.Phones) }},
	{Key: "outlets", Header: "Outlets", value: func(r *Row, _ string) string { return join(r.Outlets()) }},
	{Key: "channels", Header: "Channels", value: func(r *Row, _ string) string { return channelList(r.Channels) }},
	{Key: "reach", Header: "Reach", Numeric: true, value: func(r *Row, _ string) string { return strconv.FormatInt(r.Reach, 10) }},
	{Key: "city", Header: "City", value: func(r *Row, _ string) string { return r.City }},
	{Key: "region", Header: "Region", value: func(r *Row, _ string) string { return r.Region }},
	{Key: "country", Header: "Country", value: func(r *Row, _ string) string { return r.Country }},
	{Key: "topics", Header: "Topics", value: func(r *Row, _ string) string { return join(r.Topics) }},
	{Key: "tags", Header: "Tags", value: func(r *Row, _ string) string { return join(r.Tags) }},
	{Key: "stage", Header: "Stage", value: func(r *Row, _ string) string { return r.Stage }},
	{Key: "health", Header: "Health", Numeric: true, value: func(r *Row, _ string) string { return strconv.Itoa(r.Health) }},
	{Key: "owner", Header: "Owner", value: func(r *Row, _ string) string { return r.Owner }},
	{Key: "lawful_basis", Header: "Lawful basis", value: func(r *Row, _ string) string { return r.LawfulBasis }},
	{Key: "consent_state", Header: "Consent", value: func(r *Row, _ string) string { return r.ConsentState }},
	{Key: "consent_at", Header: "Consent date", value: func(r *Row, d string) string { return date(r.ConsentAt, d) }},
	{Key: "last_interaction_at", Header: "Last interaction", value: func(r *Row, d string) string { return date(r.LastInteractionAt, d) }},
}

// DefaultColumns is what the export form ticks at first.
var DefaultColumns = []string{"id", "first_name", "last_name", "email", "outlets", "channels", "reach", "region", "topics", "tags", "stage", "consent_state"}

func first(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}

func channelList(cs []Channel) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = fmt.Sprintf("%s:%s (%d)", c.Platform, c.Handle, c.Followers)
	}
	return strings.Join(parts, "; ")
}

// Select returns the columns named by keys, in the catalogue's order, or an
// error naming an unknown key. No keys means the default columns.
func Select(keys []string) ([]Column, error) {
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
	for k := range want {
		return nil, fmt.Errorf("unknown column %q", k)
	}
	return out, nil
}
