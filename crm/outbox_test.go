package crm

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/change"
	"github.com/rapport-crm/rapport/ent/outlet"
	"github.com/rapport-crm/rapport/ent/topic"
)

// changesSince returns the contact ids of the changes after id, sorted, and the last id.
func changesSince(t *testing.T, c *ent.Client, after int) ([]int, int) {
	t.Helper()
	rows, err := c.Change.Query().Where(change.IDGT(after)).Order(change.ByID()).All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []int
	last := after
	for _, r := range rows {
		ids = append(ids, r.ContactID)
		last = r.ID
	}
	slices.Sort(ids)
	return slices.Compact(ids), last
}

// TestEveryWritePathRecordsAChange: each way a contact's search document can
// change leaves a change record for exactly the contacts concerned, in the
// same transaction.
func TestEveryWritePathRecordsAChange(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, c := context.Background(), d.Client
		u, err := CreateUser(ctx, c, UserInput{Email: "a@example.com", Name: "A", Role: RoleStaff, Password: "long enough password"})
		if err != nil {
			t.Fatal(err)
		}
		mk := func(last string) int {
			ct, err := CreateContact(ctx, c, ContactInput{LastName: last, Topics: []string{"IT"}, Outlets: []OutletRole{{Outlet: "c't"}}})
			if err != nil {
				t.Fatal(err)
			}
			return ct.ID
		}
		pos := 0
		expect := func(step string, want ...int) {
			t.Helper()
			var got []int
			got, pos = changesSince(t, c, pos)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("%s: changes for %v, want %v", step, got, want)
			}
		}
		a := mk("Albers")
		expect("create", a)
		b := mk("Berger")
		expect("create second", b)

		in := ContactInput{LastName: "Albers", Title: "Redakteurin", Version: 1, Tags: []string{"VIP"}}
		if _, err := UpdateContact(ctx, c, a, in); err != nil {
			t.Fatal(err)
		}
		expect("update", a)

		if _, err := LogInteraction(ctx, c, u.ID, InteractionInput{ContactIDs: []int{a, b}, Type: "call", OccurredAt: time.Now(), Subject: "Anruf"}); err != nil {
			t.Fatal(err)
		}
		expect("interaction with two contacts", a, b)

		err = db.WithTx(ctx, c, func(ctx context.Context, tx *ent.Tx) error {
			return tx.Outlet.Update().Where(outlet.Name("c't")).SetName("c’t Magazin").Exec(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		expect("outlet renamed", b) // a left c't in the update above

		err = db.WithTx(ctx, c, func(ctx context.Context, tx *ent.Tx) error {
			return tx.Topic.Update().Where(topic.Name("IT")).SetName("Informationstechnik").Exec(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
		expect("topic renamed", b)

		if err := DeleteContact(ctx, c, a); err != nil {
			t.Fatal(err)
		}
		expect("delete (the shared interaction stays with b, unchanged)", a)

		boom := errors.New("boom")
		err = db.WithTx(ctx, c, func(ctx context.Context, tx *ent.Tx) error {
			if err := tx.Contact.UpdateOneID(b).SetTitle("x").Exec(ctx); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatal(err)
		}
		expect("rolled back")

		if err := c.Contact.UpdateOneID(b).SetTitle("outside").Exec(ctx); !errors.Is(err, db.ErrNoTx) {
			t.Errorf("write outside WithTx: %v, want ErrNoTx", err)
		}
	})
}
