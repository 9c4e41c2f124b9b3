package crm

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
)

// TestMergeIsOneAuditEvent: a merge leaves exactly one audit event, which
// carries the survivor's field changes and the removed contact; its undo
// leaves exactly one more, with the fields changed back.
func TestMergeIsOneAuditEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMergeFixture(t, d)
		ins, err := f.w.LoadContactInputs(f.ctx, nil, []int{f.keep, f.drop})
		if err != nil {
			t.Fatal(err)
		}
		since := lastEventID(t, f.ctx, d.Client)
		ev, err := f.w.Merge(f.ctx, MergeRequest{Keep: f.keep, Drop: f.drop, KeepVersion: ins[f.keep].Version,
			DropVersion: ins[f.drop].Version, FromDrop: []string{"title", "stage"}})
		if err != nil {
			t.Fatal(err)
		}
		evs := d.Client.AuditEvent.Query().Where(auditevent.IDGT(since)).Order(auditevent.ByID()).AllX(f.ctx)
		if len(evs) != 1 || evs[0].ID != ev || evs[0].Action != ActionMerge || *evs[0].EntityID != f.keep {
			t.Fatalf("a merge left %d events: %v", len(evs), describe(evs))
		}
		m := evs[0]
		if want := fmt.Sprintf("Merged #%d (Miriam Klein) into #%d (Miriam Klein)", f.drop, f.keep); m.Summary != want {
			t.Errorf("summary %q, want %q", m.Summary, want)
		}
		if c := m.Changes["title"]; c[0] != "Redakteurin" || c[1] != "Ressortleiterin" {
			t.Errorf("title change %v", c)
		}
		if c := m.Changes["stage"]; c[0] != "aware" || c[1] != "engaged" {
			t.Errorf("stage change %v", c)
		}
		removed, _ := m.Changes[mergeRemovedKey][0].(map[string]any)
		if removed["title"] != "Ressortleiterin" || removed["stage"] != "engaged" || m.Changes[mergeSnapshotKey][1] == nil {
			t.Errorf("removed contact %v, snapshot %v", removed, m.Changes[mergeSnapshotKey][1] != nil)
		}
		if c := m.Changes["merged"]; fmt.Sprint(c) != fmt.Sprint([2]any{float64(f.drop), float64(f.keep)}) {
			t.Errorf("merged %v", c)
		}

		since = lastEventID(t, f.ctx, d.Client)
		if _, err := f.w.UndoMerge(f.ctx, ev); err != nil {
			t.Fatal(err)
		}
		evs = d.Client.AuditEvent.Query().Where(auditevent.IDGT(since)).Order(auditevent.ByID()).AllX(f.ctx)
		if len(evs) != 1 || evs[0].Action != ActionMergeUndo || *evs[0].EntityID != f.keep {
			t.Fatalf("an undo left %d events: %v", len(evs), describe(evs))
		}
		u := evs[0]
		if want := fmt.Sprintf("Undid the merge of #%d into #%d", f.drop, f.keep); u.Summary != want {
			t.Errorf("undo summary %q, want %q", u.Summary, want)
		}
		if c := u.Changes["title"]; c[0] != "Ressortleiterin" || c[1] != "Redakteurin" {
			t.Errorf("undo title change %v", c)
		}
		if c := u.Changes["restored"]; c[1] != float64(f.drop) {
			t.Errorf("restored %v", c)
		}
		// The merge's event keeps no data of the person who is back.
		left := d.Client.AuditEvent.GetX(f.ctx, ev).Changes
		if keys := slices.Sorted(mapKeys(left)); !slices.Equal(keys, []string{"merged", "undone"}) {
			t.Errorf("the undone merge's event keeps %v", keys)
		}
	})
}

func lastEventID(t *testing.T, ctx context.Context, c *ent.Client) int {
	t.Helper()
	id, err := c.AuditEvent.Query().Aggregate(ent.Max(auditevent.FieldID)).Int(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func describe(evs []*ent.AuditEvent) []string {
	out := make([]string, len(evs))
	for i, e := range evs {
		out[i] = e.Action + " " + e.Entity + ": " + e.Summary
	}
	return out
}
