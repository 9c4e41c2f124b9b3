package importing

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importjob"
)

var allStatuses = []importjob.Status{importjob.StatusUploaded, importjob.StatusMapped, importjob.StatusChecking, importjob.StatusDryRun,
	importjob.StatusRunning, importjob.StatusDone, importjob.StatusFailed, importjob.StatusInterrupted, importjob.StatusReverting, importjob.StatusReverted}

// TestTransitionTable: on both databases, a job moves from every status to
// every other exactly when the table allows it, and an illegal move
// changes nothing.
func TestTransitionTable(t *testing.T) {
	for _, bad := range [][2]importjob.Status{
		{importjob.StatusDone, importjob.StatusRunning}, {importjob.StatusReverted, importjob.StatusReverting},
		{importjob.StatusRunning, importjob.StatusReverting}, {importjob.StatusReverting, importjob.StatusRunning},
		{importjob.StatusChecking, importjob.StatusRunning}, {importjob.StatusUploaded, importjob.StatusDone},
		{importjob.StatusRunning, importjob.StatusRunning}, {importjob.StatusReverting, importjob.StatusReverting},
		{importjob.StatusReverted, importjob.StatusMapped}, {importjob.StatusDone, importjob.StatusMapped},
	} {
		if CanMove(bad[0], bad[1]) {
			t.Errorf("the table lets a job move from %s to %s", bad[0], bad[1])
		}
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		j := d.Client.ImportJob.Create().SetFilename("a.csv").SetFormat(importjob.FormatCsv).SaveX(ctx)
		legal := 0
		for _, from := range allStatuses {
			for _, to := range allStatuses {
				d.Client.ImportJob.UpdateOneID(j.ID).SetStatus(from).SetMessage("").ExecX(ctx)
				ok, err := moveOne(ctx, d.Client.ImportJob, j.ID, to, func(u *ent.ImportJobUpdate) { u.SetMessage("moved") })
				if err != nil {
					t.Fatal(err)
				}
				got := d.Client.ImportJob.GetX(ctx, j.ID)
				switch want := CanMove(from, to); {
				case ok != want:
					t.Errorf("%s → %s: moved %v, want %v", from, to, ok, want)
				case !want && (got.Status != from || got.Message != ""):
					t.Errorf("%s → %s refused, but the job is now %s %q", from, to, got.Status, got.Message)
				case want && (got.Status != to || got.Message != "moved"):
					t.Errorf("%s → %s allowed, but the job is %s %q", from, to, got.Status, got.Message)
				}
				if ok {
					legal++
				}
			}
		}
		t.Logf("%d of %d moves allowed", legal, len(allStatuses)*len(allStatuses))
	})
}

// TestParallelClaims: eight workers claim one queued revert (and one queued
// dry run) at once: exactly one gets each; a second claim waits for the
// lease to run out.
func TestParallelClaims(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		for _, status := range []importjob.Status{importjob.StatusReverting, importjob.StatusChecking, importjob.StatusRunning} {
			j := d.Client.ImportJob.Create().SetFilename("a.csv").SetFormat(importjob.FormatCsv).SetStatus(status).SaveX(ctx)
			var wins atomic.Int32
			var wg sync.WaitGroup
			for i := range 8 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					ok, err := claim(ctx, d.Client, j.ID, status, fmt.Sprintf("w%d", i), false, now, Lease)
					if err != nil {
						t.Error(err)
					}
					if ok {
						wins.Add(1)
					}
				}()
			}
			wg.Wait()
			if n := wins.Load(); n != 1 {
				t.Errorf("%s: %d of 8 workers claimed the job, want 1", status, n)
			}
			if ok, _ := claim(ctx, d.Client, j.ID, status, "late", false, now.Add(Lease/2), Lease); ok {
				t.Errorf("%s: claimed again while the lease holds", status)
			}
			again, _ := claim(ctx, d.Client, j.ID, status, "late", false, now.Add(Lease+time.Second), Lease)
			if want := status != importjob.StatusRunning; again != want { // a dead import is the user's to resume
				t.Errorf("%s: claim after the lease ran out: %v, want %v", status, again, want)
			}
		}
	})
}
