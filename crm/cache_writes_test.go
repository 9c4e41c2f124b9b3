package crm

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/schema"
)

// TestLookupsDropOnlyWhatAWriteChanges (issue 20): a write no longer empties
// the whole cache. A title edit drops the page that shows the contact and
// keeps the others and the filter choices; logging an interaction drops the
// pages that show the contact and those sorted by activity; a new region
// drops the choices and every page; the index's change feed drops
// everything for a contact this process did not write.
func TestLookupsDropOnlyWhatAWriteChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		l := NewLookups(d.Client, time.Hour)
		w := NewContactWriter(d.Client, d.Dialect, nil, l)
		sels := NewSelections(d.Client, d.Dialect, nil, nil, l)
		u, err := CreateUser(ctx, d.Client, UserInput{Email: "a@example.com", Name: "Anna", Role: RoleStaff, Password: "correct horse battery staple"})
		if err != nil {
			t.Fatal(err)
		}
		ids := map[string]int{}
		for i, region := range []string{"Bayern", "Bayern", "Berlin"} {
			name := fmt.Sprintf("K%d", i)
			id, err := w.Create(ctx, ContactInput{FirstName: name, LastName: "Test", Region: region, Stage: "aware"})
			if err != nil {
				t.Fatal(err)
			}
			ids[name] = id
		}
		page := func(region, sort string) *ContactPage {
			t.Helper()
			p, err := sels.List(ctx, ListParams{Selection: Selection{Filter: schema.SegmentFilter{Regions: []string{region}}, Sort: sort}})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}
		bayern, berlin, byActivity := page("Bayern", SortName), page("Berlin", SortName), page("Berlin", SortLastInteraction)
		choices, err := l.FilterChoices(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// The totals after the background refresh a stale read starts.
		totals := func() *chartTotals {
			t.Helper()
			if _, err := l.chartTotals(ctx, time.Now()); err != nil {
				t.Fatal(err)
			}
			l.Wait()
			c, err := l.chartTotals(ctx, time.Now())
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
		charts := totals()
		same := func(what string, a, b any, want bool) {
			t.Helper()
			if (a == b) != want {
				t.Errorf("%s: cached value kept = %v, want %v", what, a == b, want)
			}
		}

		// A title edit of K0 (in Bayern).
		edit := func(name string, change func(*ContactInput)) {
			t.Helper()
			c := d.Client.Contact.GetX(ctx, ids[name])
			in := ContactInput{FirstName: name, LastName: "Test", Region: c.Region, Stage: "aware", Title: c.Title, Version: c.Version}
			change(&in)
			if _, err := w.Update(ctx, ids[name], in); err != nil {
				t.Fatal(err)
			}
		}
		edit("K0", func(in *ContactInput) { in.Title = "Chefredakteurin" })
		p := page("Bayern", SortName)
		same("Bayern after a title edit there", p, bayern, false)
		if p.Rows[0].Title != "Chefredakteurin" {
			t.Errorf("Bayern shows title %q", p.Rows[0].Title)
		}
		same("Berlin after a title edit in Bayern", page("Berlin", SortName), berlin, true)
		fc, _ := l.FilterChoices(ctx)
		same("choices after a title edit", &fc.Regions[0], &choices.Regions[0], true)
		same("start page charts after a title edit", totals(), charts, true)
		bayern = p

		// An interaction with K0 (in Bayern).
		if _, err := LogInteraction(ctx, d.Client, u.ID, InteractionInput{ContactIDs: []int{ids["K0"]}, Type: "call", Direction: "outbound",
			Subject: "Anruf", Sentiment: "neutral", OccurredAt: time.Now().Add(-time.Minute)}); err != nil {
			t.Fatal(err)
		}
		p = page("Bayern", SortName)
		same("Bayern after an interaction there", p, bayern, false)
		if p.Rows[0].LastInteractionAt == nil {
			t.Error("Bayern does not show the interaction")
		}
		same("Berlin by name after an interaction in Bayern", page("Berlin", SortName), berlin, true)
		same("Berlin by last interaction after an interaction", page("Berlin", SortLastInteraction), byActivity, false)
		same("start page charts after an interaction", totals(), charts, false)
		charts = totals()

		// A move to a new region: the choices and every page.
		edit("K1", func(in *ContactInput) { in.Region = "Hamburg" })
		fc, _ = l.FilterChoices(ctx)
		if len(fc.Regions) != 3 {
			t.Errorf("regions after a move to Hamburg: %v", fc.Regions)
		}
		p = page("Berlin", SortName)
		same("Berlin after a move from Bayern to Hamburg", p, berlin, false)
		if b := page("Bayern", SortName); b.Total != 1 {
			t.Errorf("Bayern total %d after a move away, want 1", b.Total)
		}
		berlin = p
		same("start page charts after a move to another region", totals(), charts, false)
		charts = totals()

		// The change feed: this process's contacts keep the pages, another's not.
		l.IndexChanged([]int{ids["K2"]})
		same("Berlin after the feed reported a contact written here", page("Berlin", SortName), berlin, true)
		l.IndexChanged([]int{ids["K2"] + 1000})
		same("Berlin after the feed reported a contact written elsewhere", page("Berlin", SortName), berlin, false)
		same("start page charts after the feed reported a contact written elsewhere", totals(), charts, false)
	})
}
