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
	"github.com/rapport-crm/rapport/ent/contactemail"
	"github.com/rapport-crm/rapport/ent/contacttag"
	"github.com/rapport-crm/rapport/ent/contacttopic"
	"github.com/rapport-crm/rapport/ent/employment"
	"github.com/rapport-crm/rapport/ent/participation"
	"github.com/rapport-crm/rapport/ent/socialprofile"
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

// outboxHook records which contacts each mutation touches, so that every
// committed change reaches the search index. Rows of the join tables
// (topics, tags, participations) are recorded on create; their deletion is
// recorded by the contact or interaction mutation that goes with it.
func outboxHook(dia string) ent.Hook {
	return func(next ent.Mutator) ent.Mutator {
		return outboxMutator(dia, next)
	}
}

func outboxMutator(dia string, next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		affects, ok := outboxAffects[m.Type()]
		if !ok {
			return next.Mutate(ctx, m)
		}
		if self, _ := ctx.Value(selfKey{}).(bool); self {
			return next.Mutate(ctx, m)
		}
		p := pendingFrom(ctx)
		if p == nil && affects.freeCreate && m.Op().Is(ent.OpCreate) {
			return next.Mutate(ctx, m) // a new outlet, topic or tag has no contacts yet
		}
		if p == nil {
			return nil, fmt.Errorf("%s %s: %w", m.Op(), m.Type(), ErrNoTx)
		}
		before, err := affects.before(ctx, m)
		if err != nil {
			return nil, fmt.Errorf("outbox: %w", err)
		}
		v, err := next.Mutate(ctx, m)
		if err != nil {
			return v, err
		}
		p.add(dia, before...)
		p.add(dia, affects.after(m, v)...)
		return v, nil
	})
}

// affects finds the contacts of a mutation: before it runs (what an update
// or delete will touch) and after (what a create made).
type affects struct {
	before     func(context.Context, ent.Mutation) ([]int, error)
	after      func(ent.Mutation, ent.Value) []int
	freeCreate bool // creating one touches no contact
}

func none(context.Context, ent.Mutation) ([]int, error) { return nil, nil }
func noneAfter(ent.Mutation, ent.Value) []int           { return nil }

// idsOf returns the ids an update or delete will touch.
func idsOf(ctx context.Context, m ent.Mutation) ([]int, error) {
	if m.Op().Is(ent.OpCreate) {
		return nil, nil
	}
	return m.(interface {
		IDs(context.Context) ([]int, error)
	}).IDs(ctx)
}

// contactOf returns the contact ids of the rows an update or delete will touch.
func contactOf(query func(ctx context.Context, c *ent.Client, ids []int) ([]int, error)) func(context.Context, ent.Mutation) ([]int, error) {
	return func(ctx context.Context, m ent.Mutation) ([]int, error) {
		ids, err := idsOf(ctx, m)
		if err != nil || len(ids) == 0 {
			return nil, err
		}
		return query(ctx, m.(interface{ Client() *ent.Client }).Client(), ids)
	}
}

// createdContact is the contact_id a create sets.
func createdContact(m ent.Mutation, _ ent.Value) []int {
	if v, ok := m.Field("contact_id"); ok {
		if id, ok := v.(int); ok {
			return []int{id}
		}
	}
	return nil
}

var outboxAffects = map[string]affects{
	ent.TypeContact: {before: idsOf, after: func(m ent.Mutation, v ent.Value) []int {
		if c, ok := v.(*ent.Contact); ok {
			return []int{c.ID}
		}
		return nil
	}},
	ent.TypeContactEmail: {before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
		return c.ContactEmail.Query().Where(contactemail.IDIn(ids...)).Select(contactemail.FieldContactID).Ints(ctx)
	}), after: createdContact},
	ent.TypeSocialProfile: {before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
		return c.SocialProfile.Query().Where(socialprofile.IDIn(ids...)).Select(socialprofile.FieldContactID).Ints(ctx)
	}), after: createdContact},
	ent.TypeEmployment: {before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
		return c.Employment.Query().Where(employment.IDIn(ids...)).Select(employment.FieldContactID).Ints(ctx)
	}), after: createdContact},
	ent.TypeOutlet: {before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
		return c.Employment.Query().Where(employment.OutletIDIn(ids...)).Select(employment.FieldContactID).Ints(ctx)
	}), after: noneAfter, freeCreate: true},
	ent.TypeTopic: {before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
		return c.ContactTopic.Query().Where(contacttopic.TopicIDIn(ids...)).Select(contacttopic.FieldContactID).Ints(ctx)
	}), after: noneAfter, freeCreate: true},
	ent.TypeTag: {before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
		return c.ContactTag.Query().Where(contacttag.TagIDIn(ids...)).Select(contacttag.FieldContactID).Ints(ctx)
	}), after: noneAfter, freeCreate: true},
	ent.TypeInteraction: {before: contactOf(func(ctx context.Context, c *ent.Client, ids []int) ([]int, error) {
		return c.Participation.Query().Where(participation.InteractionIDIn(ids...)).Select(participation.FieldContactID).Ints(ctx)
	}), after: func(m ent.Mutation, _ ent.Value) []int {
		im := m.(*ent.InteractionMutation)
		return append(im.ContactsIDs(), im.RemovedContactsIDs()...)
	}},
	ent.TypeContactTopic:  {before: none, after: createdContact},
	ent.TypeContactTag:    {before: none, after: createdContact},
	ent.TypeParticipation: {before: none, after: createdContact},
}
