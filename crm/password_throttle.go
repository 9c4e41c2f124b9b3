package crm

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/loginthrottle"
)

// ThrottlePassword is how many wrong current passwords a signed-in user may
// enter within ThrottleWindow before the password change waits: each costs a
// hash of 19 MiB, and a stolen session must not guess the password at leisure.
const ThrottlePassword = ThrottlePair

const msgPasswordThrottled = "Too many wrong passwords. Try again later, or ask an admin to reset your password."

// passwordKey is the login throttle's key of user id's password changes.
func passwordKey(id int) string { return "pw:" + strconv.Itoa(id) }

// countPasswordAttempt counts one attempt against key in the login throttle's
// table, with the same window as sign-ins, and refuses it past limit. The
// increment is one upsert (ent writes it in the client's dialect), so parallel
// attempts cannot pass the limit together: the n-th attempt reads at least n.
func countPasswordAttempt(ctx context.Context, client *ent.Client, key string, limit int, now time.Time) error {
	expired := now.Add(-ThrottleWindow).Unix()
	err := client.LoginThrottle.Create().SetKey(key).SetWindowStart(now.Unix()).SetCount(1).
		OnConflict(sql.ConflictColumns(loginthrottle.FieldKey), sql.ResolveWith(func(u *sql.UpdateSet) {
			t := u.Table()
			start, n := t.C(loginthrottle.FieldWindowStart), t.C(loginthrottle.FieldCount) // the stored row's
			u.Set(loginthrottle.FieldCount, sql.ExprFunc(func(b *sql.Builder) {
				b.WriteString("CASE WHEN " + start + " <= ").Arg(expired).WriteString(" THEN 1 ELSE " + n + " + 1 END")
			}))
			u.Set(loginthrottle.FieldWindowStart, sql.ExprFunc(func(b *sql.Builder) {
				b.WriteString("CASE WHEN " + start + " <= ").Arg(expired).WriteString(" THEN ").Arg(now.Unix()).WriteString(" ELSE " + start + " END")
			}))
		})).Exec(ctx)
	if err != nil {
		return fmt.Errorf("password throttle: %w", err)
	}
	row, err := client.LoginThrottle.Query().Where(loginthrottle.Key(key)).Only(ctx)
	if err != nil {
		return fmt.Errorf("password throttle: %w", err)
	}
	if row.Count <= limit {
		return nil
	}
	wait := time.Unix(row.WindowStart, 0).Add(ThrottleWindow).Sub(now).Round(time.Second)
	return &Error{Code: ETooMany, RetryAfter: max(wait, time.Second), Message: msgPasswordThrottled}
}
