package db_test

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/crm/sortkey"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestBackfillSortKeys fills the keys of rows written before the keys
// existed with the writers' function, on both databases, across chunks.
func TestBackfillSortKeys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		names := [][2]string{{"Jan", "Bäumer"}, {"Uwe", "Köhler"}, {"Eva", "Krämer"}, {"Ida", "Strauß"}, {"", "ÉLOÏSE"}}
		for _, n := range names {
			if _, err := d.SQL.ExecContext(ctx, `INSERT INTO contacts (created_at, updated_at, first_name, last_name)
				VALUES (CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, $1, $2)`, n[0], n[1]); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.BackfillSortKeys(ctx, d.SQL, d.Dialect); err != nil {
			t.Fatal(err)
		}
		rs, err := d.SQL.QueryContext(ctx, "SELECT first_name, last_name, sort_first, sort_last FROM contacts ORDER BY sort_last, sort_first, id")
		if err != nil {
			t.Fatal(err)
		}
		defer rs.Close()
		var got []string
		for rs.Next() {
			var f, l, sf, sl string
			if err := rs.Scan(&f, &l, &sf, &sl); err != nil {
				t.Fatal(err)
			}
			if sf != sortkey.Key(f) || sl != sortkey.Key(l) {
				t.Errorf("%s %s: keys %q %q", f, l, sf, sl)
			}
			got = append(got, l)
		}
		want := []string{"Bäumer", "ÉLOÏSE", "Köhler", "Krämer", "Strauß"}
		if len(got) != len(want) {
			t.Fatalf("got %q", got)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("order %q, want %q", got, want)
			}
		}
	})
}
