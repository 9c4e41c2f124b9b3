package search_test

import (
	"context"
	"slices"
	"testing"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
)

// TestOutOfOrderCommit is the trap of sequence ids on PostgreSQL: a
// transaction takes change id n and commits after one that took n+1. The
// indexer must index n+1 at once, hold its stored position below n, and
// index n when it commits.
func TestOutOfOrderCommit(t *testing.T) {
	d := dbtest.Open(t, dialect.Postgres, nil)
	ctx := context.Background()
	s := openService(t, d)

	inTx, release, done := make(chan struct{}), make(chan struct{}), make(chan error)
	go func() {
		done <- db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			if _, err := tx.Contact.Create().SetFirstName("Langsam").SetLastName("Erst").Save(ctx); err != nil {
				return err
			}
			// Flush the outbox row now (WithTx would write it just before
			// COMMIT), so this transaction holds the lower change id.
			if _, err := tx.Change.Create().SetContactID(-1).Save(ctx); err != nil {
				return err
			}
			close(inTx)
			<-release
			return nil
		})
	}()
	<-inTx
	fast, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{FirstName: "Schnell", LastName: "Zweit"})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := find(t, s, "schnell"); !slices.Equal(got, []int{fast.ID}) {
		t.Errorf("the transaction that committed first is not searchable: %v", got)
	}
	lastID, err := d.Client.Change.Query().Aggregate(ent.Max("id")).Int(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if pos := s.Position(); pos >= lastID-1 {
		t.Errorf("stored position %d moved past the uncommitted change (last id %d)", pos, lastID)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := s.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := find(t, s, "langsam"); len(got) != 1 {
		t.Errorf("the change that committed late is not searchable: %v", got)
	}
	if pos := s.Position(); pos < lastID {
		t.Errorf("position %d did not catch up to %d once the gap closed", pos, lastID)
	}
	wantInSync(t, s)
}
