package crm

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/bulkaction"
	"github.com/rapport-crm/rapport/ent/bulkactionitem"
	"github.com/rapport-crm/rapport/ent/change"
	"github.com/rapport-crm/rapport/ent/schema"
)

// TestBulkTagChangesExactly: in chunks of 7 (so the run and the undo cross
// chunks), a bulk add_tag changes exactly the resolver's ids minus those
// already tagged: its undo items, its audit events and its change records
// name those and no other, their versions move by one and their health
// stays; the undo takes the tag off exactly those (the ones tagged before
// keep it), audits each as undone and leaves every contact as it was.
func TestBulkTagChangesExactly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w, staff, _ := bulkFixture(t, d, 90)
		ctx := WithActor(context.Background(), staff)
		sels := NewSelections(d.Client, d.Dialect, nil, nil, nil)
		b := NewBulkActions(d.Client, w, sels, nil)
		b.chunkN = 7
		sel := Selection{Filter: schema.SegmentFilter{Regions: []string{"München"}}}
		res, err := sels.Resolve(ctx, sel, false)
		if err != nil {
			t.Fatal(err)
		}
		had := tagged(t, d, "Messe")
		var want []int
		for _, id := range slices.Sorted(slices.Values(res.All)) {
			if !slices.Contains(had, id) {
				want = append(want, id)
			}
		}
		if len(want) != 15 || len(had) != 15 {
			t.Fatalf("fixture: %d to change, %d tagged", len(want), len(had))
		}
		rows := func() map[int]*ent.Contact {
			out := map[int]*ent.Contact{}
			for _, c := range d.Client.Contact.Query().AllX(ctx) {
				out[c.ID] = c
			}
			return out
		}
		before := rows()
		ins, err := w.LoadContactInputs(ctx, nil, res.All)
		if err != nil {
			t.Fatal(err)
		}
		lastChange := 0
		if c, err := d.Client.Change.Query().Order(ent.Desc(change.FieldID)).First(ctx); err == nil {
			lastChange = c.ID
		}
		id, err := b.Start(ctx, BulkRequest{Action: "add_tag", Value: "messe", Scope: BulkScopeAll, Selection: sel})
		if err != nil {
			t.Fatal(err)
		}
		ba := d.Client.BulkAction.GetX(ctx, id)
		if ba.Status != bulkaction.StatusDone || ba.Changed != 15 || ba.Skipped != 15 || ba.Processed != 30 {
			t.Fatalf("action %+v", ba)
		}
		items := d.Client.BulkActionItem.Query().Where(bulkactionitem.ActionID(id)).AllX(ctx)
		var itemIDs []int
		for _, it := range items {
			if it.Before != "" {
				t.Fatalf("item %d: before %q", it.ContactID, it.Before)
			}
			itemIDs = append(itemIDs, it.ContactID)
		}
		if slices.Sort(itemIDs); !reflect.DeepEqual(itemIDs, want) {
			t.Fatalf("undo items %v, want %v", itemIDs, want)
		}
		audited := func(prefix string) []int {
			t.Helper()
			evs := d.Client.AuditEvent.Query().Where(auditevent.SummaryHasPrefix(fmt.Sprintf("%s #%d", prefix, id))).AllX(ctx)
			var ids []int
			for _, ev := range evs {
				if ev.EntityID == nil || ev.ActorID == nil || *ev.ActorID != staff.UserID {
					t.Fatalf("%s event %+v", prefix, ev)
				}
				tags, ok := ev.Changes["tags"]
				if !ok || len(ev.Changes) != 1 {
					t.Fatalf("%s event of %d changes %v", prefix, *ev.EntityID, ev.Changes)
				}
				if prefix == "bulk" && fmt.Sprint(tags) != "[[Presse] [Messe Presse]]" {
					t.Fatalf("bulk event of %d: tags %v", *ev.EntityID, tags)
				}
				ids = append(ids, *ev.EntityID)
			}
			slices.Sort(ids)
			return ids
		}
		if got := audited("bulk"); !reflect.DeepEqual(got, want) {
			t.Fatalf("audited %v, want %v", got, want)
		}
		var changed []int
		for _, c := range d.Client.Change.Query().Where(change.IDGT(lastChange)).AllX(ctx) {
			changed = append(changed, c.ContactID)
		}
		if slices.Sort(changed); !reflect.DeepEqual(slices.Compact(changed), want) {
			t.Fatalf("change records %v, want %v", changed, want)
		}
		after := rows()
		for cid, c := range after {
			v := before[cid].Version
			if slices.Contains(want, cid) {
				v++
			}
			if c.Version != v || c.Health != before[cid].Health || !sameTime(c.TouchDueAt, before[cid].TouchDueAt) {
				t.Fatalf("contact %d: version %d (want %d), health %d → %d", cid, before[cid].Version, c.Version, before[cid].Health, c.Health)
			}
		}
		if err := b.Undo(ctx, id); err != nil {
			t.Fatal(err)
		}
		if got := tagged(t, d, "Messe"); !reflect.DeepEqual(got, had) {
			t.Fatalf("after undo tagged %v, before %v", got, had)
		}
		if got := audited("undo bulk"); !reflect.DeepEqual(got, want) {
			t.Fatalf("undo audited %v, want %v", got, want)
		}
		ba = d.Client.BulkAction.GetX(ctx, id)
		if ba.Status != bulkaction.StatusUndone || ba.UndoProcessed != 15 || ba.UndoKept != 0 {
			t.Fatalf("undone %+v", ba)
		}
		sameInputs(t, w, ins)
	})
}
