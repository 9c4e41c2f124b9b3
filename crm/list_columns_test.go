package crm

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/schema"
)

// TestParseListColumns: known keys in the order given, unknown ones and
// repeats left out, comma lists read, none at all the defaults (with the
// admins' list fields), and more than MaxListColumns cut with an error.
func TestParseListColumns(t *testing.T) {
	fields := CustomFields{{Key: "circulation", Type: FieldNumber, InList: true}, {Key: "birthday", Type: FieldDate}}
	keys := func(lc ListColumns) string { return strings.Join(lc.Keys(), " ") }
	lc, err := ParseListColumns(fields, []string{"name", "region,bogus", "cf.birthday", "region", "cf.nope", "<script>"})
	if err != nil || !lc.Chosen || keys(lc) != "name region cf.birthday" || lc.Cols[1].Field == nil || lc.Cols[1].Field.Key != "birthday" {
		t.Errorf("chosen: %q %v %v", keys(lc), lc.Chosen, err)
	}
	lc, err = ParseListColumns(fields, nil)
	if err != nil || lc.Chosen || keys(lc) != "name kind outlets region stage reach last_interaction owner cf.circulation" {
		t.Errorf("defaults: %q %v", keys(lc), err)
	}
	many := append(append([]string{}, BuiltinColumns...), "cf.circulation", "cf.birthday")
	lc, err = ParseListColumns(fields, many)
	if len(lc.Cols) != MaxListColumns || ErrorCode(err) != EInvalid || ErrorMessage(err) != "Choose at most 12 columns." {
		t.Errorf("too many: %d columns, %v", len(lc.Cols), err)
	}
	huge := make([]string, 100_000)
	for i := range huge {
		huge[i] = fmt.Sprintf("x%d", i)
	}
	if lc, err := ParseListColumns(fields, append(huge, "region")); err != nil || keys(lc) != "name" {
		t.Errorf("keys past the bound are not read: %q %v", keys(lc), err)
	}
}

// TestListStatementsIndependentOfPageSize: a list page with three custom
// columns, tags and topics and a custom-field filter is one statement
// whatever its size (no statement per row), on both databases.
func TestListStatementsIndependentOfPageSize(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			var on atomic.Bool
			var stmts atomic.Int64
			var seen atomic.Value
			d := dbtest.Open(t, dia, dbtest.Observe(func(q string, _ []any) func() {
				if on.Load() {
					stmts.Add(1)
					seen.Store(q)
				}
				return nil
			}))
			ctx := context.Background()
			fs := pageFields(t, d)
			w := NewContactWriter(d.Client, d.Dialect, nil, nil)
			ws := make([]ContactWrite, 60)
			for i := range ws {
				ws[i] = ContactWrite{In: ContactInput{FirstName: "Page", LastName: fmt.Sprintf("Person %02d", i), Kind: "journalist",
					Stage: "engaged", LawfulBasis: "legitimate_interest", ConsentState: "none", Tags: []string{"VIP", fmt.Sprintf("T%d", i%3)},
					Topics: []string{"IT"}, Outlets: []OutletRole{{Outlet: "Outlet " + fmt.Sprint(i%4)}},
					Custom: schema.CustomValues{fs[0].Key: []string{"Morning", "Noon"}[i%2], fs[1].Key: float64(i) + 0.5,
						fs[2].Key: time.Date(2000, 1, 1+i%28, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)}}}
			}
			if err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
				_, err := w.Write(ctx, tx, ws, WriteOptions{Trusted: true})
				return err
			}); err != nil {
				t.Fatal(err)
			}
			sels := NewSelections(d.Client, d.Dialect, nil, nil, nil)
			sel := Selection{Filter: schema.SegmentFilter{Custom: []schema.CustomFilter{{Key: fs[0].Key, Any: []string{"Noon"}}}}, Sort: SortReach}
			count := func(limit int) (int64, *ContactPage) {
				stmts.Store(0)
				on.Store(true)
				page, err := sels.List(ctx, ListParams{Selection: sel, Limit: limit, Names: ListNames{Tags: true, Topics: true}})
				on.Store(false)
				if err != nil {
					t.Fatal(err)
				}
				return stmts.Load(), page
			}
			small, p5 := count(5)
			large, p25 := count(25)
			if len(p5.Rows) != 5 || len(p25.Rows) != 25 || p25.Total != 30 {
				t.Fatalf("rows %d and %d, total %d; want 5, 25, 30", len(p5.Rows), len(p25.Rows), p25.Total)
			}
			if small != large || large != 1 {
				t.Errorf("statements: %d for 5 rows, %d for 25 (last %q); want 1 each", small, large, seen.Load())
			}
			r := p25.Rows[0]
			if r.Tags == "" || !strings.HasPrefix(r.Tags, "T") || !strings.HasSuffix(r.Tags, ", VIP") || r.Topics != "IT" ||
				r.Custom[fs[0].Key] != "Noon" || r.Custom[fs[1].Key] == nil || r.LawfulBasis != "legitimate_interest" || r.Outlets == "" {
				t.Errorf("row %+v", r)
			}
		})
	}
}

// pageFields creates a choice, a number and a date field of contacts.
func pageFields(t *testing.T, d *db.DB) []CustomField {
	t.Helper()
	var out []CustomField
	for _, f := range []CustomField{
		{Entity: EntityContact, Type: FieldChoice, LabelEN: "Embargo time", LabelDE: "Sperrfrist", Choices: []string{"Morning", "Noon"}},
		{Entity: EntityContact, Type: FieldNumber, LabelEN: "Circulation", LabelDE: "Auflage"},
		{Entity: EntityContact, Type: FieldDate, LabelEN: "Birthday", LabelDE: "Geburtstag"},
	} {
		got, err := CreateCustomField(context.Background(), d.Client, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, got)
	}
	return out
}
