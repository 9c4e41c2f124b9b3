package importing

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importjob"
	"github.com/rapport-crm/rapport/ent/importrow"
)

// DryRun works out here and now (the command line, tests) what the import
// would do, row by row, without touching a contact: it takes the mapped job
// straight into checking under this runner's claim and runs it as the
// background worker would (see QueueDryRun).
func (r *Runner) DryRun(ctx context.Context, id int) (Counts, error) {
	ok, err := moveOne(ctx, r.Client.ImportJob, id, importjob.StatusChecking, func(u *ent.ImportJobUpdate) {
		claimedBy(r.name(), r.now(), r.lease())(u)
		u.SetProcessedRows(0).SetTotalRows(0)
	})
	if err != nil {
		return Counts{}, err
	}
	if !ok {
		return Counts{}, errStarted
	}
	return r.DryRunClaimed(ctx, id)
}

// DryRunClaimed runs the dry run of job id, which this runner has claimed
// in checking. The outcomes are stored as dry-run rows and summed up; the
// job's processed and total rows show the progress meanwhile. It ends in
// dry_run, or back in mapped with the reason when the file cannot be read.
func (r *Runner) DryRunClaimed(ctx context.Context, id int) (Counts, error) {
	j, err := r.Client.ImportJob.Get(ctx, id)
	if err != nil {
		return Counts{}, fmt.Errorf("import: load job %d: %w", id, err)
	}
	if err := LoadFile(ctx, r.Client, j); err != nil {
		return Counts{}, err
	}
	if j.Status != importjob.StatusChecking || j.Worker != r.name() {
		return Counts{}, ErrLostClaim
	}
	c, err := r.dryRun(ctx, j)
	end, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	switch {
	case err == nil:
		_, err = moveOne(end, r.Client.ImportJob, id, importjob.StatusDryRun, func(u *ent.ImportJobUpdate) {
			released(r.now(), "")(u)
			u.SetTotalRows(c.Processed).SetProcessedRows(0)
		}, importjob.Worker(r.name()))
	case errors.Is(err, ErrLostClaim):
	case errors.Is(err, context.Canceled): // shutting down: back in the queue for the next worker
		_ = r.Client.ImportJob.Update().Where(importjob.ID(id), mine(r.name(), importjob.StatusChecking)).
			SetWorker("").ClearLeaseUntil().Exec(end)
	default:
		msg := crm.ErrorMessage(err)
		if msg == "" {
			msg = "The dry run failed on a database error; try again."
		}
		_, _ = moveOne(end, r.Client.ImportJob, id, importjob.StatusMapped, released(r.now(), msg), importjob.Worker(r.name()))
	}
	return c, err
}

func (r *Runner) dryRun(ctx context.Context, j *ent.ImportJob) (Counts, error) {
	total, err := r.count(j) // refuses a file over the row limit before any work
	if err != nil {
		return Counts{}, err
	}
	if err := r.dryProgress(ctx, j.ID, 0, total); err != nil {
		return Counts{}, err
	}
	e, src, err := r.newEngine(ctx, j, true)
	if err != nil {
		return Counts{}, err
	}
	defer src.Close()
	if _, err := r.Client.ImportRow.Delete().Where(importrow.ImportID(j.ID), dryRunIs(true)).Exec(ctx); err != nil {
		return Counts{}, fmt.Errorf("import: clear dry run: %w", err)
	}
	stop := r.beat(ctx, j.ID, importjob.StatusChecking)
	defer stop()
	for done := false; !done; {
		recs, err := readBatch(src, r.batchSize())
		if errors.Is(err, io.EOF) {
			done = true
		} else if err != nil {
			return e.counts, err
		}
		if e.counts.Processed+len(recs) > r.maxRows() {
			return e.counts, tooManyRows(r.maxRows())
		}
		b, err := e.plan(ctx, r.Client, recs)
		if err != nil {
			return e.counts, err
		}
		var c Counts
		err = withTx(ctx, r.Client, func(ctx context.Context, tx *ent.Tx) error {
			var err error
			c, err = e.commit(ctx, tx, b, len(recs), 0)
			return err
		})
		if err != nil {
			return e.counts, err
		}
		e.counts.add2(c, len(recs))
		e.remember(b)
		if err := r.dryProgress(ctx, j.ID, e.counts.Processed, total); err != nil {
			return e.counts, err
		}
	}
	return e.counts, nil
}

// dryProgress shows how far the dry run got, provided the job is still this
// runner's, and renews the lease.
func (r *Runner) dryProgress(ctx context.Context, id, processed, total int) error {
	now := r.now()
	n, err := r.Client.ImportJob.Update().Where(importjob.ID(id), mine(r.name(), importjob.StatusChecking)).
		SetProcessedRows(processed).SetTotalRows(total).SetHeartbeatAt(now).SetLeaseUntil(now.Add(r.lease())).Save(ctx)
	if err != nil {
		return fmt.Errorf("import: save dry-run progress: %w", err)
	}
	if n == 0 {
		return ErrLostClaim
	}
	if r.Progress != nil {
		r.Progress(processed, total)
	}
	return nil
}
