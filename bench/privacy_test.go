package bench

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/search"
)

// The privacy benchmarks write and erase, so they never use the shared
// benchmark dataset: each builds a database of its own (dbtest's, dropped
// afterwards) and its own index.

// privacyInteractions is how many interactions the erased person has.
const privacyInteractions = 10_000

// privacyBackground is how many demo contacts share the database and the
// index with the erased person: the index rewrite's cost grows with them.
func privacyBackground() int {
	if n, err := strconv.Atoi(os.Getenv("RAPPORT_PRIVACY_BACKGROUND")); err == nil && n >= 0 {
		return n
	}
	return min(Size(), 10_000)
}

type privacyDB struct {
	d   *db.DB
	idx *search.Service
	p   *crm.Privacy
}

func openPrivacyDB(b testing.TB, dia string) *privacyDB {
	return openPrivacyDBWith(b, dia, nil, nil)
}

// openPrivacyDBWith is openPrivacyDB with a driver wrap (may be nil) and,
// on PostgreSQL, a hook that sees the empty database's URL first (may be nil).
func openPrivacyDBWith(b testing.TB, dia string, wrap db.Wrap, created func(url string)) *privacyDB {
	b.Helper()
	ctx := context.Background()
	dir := b.TempDir()
	var d *db.DB
	var err error
	if dia == dialect.Postgres {
		u := dbtest.CreatePostgres(b)
		if created != nil {
			created(u)
		}
		d, err = db.Open(ctx, db.Unbounded(u), "", search.Outbox(), wrap)
	} else {
		d, err = db.Open(ctx, "", dir, search.Outbox(), wrap)
	}
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { d.Close() })
	if _, err := d.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	if n := privacyBackground(); n > 0 {
		if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: n}); err != nil {
			b.Fatal(err)
		}
	}
	idx, err := search.Open(ctx, search.Options{Dir: filepath.Join(dir, "index"), Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { idx.Close() })
	w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
	return &privacyDB{d: d, idx: idx, p: crm.NewPrivacy(d, w, idx)}
}

// busyPerson creates a contact with n interactions of their own, each with
// its audit event, as LogInteraction would have left them (in bulk).
func (pd *privacyDB) busyPerson(b testing.TB, n int) int {
	b.Helper()
	ctx := context.Background()
	id, err := crm.NewContactWriter(pd.d.Client, pd.d.Dialect, nil, nil).Create(ctx, crm.ContactInput{FirstName: "Vielbeschäftigte",
		LastName: "Journalistin", Emails: []crm.EmailInput{{Address: fmt.Sprintf("viel.%d@example.de", time.Now().UnixNano())}}})
	if err != nil {
		b.Fatal(err)
	}
	base := time.Now().Add(-time.Duration(n) * time.Hour).UTC()
	err = db.WithTx(ctx, pd.d.Client, func(ctx context.Context, tx *ent.Tx) error {
		for lo := 0; lo < n; lo += 1000 {
			k := min(1000, n-lo)
			its := make([]*ent.InteractionCreate, k)
			for i := range its {
				its[i] = tx.Interaction.Create().SetType("email").SetOccurredAt(base.Add(time.Duration(lo+i) * time.Hour)).
					SetSubject("Themenvorschlag " + strconv.Itoa(lo+i)).SetBody("Rückmeldung zur Pressemitteilung, bitte Bildmaterial senden.")
			}
			saved, err := tx.Interaction.CreateBulk(its...).Save(ctx)
			if err != nil {
				return err
			}
			ps := make([]*ent.ParticipationCreate, k)
			evs := make([]*ent.AuditEventCreate, k)
			for i, it := range saved {
				ps[i] = tx.Participation.Create().SetInteractionID(it.ID).SetContactID(id).SetOccurredAt(it.OccurredAt)
				evs[i] = tx.AuditEvent.Create().SetAction(crm.ActionCreate).SetEntity(crm.EntityInteraction).SetEntityID(it.ID).
					SetSummary("email: " + it.Subject).SetChanges(map[string][2]any{"subject": {nil, it.Subject}, "body": {nil, it.Body}})
			}
			if err := tx.Participation.CreateBulk(ps...).Exec(ctx); err != nil {
				return err
			}
			if err := tx.AuditEvent.CreateBulk(evs...).Exec(ctx); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := pd.idx.Sync(ctx); err != nil {
		b.Fatal(err)
	}
	return id
}

// BenchmarkErase erases a person with 10,000 interactions of their own
// from a database (and index) of privacyBackground() demo contacts:
// "db-ms" is the erasure's transaction (the goal: ≤ 1 s), "compact-ms"
// SQLite's checkpoint and VACUUM, "index-ms" the index's segments merged
// into one without them (these two grow with the whole database and index).
func BenchmarkErase(b *testing.B) {
	for _, dia := range dbtest.Dialects {
		b.Run(dbtest.Name(dia), func(b *testing.B) {
			pd := openPrivacyDB(b, dia)
			ctx := crm.WithActor(context.Background(), crm.Actor{Role: crm.RoleManager})
			var dbT, compactT, indexT time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				id := pd.busyPerson(b, privacyInteractions)
				b.StartTimer()
				r, err := pd.p.Erase(ctx, []int{id}, crm.EraseOptions{})
				if err != nil {
					b.Fatal(err)
				}
				if r.Interactions != privacyInteractions {
					b.Fatalf("erased %d interactions", r.Interactions)
				}
				dbT, compactT, indexT = dbT+r.Took, compactT+r.Compact, indexT+r.Index
			}
			n := float64(b.N)
			b.ReportMetric(float64(dbT.Milliseconds())/n, "db-ms")
			b.ReportMetric(float64(compactT.Milliseconds())/n, "compact-ms")
			b.ReportMetric(float64(indexT.Milliseconds())/n, "index-ms")
		})
	}
}

// BenchmarkAccessReport builds the access report of a person with 10,000
// interactions (the goal: ≤ 1 s).
func BenchmarkAccessReport(b *testing.B) {
	for _, dia := range dbtest.Dialects {
		b.Run(dbtest.Name(dia), func(b *testing.B) {
			pd := openPrivacyDB(b, dia)
			id := pd.busyPerson(b, privacyInteractions)
			ctx := context.Background()
			for b.Loop() {
				r, err := pd.p.Access(ctx, id)
				if err != nil {
					b.Fatal(err)
				}
				if len(r.Sections[2].Rows) != privacyInteractions {
					b.Fatalf("%d interactions in the report", len(r.Sections[2].Rows))
				}
			}
		})
	}
}
