package graph_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"slices"
	"testing"

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
