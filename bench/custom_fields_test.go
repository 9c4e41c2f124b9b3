package bench

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/views"
	"github.com/rapport-crm/rapport/views/pages"
)

// BenchmarkCustomFieldList loads and renders the first contact list page
// with three custom-field columns (a choice, a number and a date), filtered
// by the choice (a quarter of the contacts match), on a scratch PostgreSQL
// database of Size() contacts of its own (the shared dataset stays
// untouched), written through the contact writer; in the same run the same
// page without the filter, and the filtered page with a saved view's
// columns (tags and topics among them). Issue 21's goal: p95 ≤ 20 ms at 100,000.
func BenchmarkCustomFieldList(b *testing.B) {
	ctx := context.Background()
	n := Size()
	d := dbtest.Open(b, dialect.Postgres, nil)
	var fields crm.CustomFields
	for _, f := range []crm.CustomField{
		{Type: crm.FieldChoice, LabelEN: "Embargo time", Choices: []string{"Morning", "Noon", "Evening", "Night"}, InList: true},
		{Type: crm.FieldNumber, LabelEN: "Circulation", InList: true},
		{Type: crm.FieldDate, LabelEN: "Birthday", InList: true},
	} {
		f.Entity, f.LabelDE = crm.EntityContact, f.LabelEN
		got, err := crm.CreateCustomField(ctx, d.Client, f)
		if err != nil {
			b.Fatal(err)
		}
		fields = append(fields, got)
	}
	w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
	times := fields[0].Choices
	for lo := 0; lo < n; lo += 5000 {
		ws := make([]crm.ContactWrite, min(5000, n-lo))
		for i := range ws {
			k := lo + i
			ws[i] = crm.ContactWrite{In: crm.ContactInput{FirstName: "Custom", LastName: fmt.Sprintf("Person %06d", k), Stage: "engaged",
				Kind: "journalist", LawfulBasis: "legitimate_interest", ConsentState: "none",
				Custom: schema.CustomValues{fields[0].Key: times[k%len(times)], fields[1].Key: float64(k % 90000),
					fields[2].Key: time.Date(1950+k%50, time.Month(1+k%12), 1+k%28, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)}}}
		}
		if err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			_, err := w.Write(ctx, tx, ws, crm.WriteOptions{Trusted: true})
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := d.SQL.ExecContext(ctx, "ANALYZE contacts"); err != nil {
		b.Fatal(err)
	}
	sels := crm.NewSelections(d.Client, d.Dialect, nil, nil, nil) // uncached: every page reaches the database
	m := views.PageMeta{Title: "Contacts", UserName: "Bench", UserRole: "staff"}
	run := func(sel crm.Selection, want int, cols crm.ListColumns) func(b *testing.B) {
		names := crm.ListNames{Tags: cols.Has(crm.ColTags), Topics: cols.Has(crm.ColTopics)}
		return func(b *testing.B) {
			var lat latencies
			for b.Loop() {
				lat.time(func() {
					page, err := sels.List(ctx, crm.ListParams{Selection: sel, Names: names})
					if err != nil {
						b.Fatal(err)
					}
					if page.Total != min(want, crm.TotalCap) || len(page.Rows) != 50 {
						b.Fatalf("total %d, rows %d; want %d", page.Total, len(page.Rows), want)
					}
					p := pages.ContactsProps{Meta: m, Rows: pages.ContactRows(page.Rows, time.Now()), Total: page.Total,
						TotalMore: page.More, Now: time.Now(), Columns: cols, Filters: fields, Query: url.Values{}}
					if err := pages.Contacts(p).Render(ctx, io.Discard); err != nil {
						b.Fatal(err)
					}
				})
			}
			lat.report(b)
		}
	}
	noon := crm.Selection{Filter: schema.SegmentFilter{Custom: []schema.CustomFilter{{Key: fields[0].Key, Any: []string{"Noon"}}}}}
	b.Run("filtered", run(noon, (n+2)/4, crm.DefaultListColumns(fields)))
	b.Run("unfiltered", run(crm.Selection{}, n, crm.DefaultListColumns(fields)))
	// A saved view's columns: the three custom ones with tags, topics and
	// the lawful basis (tags and topics are subqueries of the page's statement).
	chosen, err := crm.ParseListColumns(fields, []string{"name", "region", "tags", "topics", "lawful_basis",
		crm.CustomColumnKey(fields[0]), crm.CustomColumnKey(fields[1]), crm.CustomColumnKey(fields[2])})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("filtered-chosen-columns", run(noon, (n+2)/4, chosen))
}
