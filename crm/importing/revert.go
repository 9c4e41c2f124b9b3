package importing

import (
	"context"
	"errors"
	"fmt"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/importjob"
	"github.com/rapport-crm/rapport/ent/importrow"
	"github.com/rapport-crm/rapport/ent/predicate"
)

// Reverted says what a revert did: contacts deleted, contacts restored to
// how they were before the import, and contacts left alone because someone
// else changed them after the import.
type Reverted struct{ Deleted, Restored, Kept int }

// RevertRequest is who asks for a revert, and whether a manager confirmed
// that it may undo other people's later work too.
type RevertRequest struct {
	By    int // the user asking; 0 for the system
	Force bool
}

// RetryAfter is how long a revert that stopped on an error waits before a
// worker takes it up again (its lease is held that long by nobody), so a
// lasting error does not keep the worker busy in a loop.
const RetryAfter = time.Minute

// maxKeptListed bounds the ids of left-alone contacts a job keeps for its page.
const maxKeptListed = 1000

// toRevert are the committed rows of job id a revert undoes, after row.
func toRevert(id, after int) []predicate.ImportRow {
	return []predicate.ImportRow{importrow.ImportID(id), dryRunIs(false), importrow.RowNoGT(after),
		importrow.ActionIn(importrow.ActionCreate, importrow.ActionUpdate), importrow.ContactIDNotNil()}
}

// revertSet starts a revert's bookkeeping afresh.
func revertSet(req RevertRequest, total int) func(*ent.ImportJobUpdate) {
	return func(u *ent.ImportJobUpdate) {
		if req.By != 0 {
			u.SetRevertBy(req.By)
		} else {
			u.ClearRevertBy()
		}
		u.SetRevertForce(req.Force).SetRevertCursor(0).SetRevertDone(0).SetRevertTotal(total).ClearRevertKept().SetRevertKeptCount(0)
	}
}

var errNotRevertable = crm.Errorf(crm.EConflict, "Only a finished, failed or interrupted import can be reverted, once: this one is running, being resumed, being reverted or already reverted.")

// RequestRevert queues the revert of a finished, failed or interrupted
// import for the background worker. It is one guarded move of the job's
// status, so a concurrent resume or a second revert cannot run alongside.
func RequestRevert(ctx context.Context, client *ent.Client, id int, req RevertRequest) error {
	total, err := client.ImportRow.Query().Where(toRevert(id, 0)...).Count(ctx)
	if err != nil {
		return fmt.Errorf("import: count rows to revert: %w", err)
	}
	ok, err := moveOne(ctx, client.ImportJob, id, importjob.StatusReverting, func(u *ent.ImportJobUpdate) {
		queued("Waiting for the worker…")(u)
		revertSet(req, total)(u)
	})
	if err != nil {
		return err
	}
	if !ok {
		return errNotRevertable
	}
	return nil
}

// Revert undoes job id here and now (the command line, tests), as the
// actor of ctx, leaving alone what others changed since: it claims the job
// straight into reverting and runs it as the worker would.
func Revert(ctx context.Context, client *ent.Client, id, batch int) (Reverted, error) {
	r := &Runner{Client: client, BatchSize: batch}
	total, err := client.ImportRow.Query().Where(toRevert(id, 0)...).Count(ctx)
	if err != nil {
		return Reverted{}, fmt.Errorf("import: count rows to revert: %w", err)
	}
	ok, err := moveOne(ctx, client.ImportJob, id, importjob.StatusReverting, func(u *ent.ImportJobUpdate) {
		claimedBy(r.name(), r.now(), r.lease())(u)
		revertSet(RevertRequest{By: crm.ActorFrom(ctx).UserID}, total)(u)
	})
	if err != nil {
		return Reverted{}, err
	}
	if !ok {
		return Reverted{}, errNotRevertable
	}
	return r.RevertClaimed(ctx, id)
}

