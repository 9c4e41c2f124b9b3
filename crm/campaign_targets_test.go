package crm

import (
	"fmt"
	"slices"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestTargetPagesFollowResolver walks a campaign's target list with the
// cursor, a few a page, unfiltered and in a status: exactly the resolver's
// members of TargetSelection in its order (names with ties, so that the
// cursor's later keys break them), each page's counts over the whole list,
// and no cursor after the last page.
func TestTargetPagesFollowResolver(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newCampaignFixture(t, d, 37)
		lasts := []string{"Müller", "Schmidt", "Özdemir", "Abel", "müller"}
		for i, id := range f.ids {
			first, last := fmt.Sprint("Vorname ", i%3), lasts[i%len(lasts)]
			u := d.Client.Contact.UpdateOneID(id).SetFirstName(first).SetLastName(last)
			SetSortKeys(u.Mutation(), first, last)
			u.ExecX(db.SelfRecorded(f.ctx)) // test data: no search change record wanted
		}
		others := makeContacts(t, d.Client, 5) // not on the list
		if _, err := f.svc.AddTargets(f.ctx, f.c.ID, f.ids[:35]); err != nil {
			t.Fatal(err)
		}
		declined := []int{f.ids[3], f.ids[4], f.ids[17], f.ids[30], f.ids[34]}
		if r, err := f.svc.SetStatus(f.ctx, f.c.ID, declined, PitchDeclined); err != nil || r.Changed != 5 {
			t.Fatalf("set status: %+v %v", r, err)
		}
		for _, st := range []string{"", PitchDeclined, PitchPlanned} {
			res, err := f.svc.sels.Resolve(f.ctx, TargetSelection(f.c.ID, st), false)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			after := ""
			for range 50 {
				p, err := f.svc.Targets(f.ctx, f.c.ID, TargetFilter{Status: st, Limit: 4, After: after})
				if err != nil {
					t.Fatal(err)
				}
				if p.Total != len(res.All) || p.ByStatus[PitchDeclined] != 5 || p.ByStatus[PitchPlanned] != 30 {
					t.Fatalf("status %q: total %d (resolver %d), by status %v", st, p.Total, len(res.All), p.ByStatus)
				}
				for _, r := range p.Rows {
					got = append(got, r.ContactID)
					if st != "" && r.Status != st {
						t.Errorf("status %q: row %d in %q", st, r.ContactID, r.Status)
					}
				}
				if after = p.Next; after == "" {
					break
				}
				if len(p.Rows) != 4 {
					t.Fatalf("status %q: a page of %d before the last", st, len(p.Rows))
				}
			}
			if !slices.Equal(got, res.All) {
				t.Errorf("status %q: pages %v, resolver %v", st, got, res.All)
			}
			if want := map[string]int{"": 35, PitchDeclined: 5, PitchPlanned: 30}[st]; len(got) != want {
				t.Errorf("status %q: %d targets, want %d", st, len(got), want)
			}
			for _, o := range append(others, f.ids[35:]...) {
				if slices.Contains(got, o) {
					t.Errorf("status %q: %d is not a target", st, o)
				}
			}
		}
		if _, err := f.svc.Targets(f.ctx, f.c.ID, TargetFilter{After: "kaputt"}); ErrorCode(err) != EInvalid {
			t.Errorf("a broken cursor: %v, want invalid", err)
		}
	})
}
