package crm

import (
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/consentevent"
)

// TestMergeConsentHistory: a merge moves the merged contact's consent
// events to the survivor and closes its history with an event of the
// merged state, by the manager who merged, so that the newest event states
// the survivor's columns even when its own state was the stricter one and
// the moved events are newer (the audit's case: columns objected, newest
// event given). The merged notice is the later of the two. The undo takes
// that event back: both contacts' columns agree with their events again,
// and each has the events it had.
func TestMergeConsentHistory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMergeFixture(t, d)
		ctx := f.ctx
		if err := f.w.RecordConsent(ctx, f.keep, ConsentChange{ConsentState: "objected", Source: "Anruf"}); err != nil {
			t.Fatal(err)
		}
		told := time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC)
		if err := f.w.RecordConsent(ctx, f.drop, ConsentChange{LawfulBasis: "consent", ConsentState: "given", Source: "Webformular",
			Note: PrivacyNote{Notice: &Notice{At: told, Method: "E-Mail mit Datenschutzhinweis"}}}); err != nil {
			t.Fatal(err)
		}
		assertConsentAgrees(t, d.Client)
		eventsOf := func(id int) []int {
			return d.Client.ConsentEvent.Query().Where(consentevent.ContactID(id)).Order(consentevent.ByID()).IDsX(ctx)
		}
		keepEvents, dropEvents := eventsOf(f.keep), eventsOf(f.drop)

		ins, _ := f.w.LoadContactInputs(ctx, nil, []int{f.keep, f.drop})
		ev, err := f.w.Merge(ctx, MergeRequest{Keep: f.keep, Drop: f.drop, KeepVersion: ins[f.keep].Version, DropVersion: ins[f.drop].Version})
		if err != nil {
			t.Fatal(err)
		}
		k := d.Client.Contact.GetX(ctx, f.keep)
		if k.ConsentState != "objected" || k.LawfulBasis != "legitimate_interest" || k.ConsentSource != "Anruf" {
			t.Fatalf("merged columns %s/%s/%s, want objected/legitimate_interest/Anruf", k.ConsentState, k.LawfulBasis, k.ConsentSource)
		}
		if k.NotifiedAt == nil || !k.NotifiedAt.Equal(told) {
			t.Errorf("merged notice %v, want the merged contact's %v", k.NotifiedAt, told)
		}
		evs, err := ConsentHistory(ctx, d.Client, f.keep)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) != len(keepEvents)+len(dropEvents)+1 {
			t.Fatalf("%d consent events after the merge, want %d moved and kept and one of the merge", len(evs), len(keepEvents)+len(dropEvents))
		}
		last := evs[len(evs)-1]
		if string(last.ConsentState) != "objected" || string(last.LawfulBasis) != "legitimate_interest" || last.Source != "Anruf" ||
			!slices.Contains(last.Changed, ChangedMerge) || last.ActorName != "Mona Manager" {
			t.Errorf("the merge's consent event %+v", last)
		}
		assertConsentAgrees(t, d.Client)

		if _, err := f.w.UndoMerge(ctx, ev); err != nil {
			t.Fatal(err)
		}
		assertConsentAgrees(t, d.Client)
		if got := eventsOf(f.keep); !slices.Equal(got, keepEvents) {
			t.Errorf("survivor's consent events after the undo %v, want %v", got, keepEvents)
		}
		if got := eventsOf(f.drop); !slices.Equal(got, dropEvents) {
			t.Errorf("merged contact's consent events after the undo %v, want %v", got, dropEvents)
		}
		if k := d.Client.Contact.GetX(ctx, f.keep); k.NotifiedAt != nil || k.ConsentState != "objected" {
			t.Errorf("survivor after the undo: notice %v, consent %s; want none and objected", k.NotifiedAt, k.ConsentState)
		}
	})
}
