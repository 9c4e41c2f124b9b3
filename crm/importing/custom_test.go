package importing_test

import (
	"context"
	"reflect"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/schema"
)

// TestImportCustomFields: columns named like a custom field (its German
// label here) are mapped to it; cells are typed as the form types them, and
// a cell that does not fit is the row's error.
func TestImportCustomFields(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		for _, f := range []crm.CustomField{
			{Entity: crm.EntityContact, Type: crm.FieldDate, LabelEN: "Birthday", LabelDE: "Geburtstag"},
			{Entity: crm.EntityContact, Type: crm.FieldMulti, LabelEN: "Beats", LabelDE: "Ressortwahl", Choices: []string{"IT", "Energie"}},
		} {
			if _, err := crm.CreateCustomField(ctx, d.Client, f); err != nil {
				t.Fatal(err)
			}
		}
		csv := "Vorname,Nachname,E-Mail,Geburtstag,Ressortwahl\n" +
			"Ida,Weber,ida@example.de,24.12.1980,\"it, Energie\"\n" +
			"Tom,Weber,tom@example.de,kaputt,IT\n"
		j := upload(t, d, staff(t, d), "custom.csv", []byte(csv), nil)
		want := map[string]string{"Geburtstag": "custom.birthday", "Ressortwahl": "custom.beats"}
		for col, k := range want {
			if j.Mapping[col] != k {
				t.Errorf("column %s mapped to %q, want %q", col, j.Mapping[col], k)
			}
		}
		if c := dryRun(t, d, j.ID); c.Created != 1 || c.Errors != 1 {
			t.Errorf("dry run %+v, want 1 created and 1 error", c)
		}
		run(t, d, j.ID)
		ida := contactByEmail(t, d, "ida@example.de")
		if got := ida.Custom; !reflect.DeepEqual(got, schema.CustomValues{"birthday": "1980-12-24", "beats": []string{"IT", "Energie"}}) {
			t.Errorf("imported values %#v", got)
		}
		if n := d.Client.Contact.Query().CountX(ctx); n != 1 {
			t.Errorf("%d contacts, want 1 (the row with a broken date is refused)", n)
		}
	})
}
