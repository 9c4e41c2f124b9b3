package bench

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/search"
)

// bulkSize is how many contacts BenchmarkBulkTag tags:
// RAPPORT_BENCH_BULK, default 50,000 (issue 21's goal: ≤ 5 s committed).
func bulkSize() int {
	if n, err := strconv.Atoi(os.Getenv("RAPPORT_BENCH_BULK")); err == nil && n > 0 {
		return n
	}
	return 50_000
}

// bulkLoopSample is how many contacts the per-contact loop it is compared
// with updates (one form save each); its rate is scaled to the size.
const bulkLoopSample = 2000

// BenchmarkBulkTag adds a tag to every contact of a scratch PostgreSQL
// database of its own (the shared dataset stays untouched) with one bulk
// action, through the selection resolver and the contact writer with its
// audit, health, change records and undo items, and undoes it; in the same
// run, a loop of single contact saves adds the tag to a sample.
// committed-s is the bulk action; db-s the part of it spent in statements
// (COMMIT included; their breakdown is logged); undo-s the undo of the whole
// action; loop-s the loop's time scaled to the size.
func BenchmarkBulkTag(b *testing.B) {
	n := bulkSize()
	st := &stmtTimes{}
	d := dbtest.Open(b, dialect.Postgres, st.wrap)
	ctx := context.Background()
	w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
	for lo := 0; lo < n; lo += 5000 {
		ws := make([]crm.ContactWrite, min(5000, n-lo))
		for i := range ws {
			ws[i] = crm.ContactWrite{In: crm.ContactInput{FirstName: "Bulk", LastName: fmt.Sprint(lo + i), Stage: "engaged",
				Region: "Berlin", Kind: "journalist", LawfulBasis: "legitimate_interest", ConsentState: "none",
				Emails: []crm.EmailInput{{Address: fmt.Sprintf("bulk%d@example.com", lo+i)}}, Topics: []string{"IT"}, Tags: []string{"Presse"}}}
		}
		if err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			_, err := w.Write(ctx, tx, ws, crm.WriteOptions{Trusted: true})
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	u := d.Client.User.Create().SetEmail("bench@example.com").SetName("Bench").SetRole("manager").SetPasswordHash("x").SaveX(ctx)
	actx := crm.WithActor(ctx, crm.Actor{UserID: u.ID, Name: u.Name, Role: crm.RoleManager})
	bulk := crm.NewBulkActions(d.Client, w, crm.NewSelections(d.Client, d.Dialect, nil, nil, nil), nil)
	// The index the search page reads, following the change records (polled
	// every 100 ms): searchable-s is until it finds every tagged contact.
	idx, err := search.Open(ctx, search.Options{Dir: b.TempDir(), Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect})
	if err != nil {
		b.Fatal(err)
	}
	ictx, stop := context.WithCancel(ctx)
	defer func() { stop(); idx.Close() }()
	go idx.Run(ictx)
	var bulkDur, loopDur, searchDur, undoDur, dbDur time.Duration
	runs := 0
	for b.Loop() {
		st.reset()
		start := time.Now()
		id, err := bulk.Start(actx, crm.BulkRequest{Action: "add_tag", Value: "Weihnachtskarte", Scope: crm.BulkScopeAll})
		if err == nil {
			_, err = bulk.Run(actx, id)
		}
		if err != nil {
			b.Fatal(err)
		}
		bulkDur += time.Since(start)
		dbDur += st.total
		b.Logf("statements of the bulk action (%s of %s):\n%s", st.total.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), st)
		if ba := d.Client.BulkAction.GetX(ctx, id); ba.Changed != n {
			b.Fatalf("changed %d of %d", ba.Changed, n)
		}
		for {
			res, err := idx.Search(ctx, search.Request{Q: "Weihnachtskarte", Size: 1})
			if err != nil {
				b.Fatal(err)
			}
			if int(res.Total) >= n {
				break
			}
			if time.Since(start) > 5*time.Minute {
				b.Fatalf("bulk tag not searchable after 5 min: %d of %d", res.Total, n)
			}
			time.Sleep(20 * time.Millisecond)
		}
		searchDur += time.Since(start)
		b.StopTimer()
		st.reset()
		start = time.Now()
		if err := bulk.Undo(actx, id); err == nil {
			_, err = bulk.RunUndo(actx, id)
		} else {
			b.Fatal(err)
		}
		undoDur += time.Since(start)
		b.Logf("statements of the undo (%s of %s):\n%s", st.total.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), st)
		if ba := d.Client.BulkAction.GetX(ctx, id); ba.Status != "undone" || ba.UndoProcessed != n || ba.UndoKept != 0 {
			b.Fatalf("undo: %s, %d processed, %d kept", ba.Status, ba.UndoProcessed, ba.UndoKept)
		}
		var left int
		if err := d.SQL.QueryRowContext(ctx, "SELECT count(*) FROM contact_tags WHERE tag_id = (SELECT id FROM tags WHERE name = 'Weihnachtskarte')").Scan(&left); err != nil || left != 0 {
			b.Fatalf("after the undo %d contacts keep the tag (%v)", left, err)
		}
		ids := d.Client.Contact.Query().Limit(bulkLoopSample).IDsX(ctx)
		ins, err := w.LoadContactInputs(ctx, nil, ids)
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		for _, id := range ids {
			in := ins[id]
			in.Tags = append(in.Tags, "Loop")
			if _, err := w.Update(actx, id, in); err != nil {
				b.Fatal(err)
			}
		}
		loopDur += time.Since(start)
		if _, err := d.SQL.ExecContext(ctx, "DELETE FROM contact_tags WHERE tag_id = (SELECT id FROM tags WHERE name = 'Loop')"); err != nil {
			b.Fatal(err)
		}
		runs++
		b.StartTimer()
	}
	b.ReportMetric(bulkDur.Seconds()/float64(runs), "committed-s")
	b.ReportMetric(dbDur.Seconds()/float64(runs), "db-s")
	b.ReportMetric(undoDur.Seconds()/float64(runs), "undo-s")
	b.ReportMetric(searchDur.Seconds()/float64(runs), "searchable-s")
	b.ReportMetric(loopDur.Seconds()/float64(runs)*float64(n)/float64(bulkLoopSample), "loop-s")
}
