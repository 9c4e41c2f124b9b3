package crm

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/bulkaction"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/locale"
)

// Bounds of bulk actions.
const (
	BulkScopeRows  = "rows" // the ticked rows (or all rows of the page)
	BulkScopeAll   = "all"  // every contact the list's selection matches
	MaxBulkRows    = 500    // ids one form may post
	MaxBulkTargets = 100_000
	// BulkSyncMax is the most contacts an action changes during the request;
	// a larger one is queued for the worker, which shows its progress.
	BulkSyncMax     = 500
	bulkActionChunk = 1000 // contacts per transaction (SQLite, and a preview's reads)
	// bulkActionChunkPG is the chunk on PostgreSQL, where a statement's
	// arrays cost little per element and the per-transaction costs (the
	// progress row, COMMIT) weigh more: as the import's revert.
	bulkActionChunkPG = 5000
	bulkLease         = time.Minute
	bulkSamples       = 20
)

// BulkActions previews, runs and undoes bulk actions: the targets come from
// the one selection resolver, every change goes through the contact writer
// (audit, health, search, cache) and every changed contact's value before
// is kept so the action can be undone as a whole.
type BulkActions struct {
	client *ent.Client
	writer *ContactWriter
	sels   *Selections
	now    func() time.Time
	chunkN int // contacts per transaction when > 0 (tests); else chunk()'s default
	// Worker names the process that runs an action (in its lease).
	Worker string
}

// NewBulkActions returns the bulk service over writer and sels.
func NewBulkActions(client *ent.Client, writer *ContactWriter, sels *Selections, now func() time.Time) *BulkActions {
	if now == nil {
		now = time.Now
	}
	return &BulkActions{client: client, writer: writer, sels: sels, now: now, Worker: "web"}
}

// BulkRequest is what a list's bulk form asks for.
type BulkRequest struct {
	Action, Value string
	Scope         string    // BulkScopeRows or BulkScopeAll
	IDs           []int     // rows
	Selection     Selection // all
}

// BulkPreview says what an action would do before it is confirmed.
type BulkPreview struct {
	Op          BulkOp
	Value       string // the checked argument
	Description string
	Total       int // contacts chosen
	Change      int // of them, would change
	Skipped     map[string]int
	Sample      []BulkSample // the first ones that change
	SkipSample  []BulkSample // the first ones skipped, with the reason
}

// BulkSample is one contact of a preview.
type BulkSample struct {
	ID           int
	Name, Reason string
}

// check validates req for the actor of ctx: the action, its argument and
// the actor's right to run it.
func (b *BulkActions) check(ctx context.Context, req *BulkRequest) (BulkOp, error) {
	op, ok := BulkOpOf(req.Action)
	if !ok {
		return op, (FieldErrors{"action": "Choose what to do with the chosen contacts."}).Err()
	}
	v, err := op.Check(ctx, b.client, req.Value)
	if err != nil {
		return op, err
	}
	req.Value = v
	if op.Allowed != nil {
		if err := op.Allowed(ActorFrom(ctx).Role, v); err != nil {
			return op, err
		}
	}
	return op, nil
}

// targets are the contacts req means, in list order.
func (b *BulkActions) targets(ctx context.Context, req BulkRequest) ([]int, error) {
	switch req.Scope {
	case BulkScopeRows:
		ids := uniqueInts(req.IDs)
		if len(ids) == 0 {
			return nil, (FieldErrors{"ids": "Tick at least one contact."}).Err()
		}
		if len(ids) > MaxBulkRows {
			return nil, (FieldErrors{"ids": fmt.Sprintf("At most %d ticked contacts at once; choose “all matching” for more.", MaxBulkRows)}).Err()
		}
		return ids, nil
	case BulkScopeAll:
		if err := CheckText("q", req.Selection.Query); err != nil {
			return nil, err
		}
		r, err := b.sels.Resolve(ctx, req.Selection, false)
		if err != nil {
			return nil, err
		}
		if len(r.All) > MaxBulkTargets {
			return nil, (FieldErrors{"ids": fmt.Sprintf("At most %d contacts at once: narrow the list.", MaxBulkTargets)}).Err()
		}
		if len(r.All) == 0 {
			return nil, (FieldErrors{"ids": "No contact matches the list."}).Err()
		}
		return r.All, nil
	}
	return nil, (FieldErrors{"ids": "Choose the ticked contacts or all matching."}).Err()
}

// Preview works out what req would change, reading the contacts as the
// run will (the same registry entry decides).
func (b *BulkActions) Preview(ctx context.Context, req BulkRequest) (*BulkPreview, error) {
	op, err := b.check(ctx, &req)
	if err != nil {
		return nil, err
	}
	ids, err := b.targets(ctx, req)
	if err != nil {
		return nil, err
	}
	p := &BulkPreview{Op: op, Value: req.Value, Total: len(ids), Skipped: map[string]int{}}
	p.Description, err = b.describe(ctx, op, req.Value)
	if err != nil {
		return nil, err
	}
	for chunk := range slices.Chunk(ids, bulkActionChunk) {
		ins, err := b.writer.LoadContactInputs(ctx, nil, chunk)
		if err != nil {
			return nil, err
		}
		var setWise map[int]string
		if op.SetWise != nil {
			if setWise, err = op.SetWise.Skip(ctx, b.client, chunk, req.Value); err != nil {
				return nil, err
			}
		}
		for _, id := range chunk {
			in, ok := ins[id]
			reason := SkipMissing
			switch {
			case ok && op.SetWise != nil:
				reason = setWise[id]
			case ok:
				reason = skipReason(op, &in, req.Value, op.Target(req.Value))
			}
			name := DisplayName(in.FirstName, in.LastName)
			if reason != "" {
				p.Skipped[reason]++
				if len(p.SkipSample) < bulkSamples && ok {
					label := SkipLabels[reason]
					if label == "" {
						label = reason
					}
					p.SkipSample = append(p.SkipSample, BulkSample{ID: id, Name: name, Reason: label})
				}
				continue
			}
			p.Change++
			if len(p.Sample) < bulkSamples {
				p.Sample = append(p.Sample, BulkSample{ID: id, Name: name})
			}
		}
	}
	return p, nil
}

