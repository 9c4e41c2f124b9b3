package crm

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/bulkaction"
	"github.com/rapport-crm/rapport/ent/bulkactionitem"
	"github.com/rapport-crm/rapport/ent/predicate"
)

// claim takes action id in status from for this process under a lease,
// moving it to status to; false when another process holds it or it moved.
func (b *BulkActions) claim(ctx context.Context, id int, from, to bulkaction.Status) (bool, error) {
	now := b.now()
	n, err := b.client.BulkAction.Update().Where(bulkaction.ID(id), bulkaction.StatusEQ(from), free(now)).
		SetStatus(to).SetWorker(b.Worker).SetLeaseUntil(now.Add(bulkLease)).Save(ctx)
	if err != nil {
		return false, fmt.Errorf("claim bulk action %d: %w", id, err)
	}
	return n == 1, nil
}

func free(now time.Time) predicate.BulkAction {
	return bulkaction.Or(bulkaction.LeaseUntilIsNil(), bulkaction.LeaseUntilLT(now))
}

// Run applies a queued (or interrupted) action from where it got to, one
// transaction per chunk (5,000 contacts on PostgreSQL, two in flight; 1,000
// on SQLite): the writer's change, the undo items and the progress counters
// commit together, in the order of the chunks (chunkPipe). It reports
// whether this call ran it.
func (b *BulkActions) Run(ctx context.Context, id int) (bool, error) {
	ok, err := b.claim(ctx, id, bulkaction.StatusQueued, bulkaction.StatusRunning)
	if err == nil && !ok {
		ok, err = b.claim(ctx, id, bulkaction.StatusRunning, bulkaction.StatusRunning)
	}
	if err != nil || !ok {
		return false, err
	}
	ba, err := b.BulkAction(ctx, id)
	if err != nil {
		return true, err
	}
	ctx = b.withActorOf(ctx, ba.UserID)
	op, known := BulkOpOf(ba.Action)
	if !known {
		return true, b.finish(ctx, id, bulkaction.StatusFailed, "This kind of bulk action no longer exists.")
	}
	summary := MsgBulk(ba)
	pipe := b.pipe(ctx)
	for lo := ba.Processed; lo < len(ba.Targets) && err == nil; lo += b.chunk() {
		chunk := ba.Targets[lo:min(len(ba.Targets), lo+b.chunk())]
		err = pipe.add(func(ctx context.Context, tx *ent.Tx, prev *chunkFlight) error {
			items, changed, err := b.applyChunk(ctx, tx, op, ba, chunk, summary, prev)
			if err != nil {
				return err
			}
			if len(items) > 0 {
				if err := b.saveItems(ctx, tx, id, items); err != nil {
					return err
				}
			}
			if err := prev.wait(); err != nil {
				return err
			}
			return b.progress(tx, id).AddProcessed(len(chunk)).AddChanged(changed).AddSkipped(len(chunk) - changed).
				SetLeaseUntil(b.now().Add(bulkLease)).Exec(ctx)
		})
	}
	if err == nil {
		err = pipe.wait()
	}
	if err != nil {
		_ = b.finish(context.WithoutCancel(ctx), id, bulkaction.StatusFailed, "Stopped: "+Truncate(err.Error(), 200))
		return true, fmt.Errorf("run bulk action %d: %w", id, err)
	}
	return true, b.finish(ctx, id, bulkaction.StatusDone, "")
}

