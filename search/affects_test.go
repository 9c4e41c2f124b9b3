package search_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/change"
	"github.com/rapport-crm/rapport/search"
)

// entTypes lists every ent entity by the builder clients of ent.Client, so
// that a new schema shows up here without anyone remembering to add it.
func entTypes(t *testing.T) []string {
	t.Helper()
	var types []string
	ct := reflect.TypeFor[ent.Client]()
	for i := range ct.NumField() {
		f := ct.Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer || f.Type.Elem().Name() != f.Name+"Client" {
			continue
		}
		types = append(types, f.Name)
	}
	if len(types) < 10 || !slices.Contains(types, ent.TypeContact) {
		t.Fatalf("ent entities not found in ent.Client: %v", types)
	}
	return types
}

// TestOutboxCoversEveryEntity: each ent entity is either in search.Outbox
// (its writes record the contacts they touch) or in search.NotInDocument, so
// a new entity cannot be written without someone deciding whether it changes
// a contact's search document.
func TestOutboxCoversEveryEntity(t *testing.T) {
	types := entTypes(t)
	outbox := search.Outbox()
	for _, name := range types {
		_, in := outbox[name]
		_, out := search.NotInDocument[name]
		switch {
		case in && out:
			t.Errorf("%s is in both search.Outbox and search.NotInDocument", name)
		case !in && !out:
			t.Errorf("ent entity %s is in neither search.Outbox (its writes change a contact's document: say which contacts) nor search.NotInDocument (say why not)", name)
		}
	}
	for name := range outbox {
		if !slices.Contains(types, name) {
			t.Errorf("search.Outbox names %s, which is no ent entity", name)
		}
	}
	for name := range search.NotInDocument {
		if !slices.Contains(types, name) {
			t.Errorf("search.NotInDocument names %s, which is no ent entity", name)
		}
	}
}

// TestOpenWithoutOutbox: a client without the outbox would write contacts
// that never reach the index, so db.Open refuses to make one.
func TestOpenWithoutOutbox(t *testing.T) {
	for _, ob := range []db.Outbox{nil, {}} {
		d, err := db.Open(context.Background(), "", t.TempDir(), ob, nil)
		if err == nil {
			d.Close()
		}
		if !errors.Is(err, db.ErrNoOutbox) {
			t.Fatalf("db.Open with outbox %v: err = %v, want ErrNoOutbox", ob, err)
		}
	}
}

// TestTestClientsRecordChanges: the clients the tests get from dbtest carry
// the outbox: a contact written in WithTx records its change, an outlet
// renamed records the contacts it employs, and a contact written outside
// WithTx is refused.
func TestTestClientsRecordChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var c *ent.Contact
		var o *ent.Outlet
		err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			var err error
			if c, err = tx.Contact.Create().SetFirstName("Ada").SetLastName("Lovelace").Save(ctx); err != nil {
				return err
			}
			if o, err = tx.Outlet.Create().SetName("Analytical Weekly").Save(ctx); err != nil {
				return err
			}
			return tx.Employment.Create().SetContactID(c.ID).SetOutletID(o.ID).Exec(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		changed := func() []int {
			t.Helper()
			ids, err := d.Client.Change.Query().Order(ent.Asc(change.FieldID)).Select(change.FieldContactID).Ints(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return ids
		}
		if got := changed(); !slices.Equal(got, []int{c.ID}) {
			t.Fatalf("changes after creating contact %d = %v, want [%d]", c.ID, got, c.ID)
		}
		err = db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			return tx.Outlet.UpdateOneID(o.ID).SetName("Difference Engine Daily").Exec(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := changed(); !slices.Equal(got, []int{c.ID, c.ID}) {
			t.Fatalf("changes after renaming the outlet of contact %d = %v, want [%d %d]", c.ID, got, c.ID, c.ID)
		}
		_, err = d.Client.Contact.Create().SetFirstName("Charles").SetLastName("Babbage").Save(ctx)
		if !errors.Is(err, db.ErrNoTx) || !strings.Contains(err.Error(), ent.TypeContact) {
			t.Fatalf("contact created outside WithTx: err = %v, want ErrNoTx", err)
		}
	})
}
