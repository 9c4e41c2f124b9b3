package graph_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/graph"
)

// collect returns the contacts Each (ids) or All (ids nil) passes on, as
// JSON (the loader reuses its values between calls).
func collect(t *testing.T, l graph.Loader, ids []int, n graph.Need) []string {
	t.Helper()
	var out []string
	fn := func(c *graph.Contact) error {
		b, err := json.Marshal(c)
		out = append(out, string(b))
		return err
	}
	var err error
	if ids == nil {
		err = l.All(context.Background(), n, fn)
	} else {
		err = l.Each(context.Background(), ids, n, fn)
	}
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestLoader: a list of ids comes back in its order, without the ids that
// do not exist, the same in one round or in windows of two; every contact
// comes back in id order the same; a narrow need reads only its parts.
func TestLoader(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: 60, Interactions: 300, Seed: 5}); err != nil {
			t.Fatal(err)
		}
		all, err := d.Client.Contact.Query().IDs(ctx)
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(all)
		l := graph.Loader{DB: d.SQL, Dialect: d.Dialect}
		every := collect(t, l, nil, graph.All)
		if len(every) != len(all) {
			t.Fatalf("All: %d contacts, want %d", len(every), len(all))
		}
		if got := collect(t, l, all, graph.All); !slices.Equal(got, every) {
			t.Error("Each over every id differs from All")
		}
		rev := slices.Clone(all)
		slices.Reverse(rev)
		rev = append([]int{1 << 30}, rev...) // does not exist
		want := slices.Clone(every)
		slices.Reverse(want)
		if got := collect(t, l, rev, graph.All); !slices.Equal(got, want) {
			t.Error("Each over ids in reverse order is not the reverse of All")
		}
		l.Window = 2
		if got := collect(t, l, rev, graph.All); !slices.Equal(got, want) {
			t.Error("Each in windows of two differs")
		}
		var full, withRelations int
		err = l.All(ctx, graph.All, func(c *graph.Contact) error {
			if c.Stage != "" && c.Kind != "" && c.LastName != "" && !c.UpdatedAt.IsZero() {
				full++
			}
			if len(c.Emails) > 0 && len(c.Channels) > 0 && len(c.Jobs) > 0 && len(c.Topics) > 0 && len(c.Notes) > 0 {
				withRelations++
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if full != len(all) || withRelations == 0 {
			t.Errorf("%d of %d contacts with their fields, %d with every relation", full, len(all), withRelations)
		}
		err = l.Each(ctx, all, graph.Stage|graph.Emails, func(c *graph.Contact) error {
			if c.Stage == "" || c.LastName != "" || c.Kind != "" || c.Notes != nil || c.Topics != nil {
				t.Fatalf("narrow need read %+v", c)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestLoaderSmallPool: a pool too small for a load's queries is an error,
// not a wait for ever.
func TestLoaderSmallPool(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		d.SQL.SetMaxOpenConns(2)
		defer d.SQL.SetMaxOpenConns(0)
		err := graph.Loader{DB: d.SQL, Dialect: d.Dialect}.All(context.Background(), graph.All, func(*graph.Contact) error { return nil })
		if err == nil {
			t.Fatal("no error with a pool of 2")
		}
		var _ *sql.DB = d.SQL
	})
}

// TestLoaderNewestNotes: a load reads each contact's MaxNotes newest
// interactions, the newer of two at the same time (the higher id) first,
// whether it reads every contact or a list (with an id twice), on both
// databases; a contact of fewer keeps them all.
func TestLoaderNewestNotes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: 40, Interactions: 400, Seed: 7}); err != nil {
			t.Fatal(err)
		}
		type note struct {
			id int
			at time.Time
		}
		history := func() map[int][]note { // every contact's interactions, newest first
			h := map[int][]note{}
			rows, err := d.SQL.QueryContext(ctx, "SELECT p.contact_id, i.id, i.occurred_at FROM participations p JOIN interactions i ON i.id = p.interaction_id")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var c int
				var n note
				if err := rows.Scan(&c, &n.id, &n.at); err != nil {
					t.Fatal(err)
				}
				h[c] = append(h[c], n)
			}
			for _, ns := range h {
				slices.SortFunc(ns, func(a, b note) int {
					if c := b.at.Compare(a.at); c != 0 {
						return c
					}
					return b.id - a.id
				})
			}
			return h
		}
		// The busiest contact's 5th and 6th newest happen at the same time
		// as its 7th: which two of three stay is decided by id alone.
		busiest, h := 0, history()
		for c, ns := range h {
			if len(ns) > len(h[busiest]) {
				busiest = c
			}
		}
		if n := len(h[busiest]); n < graph.MaxNotes+2 {
			t.Fatalf("the busiest contact has %d interactions, want at least %d", n, graph.MaxNotes+2)
		}
		tie := h[busiest][graph.MaxNotes+1].at
		for _, n := range h[busiest][graph.MaxNotes-1 : graph.MaxNotes+1] {
			for _, q := range []string{"UPDATE interactions SET occurred_at = $1 WHERE id = $2",
				"UPDATE participations SET occurred_at = $1 WHERE interaction_id = $2"} {
				if _, err := d.SQL.ExecContext(ctx, q, tie, n.id); err != nil {
					t.Fatal(err)
				}
			}
		}
		h = history()
		few := 0
		check := func(how string, c *graph.Contact) {
			want := h[c.ID]
			if len(want) < graph.MaxNotes {
				few++
			}
			want = want[:min(len(want), graph.MaxNotes)]
			got := make([]int, len(c.Notes))
			for i, n := range c.Notes {
				got[i] = n.ID
			}
			ids := make([]int, len(want))
			for i, n := range want {
				ids[i] = n.id
			}
			if !slices.Equal(got, ids) {
				t.Errorf("%s: contact %d has notes %v, want %v", how, c.ID, got, ids)
			}
		}
		l := graph.Loader{DB: d.SQL, Dialect: d.Dialect}
		if err := l.All(ctx, graph.Notes, func(c *graph.Contact) error { check("All", c); return nil }); err != nil {
			t.Fatal(err)
		}
		if few == 0 {
			t.Error("no contact has fewer than MaxNotes interactions")
		}
		twice := []int{busiest, busiest}
		for c := range h {
			twice = append(twice, c)
		}
		seen := 0
		err := l.Each(ctx, twice, graph.Notes, func(c *graph.Contact) error {
			if c.ID == busiest {
				seen++
			}
			check("Each", c)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if seen != 3 {
			t.Errorf("Each passed the busiest contact on %d times, want 3", seen)
		}
	})
}