// RevertClaimed undoes the committed rows of job id, which this runner has
// claimed in reverting, in transactions of up to a batch of rows: the
// contacts the import created are deleted set-wise (ContactWriter.Delete),
// the ones it changed get their fields from before the import back. Unless
// a manager confirmed, contacts that someone else changed after the import
// are left alone and listed. Each batch commits with the job's progress
// (a cursor), so an interrupted revert goes on where it stopped.
func (r *Runner) RevertClaimed(ctx context.Context, id int) (Reverted, error) {
	j, err := r.Client.ImportJob.Query().Where(importjob.ID(id)).Select(jobColumns...).Only(ctx)
	if err != nil {
		return Reverted{}, fmt.Errorf("import: load job %d: %w", id, err)
	}
	if j.Status != importjob.StatusReverting || j.Worker != r.name() {
		return Reverted{}, ErrLostClaim
	}
	ctx = crm.WithActor(ctx, r.reverter(ctx, j))
	stop := r.beat(ctx, id, importjob.StatusReverting)
	res, err := r.revert(ctx, j)
	stop()
	end, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	switch {
	case err == nil:
		err = withTx(end, r.Client, func(ctx context.Context, tx *ent.Tx) error {
			msg := fmt.Sprintf("Reverted: %d contacts removed, %d restored, %d left alone (changed by someone else since).",
				res.Deleted, res.Restored, j.RevertKeptCount+res.Kept)
			ok, err := moveOne(ctx, tx.ImportJob, id, importjob.StatusReverted, released(r.now(), msg), importjob.Worker(r.name()))
			if err != nil || !ok {
				return errors.Join(err, ErrLostClaim)
			}
			return crm.AuditTx(ctx, tx, crm.Event{Action: crm.ActionRevert, Entity: crm.EntityImport, EntityID: id,
				Msg: crm.MsgImportReverted(j.Filename, res.Deleted, res.Restored, res.Kept)})
		})
	case errors.Is(err, ErrLostClaim):
	default: // back in the queue, free again after RetryAfter: a worker goes on after the last committed batch
		msg := "The revert stopped on an error; it goes on by itself where it stopped, in a minute."
		if m := crm.ErrorMessage(err); m != "" {
			msg = m
		}
		_ = r.Client.ImportJob.Update().Where(importjob.ID(id), mine(r.name(), importjob.StatusReverting)).
			SetWorker("").SetLeaseUntil(r.now().Add(RetryAfter)).SetMessage(crm.Truncate(msg, 1000)).Exec(end)
	}
	return res, err
}

func (r *Runner) revert(ctx context.Context, j *ent.ImportJob) (Reverted, error) {
	var res Reverted
	since := changedAfter(j)
	w := crm.NewContactWriter(r.Client, r.Client.Dialect(), r.now, nil)
	label := crm.MsgImportRevert(j.ID, j.Filename)
	for cursor := j.RevertCursor; ; {
		rows, err := r.Client.ImportRow.Query().Where(toRevert(j.ID, cursor)...).
			Select(importrow.FieldRowNo, importrow.FieldAction, importrow.FieldContactID, importrow.FieldBefore).
			Order(ent.Asc(importrow.FieldRowNo)).Limit(r.revertBatch()).All(ctx)
		if err != nil {
			return res, fmt.Errorf("import: load rows to revert: %w", err)
		}
		if len(rows) == 0 {
			return res, nil
		}
		var b Reverted
		err = withTx(ctx, r.Client, func(ctx context.Context, tx *ent.Tx) error {
			var kept []int
			var err error
			if b, kept, err = revertRows(ctx, w, tx, rows, since, j, label); err != nil {
				return err
			}
			return r.revertProgress(ctx, tx, j, rows[len(rows)-1].RowNo, len(rows), kept)
		})
		if err != nil {
			return res, err
		}
		res.Deleted, res.Restored, res.Kept = res.Deleted+b.Deleted, res.Restored+b.Restored, res.Kept+b.Kept
		cursor = rows[len(rows)-1].RowNo
		j.RevertDone += len(rows)
		if r.Progress != nil {
			r.Progress(j.RevertDone, j.RevertTotal)
		}
	}
}

