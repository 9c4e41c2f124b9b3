package crm

import (
	"context"
	"fmt"
	"time"

	"entgo.io/ent/dialect/sql"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/loginthrottle"
)

// Login throttling: after ThrottlePair failed sign-ins for one e-mail from
// one address within ThrottleWindow, that pair waits; the same account from
// another address is not affected. One address failing on many accounts
// waits after ThrottleAddress failures. The window starts with the first
// counted attempt.
const (
	ThrottleWindow  = 15 * time.Minute
	ThrottlePair    = 10
	ThrottleAddress = 50
)

// Logins signs users in. Every attempt is counted with one atomic statement
// per throttle key before its password is hashed, so parallel attempts cannot
// pass the limit together; a successful sign-in gives its attempts back.
type Logins struct {
	client  *ent.Client
	dialect string
	now     func() time.Time
}

// NewLogins returns the sign-in service of client (a database of dialect).
func NewLogins(client *ent.Client, dialect string, now func() time.Time) *Logins {
	if now == nil {
		now = time.Now
	}
	return &Logins{client: client, dialect: dialect, now: now}
}

type throttleKey struct {
	key   string
	limit int
}

// Login checks the throttle, then the credentials, and audits the outcome:
// a failure and a success are both events.
func (l *Logins) Login(ctx context.Context, email, password string) (*ent.User, error) {
	email = NormalizeEmail(email)
	ip := ActorFrom(ctx).IP
	now := l.now()
	// The address first: attempts it refuses leave no row per e-mail behind.
	keys := []throttleKey{{"addr:" + ip, ThrottleAddress}, {"pair:" + email + "|" + ip, ThrottlePair}}
	var counted []string
	for _, k := range keys {
		n, start, err := l.count(ctx, k.key, now)
		if err != nil {
			l.giveBack(ctx, counted, now)
			return nil, err
		}
		counted = append(counted, k.key)
		if n > k.limit {
			l.giveBack(ctx, counted[:len(counted)-1], now) // the attempt did not happen
			return nil, throttled(start, now)
		}
	}
	u, err := Authenticate(ctx, l.client, email, password)
	if ErrorCode(err) == EUnauthorized {
		ev := Event{Action: ActionLoginFailed, Entity: EntityUser, Msg: MsgSignInAs(email)}
		if aerr := auditWith(ctx, l.client.AuditEvent.Create(), ev); aerr != nil {
			return nil, aerr
		}
		return nil, err
	}
	l.giveBack(ctx, counted, now) // a success (or our own failure) is no failed attempt
	if err != nil {
		return nil, err
	}
	if err := l.sweep(ctx, now); err != nil {
		return nil, err
	}
	actx := WithActor(ctx, Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role), RequestID: ActorFrom(ctx).RequestID, IP: ip})
	if err := auditWith(actx, l.client.AuditEvent.Create(), Event{Action: ActionLogin, Entity: EntityUser, EntityID: u.ID}); err != nil {
		return nil, err
	}
	return u, nil
}

// count adds one attempt to key in one upsert (a window that has passed
// starts again) and returns the attempts in the window and when it started.
func (l *Logins) count(ctx context.Context, key string, now time.Time) (int, time.Time, error) {
	t := sql.Dialect(l.dialect).Table(loginthrottle.Table)
	expired := now.Add(-ThrottleWindow).Unix()
	ins := sql.Dialect(l.dialect).Insert(loginthrottle.Table).
		Columns(loginthrottle.FieldKey, loginthrottle.FieldWindowStart, loginthrottle.FieldCount).
		Values(key, now.Unix(), 1).
		OnConflict(sql.ConflictColumns(loginthrottle.FieldKey), sql.ResolveWith(func(u *sql.UpdateSet) {
			start, n := t.C(loginthrottle.FieldWindowStart), t.C(loginthrottle.FieldCount) // the stored row's
			u.Set(loginthrottle.FieldCount, sql.ExprFunc(func(b *sql.Builder) {
				b.WriteString("CASE WHEN " + start + " <= ").Arg(expired).WriteString(" THEN 1 ELSE " + n + " + 1 END")
			}))
			u.Set(loginthrottle.FieldWindowStart, sql.ExprFunc(func(b *sql.Builder) {
				b.WriteString("CASE WHEN " + start + " <= ").Arg(expired).WriteString(" THEN ").Arg(now.Unix()).WriteString(" ELSE " + start + " END")
			}))
		})).
		Returning(loginthrottle.FieldCount, loginthrottle.FieldWindowStart)
	query, args := ins.Query()
	var n int
	var start int64
	err := scanRowsArgs(ctx, l.client, query, args, func(scan func(...any) error) error { return scan(&n, &start) })
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("login throttle: %w", err)
	}
	return n, time.Unix(start, 0), nil
}

// giveBack takes one attempt off each key whose window is still open.
func (l *Logins) giveBack(ctx context.Context, keys []string, now time.Time) {
	if len(keys) == 0 {
		return
	}
	_, _ = l.client.LoginThrottle.Update().
		Where(loginthrottle.KeyIn(keys...), loginthrottle.CountGT(0), loginthrottle.WindowStartGT(now.Add(-ThrottleWindow).Unix())).
		AddCount(-1).Save(ctx)
}

// sweep removes counters whose window has passed (on each sign-in, so the
// table holds at most the last window's keys).
func (l *Logins) sweep(ctx context.Context, now time.Time) error {
	_, err := l.client.LoginThrottle.Delete().Where(loginthrottle.WindowStartLTE(now.Add(-ThrottleWindow).Unix())).Exec(ctx)
	if err != nil {
		return fmt.Errorf("sweep login throttles: %w", err)
	}
	return nil
}

// RecordLogout audits a sign-out by the actor of ctx.
func RecordLogout(ctx context.Context, client *ent.Client) error {
	a := ActorFrom(ctx)
	return auditWith(ctx, client.AuditEvent.Create(), Event{Action: ActionLogout, Entity: EntityUser, EntityID: a.UserID})
}

// throttled says to wait until the window that started at start ends.
func throttled(start, now time.Time) error {
	wait := start.Add(ThrottleWindow).Sub(now).Round(time.Second)
	if wait < time.Second {
		wait = time.Second
	}
	return &Error{Code: ETooMany, RetryAfter: wait,
		Message: "Too many failed sign-ins. Try again in {{.Minutes}} minutes, or ask an admin to reset your password."}
}