// applyChunk changes one chunk of ba's contacts in tx and returns the undo
// items and how many changed. It waits for the chunk before (prev, nil for
// none) before it creates a tag or topic, and before a set-wise entry's
// Apply (which may lock what the chunk before writes).
func (b *BulkActions) applyChunk(ctx context.Context, tx *ent.Tx, op BulkOp, ba *ent.BulkAction, chunk []int, summary AuditMsg,
	prev *chunkFlight) ([]bulkItem, int, error) {
	var items []bulkItem
	item := func(cid int, before string) {
		items = append(items, bulkItem{contact: cid, before: before})
	}
	if op.SetWise != nil {
		if err := prev.wait(); err != nil {
			return nil, 0, err
		}
		before, err := op.SetWise.Apply(ctx, tx, chunk, ba.Value)
		if err != nil {
			return nil, 0, err
		}
		for _, cid := range chunk {
			if v, ok := before[cid]; ok {
				item(cid, v)
			}
		}
		return items, len(items), nil
	}
	target := op.Target(ba.Value)
	res, err := b.writer.change(ctx, tx, chunk, summary, WriteOptions{BeforeNewNames: prev.names()}, func(cid int, in *ContactInput) bool {
		if skipReason(op, in, ba.Value, target) != "" {
			return false
		}
		item(cid, op.Get(in, ba.Value))
		op.Set(in, ba.Value, target)
		return true
	})
	return items, countChanged(res), err
}

func countChanged(res []Written) int {
	n := 0
	for _, w := range res {
		if w.Changed {
			n++
		}
	}
	return n
}

func (b *BulkActions) finish(ctx context.Context, id int, status bulkaction.Status, msg string) error {
	err := b.client.BulkAction.Update().Where(bulkaction.ID(id)).SetStatus(status).SetMessage(msg).SetFinishedAt(b.now()).
		ClearLeaseUntil().SetWorker("").Exec(ctx)
	if err != nil {
		return fmt.Errorf("finish bulk action %d: %w", id, err)
	}
	return nil
}

// Undo asks for action id (done, or failed part-way) to be undone as a
// whole by the actor of ctx (its author or a manager): each contact it changed gets its value back unless
// someone changed that field since (those are kept and counted). A small
// action is undone at once; a large one by the worker.
func (b *BulkActions) Undo(ctx context.Context, id int) error {
	ba, err := b.BulkAction(ctx, id)
	if err != nil {
		return err
	}
	a := ActorFrom(ctx)
	manager := a.Role == RoleManager || a.Role == RoleAdmin
	if !manager && (ba.UserID == nil || *ba.UserID != a.UserID) {
		return Errorf(EForbidden, "Only whoever ran a bulk action, or a manager, may undo it.")
	}
	op, ok := BulkOpOf(ba.Action)
	if !ok {
		return Errorf(EInvalid, "This kind of bulk action no longer exists.")
	}
	if op.Allowed != nil && ba.Value == "true" { // undoing "mark do-not-contact" lifts it
		if err := op.Allowed(a.Role, "false"); err != nil {
			return err
		}
	}
	n, err := b.client.BulkAction.Update().Where(bulkaction.ID(id), bulkaction.StatusIn(bulkaction.StatusDone, bulkaction.StatusFailed)).
		SetStatus(bulkaction.StatusUndoing).SetUndoBy(a.UserID).SetUndoProcessed(0).SetUndoKept(0).Save(ctx)
	if err != nil {
		return fmt.Errorf("undo bulk action %d: %w", id, err)
	}
	if n == 0 {
		return Errorf(EConflict, "This bulk action cannot be undone now: it is still running, or already undone.")
	}
	if ba.Changed <= BulkSyncMax {
		_, err = b.RunUndo(ctx, id)
	}
	return err
}

