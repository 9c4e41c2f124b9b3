package crm

import (
	"context"
	"errors"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/interaction"
)

// TestDeleteRacesAnInsert (PostgreSQL, without the foreign keys' triggers):
// a row added for a contact that is being deleted, by another transaction
// (a tag, a participation in someone else's interaction, a follower figure
// of the contact's channel: a row of a row of the contact), either waits
// for the deletion and then fails on its foreign key, or, when it came
// first, makes the deletion wait and then goes with the contact. No row is
// ever left referring to a row that is gone.
func TestDeleteRacesAnInsert(t *testing.T) {
	d := dbtest.Open(t, dialect.Postgres, nil)
	ctx := context.Background()
	w := NewContactWriter(d.Client, d.Dialect, nil, nil)
	stays := makeContacts(t, d.Client, 1)[0]
	theirs := logWith(t, d.Client, "bleibt", stays)
	tag := d.Client.Tag.Create().SetName("Presse").SaveX(ctx).ID
	kinds := []struct {
		name   string
		insert func(contact, channel int) (string, []any)
	}{
		{"tag", func(c, _ int) (string, []any) {
			return "INSERT INTO contact_tags (contact_id, tag_id) VALUES ($1, $2)", []any{c, tag}
		}},
		{"participation", func(c, _ int) (string, []any) {
			return "INSERT INTO participations (interaction_id, contact_id, occurred_at) VALUES ($1, $2, now())", []any{theirs, c}
		}},
		{"follower figure", func(_, ch int) (string, []any) {
			return "INSERT INTO follower_snapshots (social_profile_id, followers, at) VALUES ($1, 7, now())", []any{ch}
		}},
	}
	erase := func(id int) error {
		return db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			_, err := w.Delete(ctx, tx, []int{id}, MsgContactErased())
			return err
		})
	}
	for _, k := range kinds {
		t.Run(k.name+"/delete first", func(t *testing.T) {
			id, ch := contactWithChannel(t, d)
			deleted, release, done := make(chan struct{}), make(chan struct{}), make(chan error, 1)
			go func() {
				done <- db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
					_, err := w.Delete(ctx, tx, []int{id}, MsgContactErased())
					close(deleted)
					<-release
					return err
				})
			}()
			<-deleted
			inserted := make(chan error, 1)
			go func() {
				q, args := k.insert(id, ch)
				_, err := d.SQL.ExecContext(ctx, q, args...)
				inserted <- err
			}()
			waitForLockWait(t, d) // the insert waits for the deletion
			close(release)
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			var pqErr *pq.Error
			if err := <-inserted; !errors.As(err, &pqErr) || pqErr.Code != "23503" {
				t.Errorf("the insert after the deletion: %v, want a foreign key violation", err)
			}
			for key, n := range dbtest.Orphans(t, d) {
				t.Errorf("%s: %d rows refer to a row that is gone", key, n)
			}
		})
		t.Run(k.name+"/insert first", func(t *testing.T) {
			id, ch := contactWithChannel(t, d)
			other, err := d.SQL.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer other.Rollback()
			q, args := k.insert(id, ch)
			if _, err := other.ExecContext(ctx, q, args...); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() { done <- erase(id) }()
			waitForLockWait(t, d) // the deletion waits for the insert
			if err := other.Commit(); err != nil {
				t.Fatal(err)
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			for key, n := range dbtest.Orphans(t, d) {
				t.Errorf("%s: %d rows refer to a row that is gone", key, n)
			}
			if !d.Client.Contact.Query().Where(contact.ID(stays)).ExistX(ctx) || !d.Client.Interaction.Query().Where(interaction.ID(theirs)).ExistX(ctx) {
				t.Error("the contact who stays or their interaction is gone")
			}
		})
	}
}

// contactWithChannel stores a contact with a channel and returns both ids.
func contactWithChannel(t *testing.T, d *db.DB) (int, int) {
	t.Helper()
	id := makeContacts(t, d.Client, 1)[0]
	var ch int
	err := db.WithTx(context.Background(), d.Client, func(ctx context.Context, tx *ent.Tx) error {
		sp, err := tx.SocialProfile.Create().SetContactID(id).SetPlatform("x").SetHandle("race").Save(ctx)
		if err == nil {
			ch = sp.ID
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, ch
}

// waitForLockWait waits until a session of d's database waits for a lock.
func waitForLockWait(t *testing.T, d *db.DB) {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		var n int
		if err := d.SQL.QueryRow("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'").Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n > 0 {
			return
		}
	}
	t.Fatal("no session waits for a lock after 30 s")
}
