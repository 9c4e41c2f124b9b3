package crm

import (
	"context"
	"slices"
	"strings"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
)

// TestBulkStatements pins what a bulk add_tag and its undo cost: the same
// statements for 10 contacts as for 50 (one per table and chunk, never one
// per contact; on SQLite but the version bumps), at most maxBulkRun and
// maxBulkUndo. BEGIN and COMMIT count.
func TestBulkStatements(t *testing.T) {
	const maxBulkRun, maxBulkUndo = 19, 19
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			var log stmtLog
			d := dbtest.Open(t, dia, log.wrap)
			w, staff, _ := bulkFixture(t, d, 60)
			ctx := WithActor(context.Background(), staff)
			b := NewBulkActions(d.Client, w, NewSelections(d.Client, d.Dialect, nil, nil, nil), nil)
			ids := d.Client.Contact.Query().Order(ent.Asc(contact.FieldID)).IDsX(ctx)
			count := func(tag string, ids []int) (run, undo []string) {
				t.Helper()
				var id int
				var err error
				if run = log.count(func() {
					id, err = b.Start(ctx, BulkRequest{Action: "add_tag", Value: tag, Scope: BulkScopeRows, IDs: ids})
				}); err != nil {
					t.Fatal(err)
				}
				if undo = log.count(func() { err = b.Undo(ctx, id) }); err != nil {
					t.Fatal(err)
				}
				// SQLite bumps the versions with one prepared statement per
				// contact (in process: cheaper than a VALUES list there).
				perRow := func(s string) bool { return dia == dialect.SQLite && strings.Contains(s, "SET version = version + 1") }
				run, undo = slices.DeleteFunc(run, perRow), slices.DeleteFunc(undo, perRow)
				if got := tagged(t, d, tag); len(got) != 0 {
					t.Fatalf("%s: %d still tagged after the undo", tag, len(got))
				}
				return run, undo
			}
			run10, undo10 := count("Zehn", ids[:10])
			run50, undo50 := count("Fünfzig", ids[:50])
			t.Logf("run: %d statements, undo: %d", len(run50), len(undo50))
			if len(run10) != len(run50) || len(undo10) != len(undo50) {
				t.Errorf("10 contacts: %d + %d statements, 50: %d + %d:\n%s\n---\n%s", len(run10), len(undo10), len(run50), len(undo50),
					strings.Join(run50, "\n"), strings.Join(undo50, "\n"))
			}
			if len(run50) > maxBulkRun || len(undo50) > maxBulkUndo {
				t.Errorf("run %d statements (at most %d), undo %d (at most %d):\n%s\n---\n%s", len(run50), maxBulkRun, len(undo50), maxBulkUndo,
					strings.Join(run50, "\n"), strings.Join(undo50, "\n"))
			}
		})
	}
}
