package crm

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/change"
	"github.com/rapport-crm/rapport/ent/interaction"
)

// makeContacts bulk-creates n contacts named Del 0 … Del n-1, each with an
// e-mail address, and returns their ids.
func makeContacts(t testing.TB, c *ent.Client, n int) []int {
	t.Helper()
	var ids []int
	for done := 0; done < n; done += 1000 {
		err := db.WithTx(context.Background(), c, func(ctx context.Context, tx *ent.Tx) error {
			bulk := make([]*ent.ContactCreate, min(1000, n-done))
			for i := range bulk {
				bulk[i] = tx.Contact.Create().SetFirstName("Del").SetLastName(fmt.Sprint(done + i))
			}
			cs, err := tx.Contact.CreateBulk(bulk...).Save(ctx)
			if err != nil {
				return err
			}
			mails := make([]*ent.ContactEmailCreate, len(cs))
			for i, k := range cs {
				ids = append(ids, k.ID)
				mails[i] = tx.ContactEmail.Create().SetContactID(k.ID).SetAddress(fmt.Sprintf("del%d@example.de", k.ID))
			}
			return tx.ContactEmail.CreateBulk(mails...).Exec(ctx)
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return ids
}

// logWith stores an interaction with the contacts ids.
func logWith(t testing.TB, c *ent.Client, subject string, ids ...int) int {
	t.Helper()
	u, err := c.User.Query().First(context.Background())
	if ent.IsNotFound(err) {
		u, err = CreateUser(context.Background(), c, UserInput{Email: "del@example.com", Name: "Del", Role: "staff", Password: "a long test password"})
	}
	if err != nil {
		t.Fatal(err)
	}
	it, err := LogInteraction(context.Background(), c, u.ID, InteractionInput{ContactIDs: ids, Type: "call", OccurredAt: time.Now(), Subject: subject})
	if err != nil {
		t.Fatal(err)
	}
	return it.ID
}

// TestDeleteContactsSetWise: erasing 5,000 contacts costs a constant number
// of statements per 1,000 (not three per contact); their own interactions
// go, one shared with a contact who stays is kept; every erased id gets an
// audit event without the person's data and a search change record.
func TestDeleteContactsSetWise(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			var statements atomic.Int64
			d := dbtest.Open(t, dia, func(drv dialect.Driver) dialect.Driver {
				return dialect.DebugWithContext(drv, func(context.Context, ...any) { statements.Add(1) })
			})
			ctx, c := context.Background(), d.Client
			const n = 5000
			ids := makeContacts(t, c, n)
			stays := makeContacts(t, c, 1)[0]
			own := logWith(t, c, "nur die beiden", ids[0], ids[n-1]) // both go: across rounds
			shared := logWith(t, c, "mit einer, die bleibt", ids[1], stays)
			_, last := changesSince(t, c, 0)

			statements.Store(0)
			var gone []int
			err := db.WithTx(ctx, c, func(ctx context.Context, tx *ent.Tx) error {
				var err error
				gone, err = NewContactWriter(c, d.Dialect, nil, nil).Delete(ctx, tx, append(ids, 999_999_999), MsgImportRevert(1, "liste.csv"))
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
			got := statements.Load()
			t.Logf("%s: erasing %d contacts took %d statements", dbtest.Name(dia), n, got)
			// Per round: two look-ups, five locks and two SETs (PostgreSQL), one
			// statement per foreign key, the interactions, the contacts, the audit.
			rounds := (n + deleteChunk - 1) / deleteChunk
			if dia == dialect.Postgres {
				rounds = (n + deleteChunkPG - 1) / deleteChunkPG
			}
			if want := int64((len(contactKeys)+12)*rounds + 8); got > want {
				t.Errorf("erasing %d contacts took %d statements, want at most %d (set-wise)", n, got, want)
			}
			if len(gone) != n {
				t.Errorf("erased %d, want %d (the missing id skipped)", len(gone), n)
			}
			if k := c.Contact.Query().CountX(ctx); k != 1 {
				t.Errorf("%d contacts left, want 1", k)
			}
			if k := c.ContactEmail.Query().CountX(ctx); k != 1 {
				t.Errorf("%d e-mails left, want 1 (cascade)", k)
			}
			if c.Interaction.Query().Where(interaction.ID(own)).ExistX(ctx) {
				t.Error("the interaction of two erased contacts is still there")
			}
			if !c.Interaction.Query().Where(interaction.ID(shared)).ExistX(ctx) {
				t.Error("the interaction shared with a contact who stays was deleted")
			}
			evs := c.AuditEvent.Query().Where(auditevent.Action(ActionDelete), auditevent.Entity(EntityContact)).AllX(ctx)
			if len(evs) != n {
				t.Errorf("%d audit events, want %d", len(evs), n)
			}
			for _, ev := range evs[:3] {
				if ev.Summary != "import #1 (liste.csv) reverted" || len(ev.Changes) != 0 {
					t.Errorf("audit event keeps %q %v, want only the summary", ev.Summary, ev.Changes)
				}
			}
			changed, _ := changesSince(t, c, last)
			if len(changed) != n {
				t.Errorf("%d contacts have a search change record, want %d", len(changed), n)
			}
			if k := c.Change.Query().Where(change.IDGT(last)).CountX(ctx); k != n {
				t.Errorf("%d change records, want %d (one per contact)", k, n)
			}
		})
	}
}

// TestDeleteContactMissing: deleting a contact that is gone is "not found".
func TestDeleteContactMissing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		id := makeContacts(t, d.Client, 1)[0]
		if err := DeleteContact(context.Background(), d.Client, id); err != nil {
			t.Fatal(err)
		}
		if err := DeleteContact(context.Background(), d.Client, id); ErrorCode(err) != ENotFound {
			t.Errorf("second delete: %v, want not found", err)
		}
	})
}
