package bench

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/crm/notify"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/search"
)

// The morning digest's figures of the issue: 50 users at 100,000 contacts,
// all digests made in ≤ 2 s. Each user has follow-ups: one open per two
// contacts in all, due from 30 days ago to 60 days ahead (a third of them
// due by today), a fifth of them done.
const (
	digestUsers  = 50
	digestBudget = 2 * time.Second
)

// digestSet builds a database of its own (never rapport_bench_*): the demo
// at Size() contacts, digestUsers users and their follow-ups.
func digestSet(b *testing.B) (*db.DB, time.Time) {
	b.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, db.Unbounded(dbtest.CreatePostgres(b)), "", search.Outbox(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: Size(), Seed: Seed}); err != nil {
		b.Fatal(err)
	}
	for i := d.Client.User.Query().CountX(ctx); i < digestUsers; i++ {
		if _, err := crm.CreateUser(ctx, d.Client, crm.UserInput{Email: fmt.Sprintf("digest%d@example.com", i), Name: fmt.Sprint("Digest ", i),
			Role: "staff", Password: "correct horse battery staple"}); err != nil {
			b.Fatal(err)
		}
	}
	users := d.Client.User.Query().Where(user.Active(true)).IDsX(ctx)
	contacts := d.Client.Contact.Query().IDsX(ctx)
	now := time.Date(2026, 12, 5, 7, 30, 0, 0, time.UTC)
	r := rand.New(rand.NewPCG(3, 4))
	var batch []*ent.TaskCreate
	flush := func() {
		d.Client.Task.CreateBulk(batch...).ExecX(ctx)
		batch = batch[:0]
	}
	for i := 0; i < len(contacts)/2; i++ { // fixture data, not the measured path
		due := now.AddDate(0, 0, r.IntN(91)-30).Truncate(24 * time.Hour).Add(17 * time.Hour)
		c := d.Client.Task.Create().SetContactID(contacts[r.IntN(len(contacts))]).SetAssigneeID(users[r.IntN(len(users))]).
			SetTitle(fmt.Sprint("Nachfassen ", i)).SetDueAt(due)
		if r.IntN(5) == 0 {
			c.SetDoneAt(due)
		}
		if batch = append(batch, c); len(batch) == 1000 {
			flush()
		}
	}
	if len(batch) > 0 {
		flush()
	}
	if _, err := d.SQL.ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("digest dataset: %d contacts, %d users, %d follow-ups in %s", len(contacts), len(users), len(contacts)/2,
		time.Since(start).Round(time.Second))
	return d, now
}

var errRollback = errors.New("rollback")

// BenchmarkMorningDigest makes every user's digest of a morning (two
// queries for all users, rendered in their language, written as
// notifications; rolled back after each run) next to the peer: the same
// follow-ups read with the task list's query once per user.
func BenchmarkMorningDigest(b *testing.B) {
	d, now := digestSet(b)
	ctx := context.Background()
	svc := notify.New(d.Client, notify.Options{BaseURL: "https://rapport.example.com", Zone: time.UTC, DigestHour: 7,
		Now: func() time.Time { return now }})
	b.Run("digests", func(b *testing.B) {
		var l latencies
		made := 0
		for b.Loop() {
			l.time(func() {
				err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
					var err error
					if made, err = svc.MakeDigests(ctx, tx, "2026-12-05"); err != nil {
						return err
					}
					return errRollback
				})
				if !errors.Is(err, errRollback) {
					b.Fatal(err)
				}
			})
		}
		l.report(b)
		b.ReportMetric(float64(made), "digests")
		if s := l[len(l)/2]; s > digestBudget {
			b.Logf("median %s is over the budget of %s", s, digestBudget)
		}
	})
	b.Run("peer-per-user-list", func(b *testing.B) {
		users := d.Client.User.Query().Where(user.Active(true)).IDsX(ctx)
		var l latencies
		for b.Loop() {
			l.time(func() {
				for _, u := range users {
					if _, err := crm.ListTasks(ctx, d.Client, crm.TaskParams{UserID: u, Limit: 500}, now); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		l.report(b)
	})
}
