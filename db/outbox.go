package db

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	"github.com/lib/pq"

	"github.com/rapport-crm/rapport/ent"
)

// ChangeChannel is the PostgreSQL NOTIFY channel that announces new changes.
const ChangeChannel = "rapport_changes"

// pending collects the contacts a transaction touched; WithTx writes them to
// the changes table just before it commits.
type pending struct {
	mu      sync.Mutex
	ids     map[int]struct{}
	dialect string // set by the hook, which knows the database
}

type pendingKey struct{}

func withPending(ctx context.Context) (context.Context, *pending) {
	p := &pending{ids: map[int]struct{}{}}
	return context.WithValue(ctx, pendingKey{}, p), p
}

func pendingFrom(ctx context.Context) *pending {
	p, _ := ctx.Value(pendingKey{}).(*pending)
	return p
}

func (p *pending) add(dia string, ids ...int) {
	p.mu.Lock()
	p.dialect = dia
	for _, id := range ids {
		p.ids[id] = struct{}{}
	}
	p.mu.Unlock()
}

// RecordChanges notes that the transaction of ctx (a WithTx context) changed
// the documents of the contacts ids: a writer that knows what it touched
// (the contact writer) says so itself instead of leaving the hook to find out.
func RecordChanges(ctx context.Context, dia string, ids ...int) error {
	p := pendingFrom(ctx)
	if p == nil {
		return fmt.Errorf("record changes: %w", ErrNoTx)
	}
	p.add(dia, ids...)
	return nil
}

type selfKey struct{}

// SelfRecorded returns ctx in which the outbox hook lets mutations pass
// without looking up the contacts they touch: the caller records them with
// RecordChanges. It saves the look-up queries the hook runs before every
// update and delete.
func SelfRecorded(ctx context.Context) context.Context {
	return context.WithValue(ctx, selfKey{}, true)
}

// flush writes one change row per touched contact, in batches, and on
// PostgreSQL queues a NOTIFY that is delivered when (and only if) the
// transaction commits.
func (p *pending) flush(ctx context.Context, tx *ent.Tx) error {
	p.mu.Lock()
	ids := make([]int, 0, len(p.ids))
	for id := range p.ids {
		ids = append(ids, id)
	}
	dia := p.dialect
	p.mu.Unlock()
	if len(ids) == 0 {
		return nil
	}
	slices.Sort(ids)
	now := time.Now().UTC()
	if dia == dialect.Postgres {
		// One statement with one array parameter, whatever the number of contacts.
		ids64 := make([]int64, len(ids))
		for i, id := range ids {
			ids64[i] = int64(id)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO changes (contact_id, created_at) SELECT unnest($1::bigint[]), $2`,
			pq.Array(ids64), now); err != nil {
			return fmt.Errorf("record search changes: %w", err)
		}
		if _, err := tx.ExecContext(ctx, "SELECT pg_notify($1, '')", ChangeChannel); err != nil {
			return fmt.Errorf("notify search changes: %w", err)
		}
		return nil
	}
	for chunk := range slices.Chunk(ids, 5000) {
		bulk := make([]*ent.ChangeCreate, len(chunk))
		for i, id := range chunk {
			bulk[i] = tx.Change.Create().SetContactID(id).SetCreatedAt(now)
		}
		if err := tx.Change.CreateBulk(bulk...).Exec(ctx); err != nil {
			return fmt.Errorf("record search changes: %w", err)
		}
	}
	return nil
}

// ErrNoTx is returned by a write to a contact's graph outside WithTx: such a
// write could not record its search change atomically.
var ErrNoTx = errors.New("a write that changes a contact must run in db.WithTx")

// ErrNoOutbox is returned by Open without an Outbox: a client without one
// would write contacts that never reach the search index.
var ErrNoOutbox = errors.New("db.Open needs the outbox of the search document (search.Outbox())")

// Outbox tells the outbox hook, for each ent type name (ent.TypeContact, …),
// which contacts a mutation of that entity touches. The search package owns
// it, since it defines what a contact's document contains; db only runs it.
// A type that is not in the Outbox passes the hook untouched.
type Outbox map[string]Affects

// Affects finds the contacts of one entity's mutation: Before it runs (what
// an update or delete will touch) and After (what a create made). Either may
// be nil.
type Affects struct {
	Before func(context.Context, ent.Mutation) ([]int, error)
	After  func(ent.Mutation, ent.Value) []int
	// FreeCreate: creating one touches no contact (a new outlet, topic or
	// tag), so it may run outside WithTx.
	FreeCreate bool
}

// outboxHook records which contacts each mutation touches, so that every
// committed change reaches the search index. Rows of the join tables
// (topics, tags, participations) are recorded on create; their deletion is
// recorded by the contact or interaction mutation that goes with it.
func outboxHook(dia string, outbox Outbox) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return outboxMutator(dia, outbox, next)
	}
}

func outboxMutator(dia string, outbox Outbox, next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		affects, ok := outbox[m.Type()]
		if !ok {
			return next.Mutate(ctx, m)
		}
		if self, _ := ctx.Value(selfKey{}).(bool); self {
			return next.Mutate(ctx, m)
		}
		p := pendingFrom(ctx)
		if p == nil && affects.FreeCreate && m.Op().Is(ent.OpCreate) {
			return next.Mutate(ctx, m) // a new outlet, topic or tag has no contacts yet
		}
		if p == nil {
			return nil, fmt.Errorf("%s %s: %w", m.Op(), m.Type(), ErrNoTx)
		}
		var before []int
		if affects.Before != nil {
			var err error
			if before, err = affects.Before(ctx, m); err != nil {
				return nil, fmt.Errorf("outbox: %w", err)
			}
		}
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return v, err
		}
		p.add(dia, before...)
		if affects.After != nil {
			p.add(dia, affects.After(m, v)...)
		}
		return v, nil
	})
}
