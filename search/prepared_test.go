package search_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/search"
)

// TestChangeLogStatementsArePrepared: the search's own statements run on
// the pool's preparing querier, so the repeated ones (Behind on every search
// page, the indexer's read of the change log on every pass) are prepared
// like ent's, and answer as before. A search without the querier does not
// open.
func TestChangeLogStatementsArePrepared(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := openService(t, d)
		for i := range 3 {
			if _, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{LastName: fmt.Sprintf("Weber %d", i)}); err != nil {
				t.Fatal(err)
			}
			if err := s.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			if n, err := s.Behind(ctx); err != nil || n != 0 {
				t.Fatalf("behind after sync %d: %d, %v", i, n, err)
			}
		}
		if _, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{LastName: "Wagner"}); err != nil {
			t.Fatal(err)
		}
		if _, err := d.SQL.ExecContext(ctx, "UPDATE changes SET created_at = $1", time.Now().Add(-time.Minute).UTC()); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Behind(ctx); err != nil || n != 1 {
			t.Fatalf("behind one unread change: %d, %v", n, err)
		}
		prepared := strings.Join(d.Prepared(), "\n")
		for _, want := range []string{
			"SELECT COUNT(*) FROM (SELECT 1 FROM changes WHERE id > $1 AND created_at < $2 LIMIT $3) behind", // Behind
			"SELECT id, contact_id FROM changes WHERE id > $1 ORDER BY id LIMIT $2",                          // readChanges
		} {
			if !strings.Contains(prepared, want) {
				t.Errorf("%q not prepared; prepared:\n%s", want, prepared)
			}
		}

		_, err := search.Open(ctx, search.Options{Dir: t.TempDir(), DB: d.SQL, Dialect: d.Dialect})
		if err == nil {
			t.Error("a search without Querier opened")
		}
	})
}