// revertRows undoes one batch of rows in tx with w and returns the contacts it left alone.
func revertRows(ctx context.Context, w *crm.ContactWriter, tx *ent.Tx, rows []*ent.ImportRow, since time.Time, j *ent.ImportJob, label crm.AuditMsg) (Reverted, []int, error) {
	var res Reverted
	others := map[int]string{}
	if !j.RevertForce {
		ids := make([]int, len(rows))
		for i, row := range rows {
			ids[i] = *row.ContactID
		}
		var err error
		if others, err = ChangedByOthers(ctx, tx.Client(), ids, since, revertBy(j)); err != nil {
			return res, nil, err
		}
	}
	var created, kept []int
	for _, row := range rows {
		switch id := *row.ContactID; {
		case others[id] != "":
			kept = append(kept, id)
		case row.Action == importrow.ActionCreate:
			created = append(created, id)
		}
	}
	gone, err := w.Delete(ctx, tx, created, label)
	if err != nil {
		return res, nil, err
	}
	res.Deleted = len(gone)
	var restore []crm.ContactWrite
	for _, row := range rows {
		if row.Action != importrow.ActionUpdate || row.Before == nil || others[*row.ContactID] != "" {
			continue
		}
		in, err := fromMap(row.Before)
		if err == nil {
			err = in.Check()
		}
		if err != nil {
			return res, nil, crm.Errorf(crm.EInvalid, "Row %d: the contact as it was before the import cannot be restored (%v); the revert stopped there and tries again in a minute.",
				row.RowNo, err)
		}
		restore = append(restore, crm.ContactWrite{ID: *row.ContactID, In: in, Msg: label})
	}
	written, err := w.Write(ctx, tx, restore, crm.WriteOptions{Trusted: true})
	if err != nil {
		return res, nil, err
	}
	for _, x := range written {
		if x.Found {
			res.Restored++
		}
	}
	res.Kept = len(unique(kept))
	return res, unique(kept), nil
}

// revertProgress moves the job's cursor past a committed batch, provided
// the job is still this runner's, and renews the lease.
func (r *Runner) revertProgress(ctx context.Context, tx *ent.Tx, j *ent.ImportJob, cursor, rows int, kept []int) error {
	now := r.now()
	upd := tx.ImportJob.Update().Where(importjob.ID(j.ID), mine(r.name(), importjob.StatusReverting), importjob.RevertCursorLT(cursor)).
		SetRevertCursor(cursor).AddRevertDone(rows).AddRevertKeptCount(len(kept)).SetHeartbeatAt(now).SetLeaseUntil(now.Add(r.lease()))
	if room := maxKeptListed - len(j.RevertKept); room > 0 && len(kept) > 0 {
		j.RevertKept = append(j.RevertKept, kept[:min(room, len(kept))]...)
		upd.SetRevertKept(j.RevertKept)
	}
	n, err := upd.Save(ctx)
	if err != nil {
		return fmt.Errorf("import: save revert progress: %w", err)
	}
	if n == 0 {
		return ErrLostClaim
	}
	return nil
}

// revertBatch is how many rows one transaction of a revert undoes: the
// Runner's batch, at most 1,000 on SQLite (the contacts' ids are one
// look-up parameter each) and DefaultBatchSize on PostgreSQL (one array
// parameter; fewer, larger batches save a fifth of the revert's statement
// time there, where the per-contact foreign-key triggers are the rest).
func (r *Runner) revertBatch() int {
	most := 1000
	if r.Client.Dialect() == dialect.Postgres {
		most = DefaultBatchSize
	}
	if r.BatchSize <= 0 || r.BatchSize > most {
		return most
	}
	return r.BatchSize
}

// reverter is who a revert is attributed to: the user who asked for it.
func (r *Runner) reverter(ctx context.Context, j *ent.ImportJob) crm.Actor {
	a := crm.ActorFrom(ctx)
	if a.UserID == 0 && j.RevertBy != nil {
		if u, err := r.Client.User.Get(ctx, *j.RevertBy); err == nil {
			a = crm.Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role), RequestID: fmt.Sprintf("revert-%d", j.ID)}
		}
	}
	return a
}

func revertBy(j *ent.ImportJob) int {
	if j.RevertBy == nil {
		return 0
	}
	return *j.RevertBy
}

// changedAfter is when the import last wrote: changes after it are other people's later work.
func changedAfter(j *ent.ImportJob) time.Time {
	for _, t := range []*time.Time{j.FinishedAt, j.HeartbeatAt, j.StartedAt} {
		if t != nil {
			return *t
		}
	}
	return j.CreatedAt
}

func unique(ids []int) []int {
	seen := make(map[int]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
