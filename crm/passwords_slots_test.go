package crm

import (
	"context"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestPasswordHashingTakesASlot: creating a user and changing a password hash
// with argon2 (19 MiB) only in one of the process's MaxConcurrentHashes slots,
// like a sign-in: with every slot taken they wait, and go on when one frees.
func TestPasswordHashingTakesASlot(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		u, err := CreateUser(ctx, d.Client, UserInput{Email: "anna@example.com", Name: "Anna", Role: RoleStaff, Password: "correct horse battery staple"})
		if err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			run  func() error
		}{
			{"create_user", func() error {
				_, err := CreateUser(ctx, d.Client, UserInput{Email: "bert@example.com", Name: "Bert", Role: RoleStaff, Password: "another long password"})
				return err
			}},
			{"change_password", func() error {
				return NewLogins(d.Client, d.Dialect, nil).ChangePassword(ctx, u.ID, "correct horse battery staple", "a new password of some length")
			}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				for range MaxConcurrentHashes {
					hashSlots <- struct{}{}
				}
				done := make(chan error, 1)
				go func() { done <- tc.run() }()
				var early error
				finished := false
				select {
				case early = <-done:
					finished = true
				case <-time.After(hashWait / 5):
				}
				for range MaxConcurrentHashes {
					<-hashSlots
				}
				if finished {
					t.Fatalf("finished with every hashing slot taken (err %v)", early)
				}
				if err := <-done; err != nil {
					t.Errorf("with the slots free again: %v", err)
				}
			})
		}
	})
}
