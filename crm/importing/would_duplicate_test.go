package importing_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/importrow"
)

// TestDryRunWouldDuplicate: a row that would create a second Jürgen Müller
// at the FAZ (spelt Juergen Mueller, no e-mail to match) says so in the dry
// run, with the contact's number and how to update it instead; the import
// also normalises the row's city.
func TestDryRunWouldDuplicate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		u := staff(t, d)
		existing, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{FirstName: "Jürgen", LastName: "Müller", Outlets: []crm.OutletRole{{Outlet: "FAZ"}}})
		if err != nil {
			t.Fatal(err)
		}
		file := "Vorname,Nachname,Medium,Stadt\nJuergen,Mueller,FAZ,Muenchen\nAnna,Neu,taz,Koeln\n"
		j := upload(t, d, u, "liste.csv", []byte(file), nil)
		dryRun(t, d, j.ID)
		rows := d.Client.ImportRow.Query().Where(importrow.ImportID(j.ID), importrow.DryRun(true)).Order(importrow.ByRowNo()).AllX(ctx)
		if len(rows) != 2 {
			t.Fatalf("%d dry-run rows", len(rows))
		}
		want := fmt.Sprintf("Would duplicate #%d Jürgen Müller (same name)", existing.ID)
		if !strings.Contains(rows[0].Reason, want) || !strings.Contains(rows[0].Reason, fmt.Sprintf("with %d to update it instead", existing.ID)) {
			t.Errorf("row 2: %q, want %q", rows[0].Reason, want)
		}
		if strings.Contains(rows[1].Reason, "Would duplicate") {
			t.Errorf("row 3: %q", rows[1].Reason)
		}
		j = run(t, d, j.ID)
		anna := d.Client.Contact.Query().AllX(ctx)
		for _, c := range anna {
			if c.LastName == "Neu" && (c.City != "Köln" || c.Region != "Nordrhein-Westfalen") {
				t.Errorf("imported place %q, %q", c.City, c.Region)
			}
		}
	})
}
