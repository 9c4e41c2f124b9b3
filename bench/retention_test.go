package bench

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/retentionreview"
)

// retentionSize is how many contacts BenchmarkRetentionSweep sweeps:
// RAPPORT_BENCH_RETENTION, default 100,000 (issue 14's goal: ≤ 10 s),
// whatever the dataset's size.
func retentionSize() int {
	if n, err := strconv.Atoi(os.Getenv("RAPPORT_BENCH_RETENTION")); err == nil && n > 0 {
		return n
	}
	return 100_000
}

// retentionLoopSample is how many contacts the per-contact loop it is
// compared with checks; its time is scaled to the size.
const retentionLoopSample = 2000

// BenchmarkRetentionSweep sweeps retentionSize() contacts of a scratch
// database of its own (the shared dataset stays untouched; about a third are
// due under some policy) onto the review list with Privacy.Sweep; in the
// same run, a loop that reads each contact, applies the policies in Go and
// inserts its review (what a script over the API or ent would do) checks a
// sample. sweep-s is the sweep; loop-s the loop's time scaled to the size.
func BenchmarkRetentionSweep(b *testing.B) {
	for _, dia := range dbtest.Dialects {
		b.Run(dbtest.Name(dia), func(b *testing.B) {
			ctx := context.Background()
			d := dbtest.Open(b, dia, nil)
			n := retentionSize()
			start := time.Now()
			fillRetention(b, d, n)
			fill := time.Since(start)
			p := crm.NewPrivacy(d, crm.NewContactWriter(d.Client, d.Dialect, nil, nil), nil)
			var sweepDur, loopDur time.Duration
			added, runs := 0, 0
			for b.Loop() {
				clearReviews(b, d)
				want := 0
				pre, err := p.RetentionPreview(ctx)
				if err != nil {
					b.Fatal(err)
				}
				for _, c := range pre {
					want += c.Count
				}
				start := time.Now()
				if added, err = p.Sweep(ctx); err != nil {
					b.Fatal(err)
				}
				sweepDur += time.Since(start)
				if added != want || added == 0 {
					b.Fatalf("swept %d onto the list, the preview said %d", added, want)
				}
				b.StopTimer()
				clearReviews(b, d)
				ids := d.Client.Contact.Query().Limit(retentionLoopSample).IDsX(ctx)
				start = time.Now()
				for _, id := range ids {
					if err := sweepOne(ctx, d.Client, id, time.Now().UTC()); err != nil {
						b.Fatal(err)
					}
				}
				loopDur += time.Since(start) * time.Duration(n) / time.Duration(len(ids))
				runs++
				b.StartTimer()
			}
			b.ReportMetric(sweepDur.Seconds()/float64(runs), "sweep-s")
			b.ReportMetric(loopDur.Seconds()/float64(runs), "loop-s")
			b.ReportMetric(float64(added), "reviews")
			b.ReportMetric(float64(n), "contacts")
			b.ReportMetric(fill.Seconds(), "fill-s")
		})
	}
}

// fillRetention inserts n contacts with one statement: bases, creation and
// last interaction dates spread so that every policy finds some.
func fillRetention(b *testing.B, d *db.DB, n int) {
	b.Helper()
	q := `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
		INSERT INTO contacts (created_at, updated_at, kind, first_name, last_name, sort_last, sort_first, title, bio, city, region, country,
			stage, lawful_basis, consent_state, consent_source, do_not_contact, reach, health, version, last_interaction_at)
		SELECT datetime('now', '-' || (i % 1500) || ' days'), datetime('now'), 'journalist', 'Vorname', 'Nachname' || i, 'nachname', 'vorname', '', '', '', '', '',
			'unknown', CASE i % 4 WHEN 0 THEN 'legitimate_interest' WHEN 1 THEN 'consent' WHEN 2 THEN 'contract' ELSE 'legitimate_interest' END,
			'none', '', false, 0, 0, 1, CASE WHEN i % 2 = 0 THEN datetime('now', '-' || (i % 1100) || ' days') END FROM s`
	if d.Dialect == dialect.Postgres {
		q = `INSERT INTO contacts (created_at, updated_at, kind, first_name, last_name, sort_last, sort_first, title, bio, city, region, country,
			stage, lawful_basis, consent_state, consent_source, do_not_contact, reach, health, version, last_interaction_at)
		SELECT now() - (i % 1500) * interval '1 day', now(), 'journalist', 'Vorname', 'Nachname' || i, 'nachname', 'vorname', '', '', '', '', '',
			'unknown', CASE i % 4 WHEN 0 THEN 'legitimate_interest' WHEN 1 THEN 'consent' WHEN 2 THEN 'contract' ELSE 'legitimate_interest' END,
			'none', '', false, 0, 0, 1, CASE WHEN i % 2 = 0 THEN now() - (i % 1100) * interval '1 day' END FROM generate_series(1, $1) AS i`
	}
	if _, err := d.SQL.ExecContext(context.Background(), q, n); err != nil {
		b.Fatal(err)
	}
	if _, err := d.SQL.ExecContext(context.Background(), "ANALYZE"); err != nil {
		b.Fatal(err)
	}
}

func clearReviews(b *testing.B, d *db.DB) {
	b.Helper()
	if _, err := d.SQL.ExecContext(context.Background(), "DELETE FROM retention_reviews"); err != nil {
		b.Fatal(err)
	}
}

// sweepOne is the per-contact alternative: read the contact, find the
// first policy that says it is due, and put it on the review list unless
// it is there already.
func sweepOne(ctx context.Context, client *ent.Client, id int, now time.Time) error {
	c, err := client.Contact.Get(ctx, id)
	if err != nil {
		return err
	}
	withdrawn := c.ConsentState == "withdrawn" || c.ConsentState == "objected"
	for _, pol := range crm.RetentionPolicies {
		since := c.CreatedAt
		switch {
		case pol.Withdrawn && withdrawn:
			since = c.UpdatedAt
			if c.ConsentAt != nil {
				since = *c.ConsentAt
			}
		case !pol.Withdrawn && !withdrawn && string(c.LawfulBasis) == pol.Basis:
			if c.LastInteractionAt != nil {
				since = *c.LastInteractionAt
			}
		default:
			continue
		}
		if !since.Before(now.AddDate(0, -pol.Months, 0)) {
			continue
		}
		listed, err := client.RetentionReview.Query().Where(retentionreview.ContactID(id)).Exist(ctx)
		if err != nil || listed {
			return err
		}
		return client.RetentionReview.Create().SetContactID(id).SetPolicy(pol.Key).SetReason(pol.Rule).Exec(ctx)
	}
	return nil
}
