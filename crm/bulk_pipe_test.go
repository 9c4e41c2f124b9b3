package crm

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/bulkaction"
	"github.com/rapport-crm/rapport/ent/bulkactionitem"
	"github.com/rapport-crm/rapport/ent/contact"
)

// TestBulkChunkFailureKeepsPrefix: when a chunk fails (here the database
// refuses one tag link of the second of four chunks), the action stops with
// exactly the chunks before it committed — on PostgreSQL, where the chunk
// after it was in flight meanwhile, as well — its counters and undo items
// name that prefix, and its undo restores it.
func TestBulkChunkFailureKeepsPrefix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w, staff, _ := bulkFixture(t, d, 40)
		ctx := WithActor(context.Background(), staff)
		b := NewBulkActions(d.Client, w, NewSelections(d.Client, d.Dialect, nil, nil, nil), nil)
		b.chunkN = 10
		ids := d.Client.Contact.Query().Order(ent.Asc(contact.FieldID)).IDsX(ctx)
		refuseTagLink(t, d, ids[15])
		id, err := b.Start(ctx, BulkRequest{Action: "add_tag", Value: "Sommer", Scope: BulkScopeRows, IDs: ids})
		if err == nil {
			t.Fatal("the refused link did not fail the action")
		}
		ba := d.Client.BulkAction.GetX(ctx, id)
		if ba.Status != bulkaction.StatusFailed || ba.Processed != 10 || ba.Changed != 10 || ba.Skipped != 0 {
			t.Fatalf("action %s: %d processed, %d changed, %d skipped; want failed, 10, 10, 0", ba.Status, ba.Processed, ba.Changed, ba.Skipped)
		}
		if got := tagged(t, d, "Sommer"); !slices.Equal(got, ids[:10]) {
			t.Fatalf("tagged %v, want the first chunk %v", got, ids[:10])
		}
		if n := d.Client.BulkActionItem.Query().Where(bulkactionitem.ActionID(id)).CountX(ctx); n != 10 {
			t.Fatalf("%d undo items, want 10", n)
		}
		if err := b.Undo(ctx, id); err != nil {
			t.Fatal(err)
		}
		ba = d.Client.BulkAction.GetX(ctx, id)
		if ba.Status != bulkaction.StatusUndone || ba.UndoProcessed != 10 || ba.UndoKept != 0 {
			t.Fatalf("undo: %s, %d processed, %d kept", ba.Status, ba.UndoProcessed, ba.UndoKept)
		}
		if got := tagged(t, d, "Sommer"); len(got) != 0 {
			t.Fatalf("still tagged after the undo: %v", got)
		}
	})
}

// refuseTagLink makes the database refuse any tag link of contact cid.
func refuseTagLink(t *testing.T, d *db.DB, cid int) {
	t.Helper()
	stmts := []string{fmt.Sprintf(`CREATE TRIGGER refuse_tag BEFORE INSERT ON contact_tags
		WHEN (NEW.contact_id = %d) BEGIN SELECT RAISE(ABORT, 'refused'); END`, cid)}
	if d.Dialect == dialect.Postgres {
		stmts = []string{`CREATE FUNCTION refuse_tag() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN RAISE EXCEPTION 'refused'; END $$`,
			fmt.Sprintf(`CREATE TRIGGER refuse_tag BEFORE INSERT ON contact_tags FOR EACH ROW
			WHEN (NEW.contact_id = %d) EXECUTE FUNCTION refuse_tag()`, cid)}
	}
	for _, s := range stmts {
		if _, err := d.SQL.ExecContext(context.Background(), s); err != nil {
			t.Fatal(err)
		}
	}
}
