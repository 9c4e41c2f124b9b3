package search_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/search"
)

// setStage moves contact id to stage directly, as the review does for
// advocates (forms cannot make one).
func setStage(t *testing.T, d *db.DB, id int, stage string) {
	t.Helper()
	err := db.WithTx(context.Background(), d.Client, func(ctx context.Context, tx *ent.Tx) error {
		return tx.Contact.UpdateOneID(id).SetStage(contact.Stage(stage)).Exec(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// stageCounts searches q with the stage facet and returns its value counts.
func stageCounts(t *testing.T, s *search.Service, q string) map[string]int {
	t.Helper()
	res, err := s.Search(context.Background(), search.Request{Q: q, Size: 100, Facets: true})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int{}
	for _, f := range res.Facets {
		if f.Field == search.FacetStage {
			for _, v := range f.Values {
				out[v.Value] = v.Count
			}
		}
	}
	return out
}

// filtered returns the ids that q finds among contacts of stage, sorted.
func filtered(t *testing.T, s *search.Service, q, stage string) []int {
	t.Helper()
	res, err := s.Search(context.Background(), search.Request{Q: q, Size: 100, Filters: map[string][]string{search.FacetStage: {stage}}})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

// TestStageIsIndexed: the stage facet counts the contacts' stages and the
// stage filter finds them, for documents from a full build (contacts made
// before the index) and from the change feed (made after), and the indexed
// stage follows a change of the stage alone: by hand, by an approved
// nomination, and through the nightly health job.
func TestStageIsIndexed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := crm.WithActor(context.Background(), crm.Actor{Role: crm.RoleManager, Name: "M"})
		mk := func(first, stage string) int {
			t.Helper()
			c, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{FirstName: first, LastName: "Stufe", Stage: stage})
			if err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
		built := mk("Sabine", "supporter") // indexed by the build that Open runs
		heike := mk("Heike", "engaged")
		setStage(t, d, heike, "advocate")
		s := openService(t, d)
		fed := mk("Susanne", "supporter") // indexed through the change feed
		eng := mk("Emil", "engaged")
		wantInSync(t, s)

		if got, want := stageCounts(t, s, "stufe"), map[string]int{"supporter": 2, "advocate": 1, "engaged": 1}; !mapsEqual(got, want) {
			t.Errorf("stage facet %v, want %v", got, want)
		}
		if got, want := filtered(t, s, "stufe", "supporter"), sorted(built, fed); !slices.Equal(got, want) {
			t.Errorf("stage=supporter finds %v, want %v", got, want)
		}
		if got := filtered(t, s, "heike", "advocate"); !slices.Equal(got, []int{heike}) {
			t.Errorf("heike, stage=advocate finds %v, want [%d]", got, heike)
		}

		// Only the stage changes: an approved nomination makes Emil an advocate.
		n, err := crm.Nominate(ctx, d.Client, eng, crm.NominationInput{Reason: "Writes about us every week."})
		if err != nil {
			t.Fatal(err)
		}
		boss, err := crm.CreateUser(ctx, d.Client, crm.UserInput{Email: "boss@example.com", Name: "Boss", Role: crm.RoleManager, Password: "long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		approver := crm.WithActor(ctx, crm.Actor{UserID: boss.ID, Role: crm.RoleManager, Name: "Boss"})
		if _, err := crm.Decide(approver, d.Client, n.ID, crm.DecisionInput{Decision: "approve"}); err != nil {
			t.Fatal(err)
		}
		wantInSync(t, s)
		if got := filtered(t, s, "stufe", "advocate"); !slices.Equal(got, sorted(heike, eng)) {
			t.Errorf("after approval, stage=advocate finds %v, want %v", got, sorted(heike, eng))
		}
		// A stage set directly (a bulk action, a migration) follows too.
		setStage(t, d, fed, "aware")
		if _, err := crm.RecomputeHealth(ctx, d.Client, time.Now()); err != nil {
			t.Fatal(err)
		}
		wantInSync(t, s)
		if got, want := stageCounts(t, s, "stufe"), map[string]int{"supporter": 1, "advocate": 2, "aware": 1}; !mapsEqual(got, want) {
			t.Errorf("after the changes, stage facet %v, want %v", got, want)
		}
	})
}

func sorted(ids ...int) []int { slices.Sort(ids); return ids }

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}
