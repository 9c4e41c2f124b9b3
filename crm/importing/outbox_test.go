package importing_test

import (
	"context"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/change"
	"github.com/rapport-crm/rapport/ent/importrow"
)

// TestImportSearchChangesAndAudit: every contact an import creates or
// changes gets a search change and an audit event in the transaction of its
// batch, on both databases (the PostgreSQL path writes them without ent, two
// batches at a time), and the new contacts are whole.
func TestImportSearchChangesAndAudit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		u := staff(t, d)
		if _, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{FirstName: "Anja", LastName: "Weiß", City: "Bonn",
			Emails: []crm.EmailInput{{Address: "anja.weiss@techblog-beispiel.de"}}}); err != nil {
			t.Fatal(err)
		}
		since := 0
		if ids := d.Client.Change.Query().IDsX(ctx); len(ids) > 0 {
			since = slices.Max(ids)
		}
		j := upload(t, d, u, "excel-de-windows1252.csv", testFile(t, "excel-de-windows1252.csv"), nil)
		j = run(t, d, j.ID)
		if j.Status != "done" || j.CreatedCount != 4 || j.UpdatedCount != 2 {
			t.Fatalf("job %s created %d updated %d, want done 4 2 (one update, one merge)", j.Status, j.CreatedCount, j.UpdatedCount)
		}
		outcomes := d.Client.ImportRow.Query().Where(importrow.ImportID(j.ID), importrow.DryRun(false)).AllX(ctx)
		changed := d.Client.Change.Query().Where(change.IDGT(since)).Select(change.FieldContactID).IntsX(ctx)
		for _, o := range outcomes {
			if o.ContactID == nil {
				t.Errorf("row %d (%s) has no contact", o.RowNo, o.Action)
				continue
			}
			if !slices.Contains(changed, *o.ContactID) {
				t.Errorf("row %d: contact %d has no search change", o.RowNo, *o.ContactID)
			}
			var action string
			switch o.Action {
			case importrow.ActionCreate:
				action = crm.ActionCreate
				if (o.Raw != nil) || (o.Before != nil) {
					t.Errorf("row %d: created, but raw %v before %v stored", o.RowNo, o.Raw, o.Before)
				}
			case importrow.ActionUpdate:
				action = crm.ActionUpdate
				if o.Before == nil || o.Before["City"] != "Bonn" {
					t.Errorf("row %d: updated, before = %v", o.RowNo, o.Before)
				}
			default:
				continue
			}
			n := d.Client.AuditEvent.Query().Where(auditevent.Entity(crm.EntityContact), auditevent.EntityID(*o.ContactID),
				auditevent.Action(action), auditevent.ActorID(u.ID)).CountX(ctx)
			if n != 1 {
				t.Errorf("row %d: %d %s audit events for contact %d by the importer, want 1", o.RowNo, n, action, *o.ContactID)
			}
		}
		jm := contactByEmail(t, d, "j.mueller@sueddeutsche-beispiel.de")
		if jm.FirstName != "Jürgen" || len(jm.Channels) != 1 || len(jm.Outlets) != 1 || len(jm.Topics) != 1 {
			t.Errorf("Jürgen is not whole: %+v", jm)
		}
	})
}