// RunUndo undoes an action marked undoing, one chunk per transaction.
func (b *BulkActions) RunUndo(ctx context.Context, id int) (bool, error) {
	ok, err := b.claim(ctx, id, bulkaction.StatusUndoing, bulkaction.StatusUndoing)
	if err != nil || !ok {
		return false, err
	}
	ba, err := b.BulkAction(ctx, id)
	if err != nil {
		return true, err
	}
	ctx = b.withActorOf(ctx, ba.UndoBy)
	op, _ := BulkOpOf(ba.Action)
	target, summary := "", MsgBulkUndo(ba)
	if op.SetWise == nil {
		target = op.Target(ba.Value)
	}
	// Resumed at UndoProcessed, then from the last item read (an offset
	// would make each chunk read all the items before it again).
	pipe := b.pipe(ctx)
	for skip, after := ba.UndoProcessed, 0; ; skip = 0 {
		items, err := b.client.BulkActionItem.Query().Where(bulkactionitem.ActionID(id), bulkactionitem.IDGT(after)).
			Order(ent.Asc(bulkactionitem.FieldID)).Offset(skip).Limit(b.chunk()).All(ctx)
		if err != nil {
			_ = pipe.wait()
			return true, fmt.Errorf("undo bulk action %d: %w", id, err)
		}
		if len(items) == 0 {
			break
		}
		before := make(map[int]string, len(items))
		ids := make([]int, len(items))
		for i, it := range items {
			ids[i], before[it.ContactID] = it.ContactID, it.Before
		}
		err = pipe.add(func(ctx context.Context, tx *ent.Tx, prev *chunkFlight) error {
			kept := 0
			if op.SetWise != nil {
				if err := prev.wait(); err != nil {
					return err
				}
				kept, err := op.SetWise.Undo(ctx, tx, before, ba.Value)
				if err != nil {
					return err
				}
				return b.progress(tx, id).AddUndoProcessed(len(items)).AddUndoKept(kept).
					SetLeaseUntil(b.now().Add(bulkLease)).Exec(ctx)
			}
			res, err := b.writer.change(ctx, tx, ids, summary, WriteOptions{BeforeNewNames: prev.names()}, func(cid int, in *ContactInput) bool {
				if op.Get(in, ba.Value) != target {
					kept++
					return false
				}
				op.Set(in, ba.Value, before[cid])
				return true
			})
			if err != nil {
				return err
			}
			kept += len(ids) - kept - countChanged(res) // deleted meanwhile
			if err := prev.wait(); err != nil {
				return err
			}
			return b.progress(tx, id).AddUndoProcessed(len(items)).AddUndoKept(kept).
				SetLeaseUntil(b.now().Add(bulkLease)).Exec(ctx)
		})
		if err != nil {
			return true, fmt.Errorf("undo bulk action %d: %w", id, err)
		}
		after = items[len(items)-1].ID
	}
	if err := pipe.wait(); err != nil {
		return true, fmt.Errorf("undo bulk action %d: %w", id, err)
	}
	return true, b.finish(ctx, id, bulkaction.StatusUndone, "")
}

// Work runs every queued action and undo whose lease is free, oldest
// first, until none is left; the worker of `rapport serve` calls it.
func (b *BulkActions) Work(ctx context.Context, log *slog.Logger) error {
	for ctx.Err() == nil {
		ba, err := b.client.BulkAction.Query().Where(bulkaction.StatusIn(bulkaction.StatusQueued, bulkaction.StatusRunning,
			bulkaction.StatusUndoing), free(b.now())).Order(ent.Asc(bulkaction.FieldID)).First(ctx)
		if ent.IsNotFound(err) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("bulk worker: %w", err)
		}
		run := b.Run
		if ba.Status == bulkaction.StatusUndoing {
			run = b.RunUndo
		}
		if _, err := run(ctx, ba.ID); err != nil {
			log.Error("bulk action failed", "bulk_id", ba.ID, "err", err)
			if ba.Status == bulkaction.StatusUndoing { // retried after the lease; do not spin
				return nil
			}
		}
	}
	return nil
}

// StartWorker runs Work every poll until ctx ends; wait blocks until it stopped.
func (b *BulkActions) StartWorker(ctx context.Context, poll time.Duration, log *slog.Logger) (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(poll)
		defer t.Stop()
		for {
			if err := b.Work(ctx, log); err != nil && ctx.Err() == nil {
				log.Error("bulk worker", "err", err)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { <-done }
}
