package db_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/user"
)

// TestRepeatedStatementsArePrepared: a statement with arguments is prepared
// from its second use (in the background), and the prepared one answers as
// the plain one did,
// through ent and the raw calls, outside and inside transactions (ent's
// writes, a rolled-back write); a statement without arguments, or used
// once, is not prepared.
func TestRepeatedStatementsArePrepared(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		base := len(d.Prepared())
		for i := range 3 {
			if _, err := d.Client.User.Create().SetEmail(fmt.Sprintf("u%d@example.com", i)).SetName(fmt.Sprintf("U%d", i)).
				SetPasswordHash("x").SetRole(user.RoleStaff).Save(ctx); err != nil {
				t.Fatal(err)
			}
		}
		byEmail := func(c *ent.Client, email string) string {
			u, err := c.User.Query().Where(user.Email(email)).Only(ctx)
			if err != nil {
				t.Fatalf("%s: %v", email, err)
			}
			return u.Name
		}
		for i := range 3 {
			if got := byEmail(d.Client, fmt.Sprintf("u%d@example.com", i)); got != fmt.Sprintf("U%d", i) {
				t.Fatalf("run %d: name %q", i, got)
			}
		}
		raw := func(q func(ctx context.Context, query string, args ...any) (int, error)) {
			for i := range 3 {
				n, err := q(ctx, "SELECT COUNT(*) FROM users WHERE email LIKE $1", "u%")
				if err != nil || n != 3 {
					t.Fatalf("raw run %d: %d, %v", i, n, err)
				}
			}
		}
		raw(func(ctx context.Context, query string, args ...any) (n int, err error) {
			rows, err := d.Client.QueryContext(ctx, query, args...)
			if err != nil {
				return 0, err
			}
			defer rows.Close()
			rows.Next()
			return n, rows.Scan(&n)
		})
		prepared := len(d.Prepared())
		if prepared < base+3 { // the insert, the look-up by e-mail, the count
			t.Fatalf("%d statements prepared after repeating three, want at least %d", prepared, base+3)
		}
		// In transactions: the prepared statements, ent's writes and a rollback.
		for i := range 3 {
			err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
				if got := byEmail(tx.Client(), "u1@example.com"); got != fmt.Sprintf("U1 %d", i) && (i > 0 || got != "U1") {
					return fmt.Errorf("in tx %d: name %q", i, got)
				}
				if err := tx.User.Update().Where(user.Email("u1@example.com")).SetName(fmt.Sprintf("U1 %d", i+1)).Exec(ctx); err != nil {
					return err
				}
				if _, err := tx.ExecContext(ctx, "UPDATE users SET name = $1 WHERE email = $2", fmt.Sprintf("U1 %d", i+1), "u1@example.com"); err != nil {
					return err
				}
				if i == 2 {
					return errRollBack
				}
				return nil
			})
			if i == 2 && err != errRollBack || i < 2 && err != nil {
				t.Fatalf("tx %d: %v", i, err)
			}
		}
		if got := byEmail(d.Client, "u1@example.com"); got != "U1 2" {
			t.Fatalf("after the transactions: %q, want the rolled-back write gone", got)
		}
		if len(d.Prepared()) <= prepared {
			t.Fatalf("no statement of the transactions prepared")
		}
		// Without arguments: never prepared.
		before := len(d.Prepared())
		for range 3 {
			if _, err := d.Client.ExecContext(ctx, "UPDATE users SET active = active"); err != nil {
				t.Fatal(err)
			}
		}
		if len(d.Prepared()) != before {
			t.Fatalf("a statement without arguments was prepared")
		}
	})
}

var errRollBack = fmt.Errorf("roll back")

// TestPreparingWaitsForNoConnection: with every connection of the pool in a
// transaction, a statement's second use (which starts preparing it) goes on
// unprepared instead of waiting for a connection that none of them gives
// back (the busy team hung on that: 12 of 100 requests timed out).
func TestPreparingWaitsForNoConnection(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		d.SQL.SetMaxOpenConns(2)
		var wg sync.WaitGroup
		errs := make(chan error, 2)
		start := make(chan struct{})
		for i := range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
					<-start // both transactions hold their connection
					for j := range 4 {
						if _, err := tx.ExecContext(ctx, "UPDATE users SET name = $1 WHERE id = $2", fmt.Sprint(i, j), -1); err != nil {
							return err
						}
					}
					return nil
				})
			}()
		}
		time.Sleep(200 * time.Millisecond)
		close(start)
		wg.Wait()
		for range 2 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
		if n := len(d.Prepared()); n == 0 {
			t.Fatalf("nothing prepared once the transactions ended")
		}
	})
}
