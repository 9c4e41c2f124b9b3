package importing_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importjob"
)

// csvOf is a file of n new people, p0 … p(n-1).
func csvOf(n int) []byte {
	var b strings.Builder
	b.WriteString("Vorname;Nachname;E-Mail\r\n")
	for i := range n {
		fmt.Fprintf(&b, "Person;Nummer %d;p%d@example.de\r\n", i, i)
	}
	return []byte(b.String())
}

// clock is a fake clock the test moves by hand.
func clock(t time.Time) func() time.Time { return func() time.Time { return t } }

// TestRevertAndResumeRace: for an interrupted import, a resume and two
// reverts sent at once: exactly one of them wins, every time.
func TestRevertAndResumeRace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		u := staff(t, d)
		j := upload(t, d, u, "race.csv", csvOf(4), nil)
		run(t, d, j.ID)
		for round := range 20 {
			d.Client.ImportJob.UpdateOneID(j.ID).SetStatus(importjob.StatusInterrupted).SetWorker("").ClearLeaseUntil().ExecX(ctx)
			var wins atomic.Int32
			var wg sync.WaitGroup
			start := make(chan struct{})
			try := func(f func() error) {
				defer wg.Done()
				<-start
				err := f()
				switch {
				case err == nil:
					wins.Add(1)
				case crm.ErrorCode(err) != crm.EConflict:
					t.Errorf("round %d: %v, want a conflict", round, err)
				}
			}
			wg.Add(3)
			go try(func() error { return importing.Queue(ctx, d.Client, j.ID) })
			go try(func() error { return importing.RequestRevert(ctx, d.Client, j.ID, importing.RevertRequest{By: u.ID}) })
			go try(func() error { return importing.RequestRevert(ctx, d.Client, j.ID, importing.RevertRequest{By: u.ID}) })
			close(start)
			wg.Wait()
			if n := wins.Load(); n != 1 {
				t.Fatalf("round %d: %d of a resume and two reverts won, want exactly 1", round, n)
			}
		}
	})
}

// TestLeaseResume: an import whose worker died holds no one up longer than
// its lease: before the lease runs out a resume is refused, after it the
// job shows interrupted and resumes at once (fake clock, no sleeping).
func TestLeaseResume(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		u := staff(t, d)
		j := upload(t, d, u, "lease.csv", csvOf(6), nil)
		t0 := time.Now().UTC()
		dead := &importing.Runner{Client: d.Client, Worker: "dead", Clock: clock(t0)}
		if ok, err := dead.Claim(ctx, j.ID, true); err != nil || !ok {
			t.Fatalf("claim: %v %v", ok, err)
		}
		// The worker dies without a word. Just before its lease runs out:
		early := t0.Add(importing.Lease - time.Second)
		cli := &importing.Runner{Client: d.Client, Worker: "cli", Clock: clock(early), BatchSize: 2}
		if ok, err := cli.Claim(ctx, j.ID, true); err != nil || ok {
			t.Fatalf("resume while the lease holds: %v %v, want refused", ok, err)
		}
		if n, err := importing.MarkStale(ctx, d.Client, early); err != nil || n != 0 {
			t.Fatalf("stale while the lease holds: %d %v", n, err)
		}
		// Just after it: interrupted, and resumed at once.
		late := t0.Add(importing.Lease + time.Millisecond)
		if n, err := importing.MarkStale(ctx, d.Client, late); err != nil || n != 1 {
			t.Fatalf("stale after the lease: %d %v", n, err)
		}
		if s := d.Client.ImportJob.GetX(ctx, j.ID).Status; s != importjob.StatusInterrupted {
			t.Fatalf("status %s after the lease ran out, want interrupted", s)
		}
		cli.Clock = clock(late)
		if ok, err := cli.Claim(ctx, j.ID, true); err != nil || !ok {
			t.Fatalf("resume after the lease: %v %v", ok, err)
		}
		if err := cli.Run(ctx, j.ID); err != nil {
			t.Fatal(err)
		}
		if j := d.Client.ImportJob.GetX(ctx, j.ID); j.Status != importjob.StatusDone || j.CreatedCount != 6 {
			t.Errorf("after resuming: %s, %d created", j.Status, j.CreatedCount)
		}

		// A claim on a running import whose lease ran out needs no
		// interrupted-check first: the claim itself is conditional on it.
		k := upload(t, d, u, "lease2.csv", csvOf(2), nil)
		if ok, _ := dead.Claim(ctx, k.ID, true); !ok {
			t.Fatal("claim second job")
		}
		if ok, err := cli.Claim(ctx, k.ID, true); err != nil || !ok {
			t.Fatalf("claim of a running job with an expired lease: %v %v", ok, err)
		}
		if w := d.Client.ImportJob.GetX(ctx, k.ID).Worker; w != "cli" {
			t.Errorf("worker %q, want cli", w)
		}
	})
}

// flaky is a driver that fails every statement while down is set.
type flaky struct {
	dialect.Driver
	down *atomic.Bool
}

