package importing

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importjob"
	"github.com/rapport-crm/rapport/ent/predicate"
)

// An import job's life. Every change of its status is one conditional
// UPDATE … SET status = to WHERE id = ? AND status IN (the statuses the
// table allows it from) [AND the caller's guard], and the rows it affected
// say whether it happened: two requests or workers racing for one job
// cannot both win.
//
//	uploaded ─mapping─▶ mapped ─dry run─▶ checking ─▶ dry_run ─run─▶ running ─▶ done
//	                                                              │       ├─▶ failed ──┐
//	                      (resume: interrupted/failed ─▶ running) └───────┴─▶ interrupted
//	done, failed, interrupted ─revert─▶ reverting ─▶ reverted
//
// checking, running and reverting are queued while no worker holds them
// (worker "") and claimed under a lease (lease_until) that the worker renews
// while it works. A claim is not a change of status: it is a conditional
// update of the worker and the lease, allowed only while no lease holds
// (see claim).
var transitions = map[importjob.Status][]importjob.Status{
	// the file is read differently (encoding, delimiter, sheet): map it anew
	importjob.StatusUploaded: {importjob.StatusUploaded, importjob.StatusMapped, importjob.StatusDryRun},
	// a mapping is saved; a dry run that found the file unreadable goes back here
	importjob.StatusMapped: {importjob.StatusUploaded, importjob.StatusMapped, importjob.StatusDryRun, importjob.StatusChecking},
	// a dry run is queued
	importjob.StatusChecking: {importjob.StatusMapped, importjob.StatusDryRun},
	// the dry run is done
	importjob.StatusDryRun: {importjob.StatusChecking},
	// the import is queued or started (from the command line without a dry run), or resumed
	importjob.StatusRunning: {importjob.StatusMapped, importjob.StatusDryRun, importjob.StatusInterrupted, importjob.StatusFailed},
	importjob.StatusDone:    {importjob.StatusRunning},
	importjob.StatusFailed:  {importjob.StatusRunning},
	// the worker stopped, or its lease ran out
	importjob.StatusInterrupted: {importjob.StatusRunning},
	// a revert is queued
	importjob.StatusReverting: {importjob.StatusDone, importjob.StatusFailed, importjob.StatusInterrupted},
	importjob.StatusReverted:  {importjob.StatusReverting},
}

// CanMove reports whether the table lets a job move from one status to another.
func CanMove(from, to importjob.Status) bool { return slices.Contains(transitions[to], from) }

// move changes the status of the jobs that match where (typically one id)
// to `to`, only from a status the table allows, and sets what set adds. It
// returns how many jobs moved: 0 means none was in a state to.
func move(ctx context.Context, jobs *ent.ImportJobClient, to importjob.Status, set func(*ent.ImportJobUpdate), where ...predicate.ImportJob) (int, error) {
	from, ok := transitions[to]
	if !ok {
		return 0, fmt.Errorf("import: no job may move to %q", to)
	}
	upd := jobs.Update().Where(append(where, importjob.StatusIn(from...))...).SetStatus(to)
	if set != nil {
		set(upd)
	}
	n, err := upd.Save(ctx)
	if err != nil {
		return 0, fmt.Errorf("import: move to %s: %w", to, err)
	}
	return n, nil
}

// moveOne moves job id (see move) and reports whether it moved.
func moveOne(ctx context.Context, jobs *ent.ImportJobClient, id int, to importjob.Status, set func(*ent.ImportJobUpdate), where ...predicate.ImportJob) (bool, error) {
	n, err := move(ctx, jobs, to, set, append(where, importjob.ID(id))...)
	return n == 1, err
}

// Lease is how long a claim holds without renewal: a job whose worker died
// is free (and shown as interrupted) this long after its last sign of life.
const Lease = 10 * time.Second

// free matches jobs that no worker holds: queued, or whose lease ran out.
func free(now time.Time) predicate.ImportJob {
	return importjob.Or(importjob.LeaseUntilIsNil(), importjob.LeaseUntilLT(now))
}

// mine matches the jobs worker holds in status.
func mine(worker string, status importjob.Status) predicate.ImportJob {
	return importjob.And(importjob.Worker(worker), importjob.StatusEQ(status))
}

// queued sets a job up for the background worker: nobody holds it.
func queued(message string) func(*ent.ImportJobUpdate) {
	return func(u *ent.ImportJobUpdate) {
		u.SetWorker("").ClearLeaseUntil().ClearHeartbeatAt().SetMessage(message)
	}
}

// claimedBy gives a job to worker under a lease from now.
func claimedBy(worker string, now time.Time, lease time.Duration) func(*ent.ImportJobUpdate) {
	return func(u *ent.ImportJobUpdate) {
		u.SetWorker(worker).SetHeartbeatAt(now).SetLeaseUntil(now.Add(lease)).SetMessage("")
	}
}

// released ends a worker's hold on a job that leaves the worker's hands.
func released(at time.Time, message string) func(*ent.ImportJobUpdate) {
	return func(u *ent.ImportJobUpdate) {
		u.SetWorker("").ClearLeaseUntil().SetFinishedAt(at).SetMessage(crm.Truncate(message, 1000))
	}
}
