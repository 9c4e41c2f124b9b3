package importing_test

import (
	"context"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// TestImportWritesHealthAndSkipsUnchanged: imported contacts get their
// health and touch-due date in the batch that creates them (not from the
// nightly job), and importing the same file again writes nothing: no audit
// event, no search change, no new version.
func TestImportWritesHealthAndSkipsUnchanged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		u := staff(t, d)
		data := testFile(t, "excel-de-windows1252.csv")
		j := run(t, d, upload(t, d, u, "first.csv", data, nil).ID)
		if j.Status != "done" || j.CreatedCount == 0 {
			t.Fatalf("first import: %s, %d created", j.Status, j.CreatedCount)
		}
		if n := d.Client.Contact.Query().Where(contact.TouchDueAtIsNil()).CountX(ctx); n != 0 {
			t.Errorf("%d imported contacts have no touch-due date", n)
		}
		if n := d.Client.Contact.Query().Where(contact.Health(0)).CountX(ctx); n != 0 {
			t.Errorf("%d imported contacts have no health score", n)
		}
		// Each created contact is audited by its job's summary, without a
		// copy of the person's data: the job's row holds that.
		created := d.Client.AuditEvent.Query().Where(auditevent.Action("create"), auditevent.Entity("contact")).AllX(ctx)
		if len(created) != j.CreatedCount {
			t.Errorf("%d create events for %d created contacts", len(created), j.CreatedCount)
		}
		for _, ev := range created {
			if len(ev.Changes) != 0 {
				t.Fatalf("an imported contact's create event copies its data: %v", ev.Changes)
			}
		}
		audits, changes := d.Client.AuditEvent.Query().CountX(ctx), d.Client.Change.Query().CountX(ctx)
		versions := d.Client.Contact.Query().Aggregate(ent.Sum(contact.FieldVersion)).IntX(ctx)
		j = run(t, d, upload(t, d, u, "again.csv", data, nil).ID)
		if j.Status != "done" || j.CreatedCount != 0 || j.UpdatedCount != 0 {
			t.Fatalf("second import: %s, %d created, %d updated, want none", j.Status, j.CreatedCount, j.UpdatedCount)
		}
		// The job's own start and end are audited; no contact is.
		if n := d.Client.AuditEvent.Query().CountX(ctx) - audits; n > 2 {
			t.Errorf("re-importing the same file wrote %d audit events", n)
		}
		if n := d.Client.Change.Query().CountX(ctx); n != changes {
			t.Errorf("re-importing the same file recorded %d search changes", n-changes)
		}
		if v := d.Client.Contact.Query().Aggregate(ent.Sum(contact.FieldVersion)).IntX(ctx); v != versions {
			t.Errorf("re-importing the same file moved versions from %d to %d", versions, v)
		}
	})
}