func skipReason(op BulkOp, in *ContactInput, arg, target string) string {
	if op.Get(in, arg) == target {
		return SkipAlready
	}
	if op.Skip != nil {
		return op.Skip(in, arg)
	}
	return ""
}

// describe says the action in English words (BulkWords, with codes),
// naming an owner rather than the id; an entry without words says itself.
func (b *BulkActions) describe(ctx context.Context, op BulkOp, v string) (string, error) {
	shown := v
	if op.Arg == "owner" && v != "" {
		var id int
		if _, err := fmt.Sscan(v, &id); err != nil {
			return "", fmt.Errorf("bulk describe: %w", err)
		}
		u, err := b.client.User.Query().Where(user.ID(id)).Only(ctx)
		if err != nil {
			return "", fmt.Errorf("bulk describe: %w", err)
		}
		shown = u.Name
	}
	if s, ok := BulkWords(locale.Get(locale.English), op.Key, shown, true); ok {
		return s, nil
	}
	return op.Describe(v), nil
}

// Start records req as an action of the actor of ctx for the contacts it
// means now and runs it at once when it is small (BulkSyncMax); a larger one
// is queued for the worker. It returns the action's id.
func (b *BulkActions) Start(ctx context.Context, req BulkRequest) (int, error) {
	op, err := b.check(ctx, &req)
	if err != nil {
		return 0, err
	}
	ids, err := b.targets(ctx, req)
	if err != nil {
		return 0, err
	}
	desc, err := b.describe(ctx, op, req.Value)
	if err != nil {
		return 0, err
	}
	a := ActorFrom(ctx)
	c := b.client.BulkAction.Create().SetAction(op.Key).SetValue(req.Value).SetSummary(Truncate(desc, 300)).
		SetTargets(ids).SetTotal(len(ids)).SetCreatedAt(b.now())
	if a.UserID > 0 {
		c.SetUserID(a.UserID)
	}
	ba, err := c.Save(ctx)
	if err != nil {
		return 0, fmt.Errorf("start bulk action: %w", err)
	}
	if len(ids) <= BulkSyncMax {
		if _, err := b.Run(ctx, ba.ID); err != nil {
			return ba.ID, err
		}
	}
	return ba.ID, nil
}

// BulkAction loads one action.
func (b *BulkActions) BulkAction(ctx context.Context, id int) (*ent.BulkAction, error) {
	ba, err := b.client.BulkAction.Query().Where(bulkaction.ID(id)).WithUser().Only(ctx)
	if ent.IsNotFound(err) {
		return nil, Errorf(ENotFound, "This bulk action does not exist.")
	}
	if err != nil {
		return nil, fmt.Errorf("load bulk action %d: %w", id, err)
	}
	return ba, nil
}

// withActorOf returns ctx acting as the user who asked for ba (the worker
// has no request): the audit trail names them.
func (b *BulkActions) withActorOf(ctx context.Context, uid *int) context.Context {
	if ActorFrom(ctx).UserID != 0 || uid == nil {
		return ctx
	}
	u, err := b.client.User.Get(ctx, *uid)
	if err != nil {
		return ctx
	}
	return WithActor(ctx, Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role)})
}

// inChunks runs fn over one chunk at a time in its own transaction,
// retrying a chunk that met a concurrent save (EConflict) a few times.
func inChunks(ctx context.Context, client *ent.Client, fn func(ctx context.Context, tx *ent.Tx) error) error {
	var err error
	for try := 0; try < 5; try++ {
		err = db.WithTx(ctx, client, fn)
		if ErrorCode(err) != EConflict {
			return err
		}
	}
	return err
}

// Recent lists the newest bulk actions, with who ran them: userID's own,
// or everyone's when all.
func (b *BulkActions) Recent(ctx context.Context, userID int, all bool, n int) ([]*ent.BulkAction, error) {
	q := b.client.BulkAction.Query().WithUser().Order(ent.Desc(bulkaction.FieldID)).Limit(n).
		Select(bulkaction.FieldID, bulkaction.FieldUserID, bulkaction.FieldAction, bulkaction.FieldValue, bulkaction.FieldSummary, bulkaction.FieldStatus,
			bulkaction.FieldTotal, bulkaction.FieldProcessed, bulkaction.FieldChanged, bulkaction.FieldSkipped,
			bulkaction.FieldUndoProcessed, bulkaction.FieldUndoKept, bulkaction.FieldMessage, bulkaction.FieldCreatedAt)
	if !all {
		q.Where(bulkaction.UserID(userID))
	}
	out, err := q.All(ctx)
	if err != nil {
		return nil, fmt.Errorf("recent bulk actions: %w", err)
	}
	return out, nil
}