var errDown = errors.New("connection refused")

func (f flaky) Exec(ctx context.Context, q string, args, v any) error {
	if f.down.Load() {
		return errDown
	}
	return f.Driver.Exec(ctx, q, args, v)
}

func (f flaky) Query(ctx context.Context, q string, args, v any) error {
	if f.down.Load() {
		return errDown
	}
	return f.Driver.Query(ctx, q, args, v)
}

func (f flaky) Tx(ctx context.Context) (dialect.Tx, error) {
	if f.down.Load() {
		return nil, errDown
	}
	return f.Driver.Tx(ctx)
}

// TestWorkerBackoff: while the database is down the worker waits longer
// after each failed round (doubling, capped) and logs one ERROR, not one
// per round; when it is back, one INFO.
func TestWorkerBackoff(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			var down atomic.Bool
			d := dbtest.Open(t, dia, func(drv dialect.Driver) dialect.Driver { return flaky{drv, &down} })
			var logs bytes.Buffer
			w := &importing.Worker{Runner: &importing.Runner{Client: d.Client, Worker: "w"}, Poll: time.Second, MaxBackoff: 30 * time.Second,
				Log: slog.New(slog.NewTextHandler(&logs, nil))}
			ctx := context.Background()
			if got := w.Step(ctx); got != time.Second {
				t.Errorf("healthy round waits %s, want the poll interval", got)
			}
			down.Store(true)
			var waits []time.Duration
			for range 8 {
				waits = append(waits, w.Step(ctx))
			}
			want := []time.Duration{1, 2, 4, 8, 16, 30, 30, 30}
			for i := range want {
				if waits[i] != want[i]*time.Second {
					t.Fatalf("waits while down %v, want %v seconds", waits, want)
				}
			}
			down.Store(false)
			if got := w.Step(ctx); got != time.Second {
				t.Errorf("first round back waits %s", got)
			}
			w.Step(ctx)
			out := logs.String()
			if n := strings.Count(out, "level=ERROR"); n != 1 {
				t.Errorf("%d ERROR lines for one outage, want 1:\n%s", n, out)
			}
			if n := strings.Count(out, "reachable again"); n != 1 {
				t.Errorf("%d recovery lines, want 1:\n%s", n, out)
			}
		})
	}
}

// TestDryRunInWorker: a queued dry run is the worker's job, with a progress
// bar's values on the job as it goes; a file over the row limit comes back
// with a clear message.
func TestDryRunInWorker(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		u := staff(t, d)
		j := upload(t, d, u, "dry.csv", csvOf(7), nil)
		if err := importing.QueueDryRun(ctx, d.Client, j.ID); err != nil {
			t.Fatal(err)
		}
		if s := d.Client.ImportJob.GetX(ctx, j.ID).Status; s != importjob.StatusChecking {
			t.Fatalf("queued dry run is %s", s)
		}
		if _, err := importing.SetMapping(ctx, d.Client, j, j.Mapping); crm.ErrorCode(err) != crm.EConflict {
			t.Errorf("mapping changed while the dry run is queued: %v", err)
		}
		var seen []string
		r := &importing.Runner{Client: d.Client, Worker: "w", BatchSize: 3}
		r.Progress = func(done, total int) {
			j := d.Client.ImportJob.Query().Where(importjob.ID(j.ID)).Select(importjob.FieldProcessedRows, importjob.FieldTotalRows).OnlyX(ctx)
			seen = append(seen, fmt.Sprintf("%d/%d=%d/%d", done, total, j.ProcessedRows, j.TotalRows))
		}
		w := &importing.Worker{Runner: r, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
		w.Step(ctx)
		if got := strings.Join(seen, " "); got != "0/7=0/7 3/7=3/7 6/7=6/7 7/7=7/7" {
			t.Errorf("progress %q", got)
		}
		got := d.Client.ImportJob.GetX(ctx, j.ID)
		if got.Status != importjob.StatusDryRun || got.TotalRows != 7 || got.ProcessedRows != 0 || got.Worker != "" {
			t.Errorf("after the dry run: %s total %d processed %d worker %q", got.Status, got.TotalRows, got.ProcessedRows, got.Worker)
		}
		if n := d.Client.Contact.Query().CountX(ctx); n != 0 {
			t.Errorf("the dry run created %d contacts", n)
		}

		big := upload(t, d, u, "big.csv", csvOf(8), nil)
		if err := importing.QueueDryRun(ctx, d.Client, big.ID); err != nil {
			t.Fatal(err)
		}
		r.MaxRows, r.Progress = 5, nil
		w.Step(ctx)
		got = d.Client.ImportJob.GetX(ctx, big.ID)
		if got.Status != importjob.StatusMapped || !strings.Contains(got.Message, "more than 5 rows") {
			t.Errorf("over the row limit: %s %q", got.Status, got.Message)
		}
	})
}

// actor is the context of a signed-in user.
func actor(u *ent.User) context.Context {
	return crm.WithActor(context.Background(), crm.Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role)})
}

func discard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
