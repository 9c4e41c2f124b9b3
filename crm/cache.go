package crm

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rapport-crm/rapport/ent"
)

// DefaultLookupTTL is how long Lookups trusts what it read when nothing in
// this process wrote since: the bound on how stale the list's filter choices,
// stages and totals can be after a write by another process (or by raw SQL,
// such as a bulk import, which no ent hook sees).
const DefaultLookupTTL = 2 * time.Second

// lookupPagesMax bounds the remembered list pages (one per distinct filter,
// order and position); past it they are all dropped and filled anew.
const lookupPagesMax = 256

// lookupTokensMax bounds the remembered API tokens, like lookupPagesMax.
const lookupTokensMax = 4096

// Lookups keeps in memory what every contact list page repeats: the filter
// choices (regions, topics, tags, active users), the stage settings and the
// recently shown pages with their totals; and the dashboard's team figures.
// A write makes stale only what it can change (so a page never shows less
// than what this process wrote):
//
//   - a write through the client that the hook sees (an ent mutation, again
//     when its transaction commits) makes everything stale, as does
//     Invalidate;
//   - the contact writer and LogInteraction declare what they wrote (see
//     declare): a write that changed only what some contacts' rows show
//     (a title, the last interaction) drops only the pages that show those
//     contacts, or that are sorted or filtered by what it changed; one that
//     may move contacts in or out of a list drops every page; the filter
//     choices go only when regions, topics or tags may have changed;
//   - the search index's change feed (IndexChanged) brings the writes of
//     other processes and of raw SQL: contacts this process did not just
//     declare make everything stale.
//
// A write it cannot see shows up within the TTL (plus one read: when only
// the TTL has passed, the others keep the old value while one caller reads
// the new one). Safe for concurrent use.
type Lookups struct {
	client *ent.Client
	log    *slog.Logger // failed background refreshes (LogTo); nil: slog.Default
	ttl    time.Duration
	now    func() time.Time
	gen    atomic.Uint64 // bumped by every write it cannot scope: everything is stale
	labels atomic.Uint64 // bumped by declared writes that may change the filter choices
	lists  atomic.Uint64 // bumped by declared writes that may change who a list shows
	index  atomic.Uint64 // bumped when the search index moved: text matches are stale
	views  atomic.Uint64 // bumped by writes of saved views, which nothing else reads
	rows   rowLog        // declared writes that changed only some contacts' rows
	own    ownWrites     // contacts this process declared lately

	choices cell[FilterChoices]
	outlets cell[[]string]
	stages  cell[Stages]
	team    cell[*DashboardStats] // stale-while-revalidate (cache_refresh.go)
	totals  cell[*chartTotals]    // the start page's charts, per person; stale-while-revalidate
	cover   cell[*Coverage]       // the coverage matrix (both matrix pages); stale-while-revalidate

	pages  *Memo[*ContactPage]
	tokens *Memo[tokenGrant] // verified API tokens by their hash (APITokens.Authenticate)
	saved  *Memo[[]View]     // the saved views a user is offered, by user, role and list
}

// NewLookups returns the cache for client, with a hook on client that
// invalidates it. ttl <= 0 means DefaultLookupTTL.
func NewLookups(client *ent.Client, ttl time.Duration) *Lookups {
	if ttl <= 0 {
		ttl = DefaultLookupTTL
	}
	l := &Lookups{client: client, ttl: ttl, now: time.Now}
	l.pages = newMemo(l, lookupPagesMax, scope[*ContactPage]{gen: l.listsGen, hit: (*ContactPage).hitBy})
	// A token's grant (its user's role, active, the token not revoked) goes
	// stale with any write the hook sees: a revocation, a user's new role or
	// deactivation through this process takes effect with the next request.
	l.tokens = newMemo(l, lookupTokensMax, scope[tokenGrant]{gen: l.allGen})
	l.saved = newMemo(l, lookupPagesMax, scope[[]View]{gen: l.viewsGen})
	client.Use(l.hook)
	lookupsOf.Store(client, l)
	return l
}

// lookupsOf maps a client to the Lookups watching it, for writers built
// without one (CreateContact and UpdateContact).
var lookupsOf sync.Map

// Invalidate forgets everything cached; for writes no hook sees (raw SQL).
func (l *Lookups) Invalidate() { l.gen.Add(1) }

// The generations of each kind of value: the sum of the counters of the
// writes that make it stale (each only grows, so the sum changes when any does).
func (l *Lookups) choicesGen() uint64 { return l.gen.Load() + l.labels.Load() }
func (l *Lookups) allGen() uint64     { return l.gen.Load() }
func (l *Lookups) listsGen() uint64   { return l.gen.Load() + l.lists.Load() }
func (l *Lookups) matchesGen() uint64 { return l.gen.Load() + l.index.Load() }
func (l *Lookups) viewsGen() uint64   { return l.gen.Load() + l.views.Load() }

// anyWriteGen changes with every write, declared or not (the team's figures, segment counts).
func (l *Lookups) anyWriteGen() uint64 { return l.listsGen() + l.rows.seq.Load() }

// unrelated are the entities no cached value is read from. Writes to them
// leave the cache alone: every signed-in user's session is touched once a
// minute, and the import worker's check for stale imports is an UPDATE of
// import_jobs every second, which emptied the cache as often.
var unrelated = map[string]bool{ent.TypeSession: true, ent.TypeImportJob: true, ent.TypeImportRow: true,
	ent.TypeImportMapping: true, ent.TypeAuditEvent: true, ent.TypeExportLog: true, ent.TypeSegment: true,
	ent.TypeTask: true, ent.TypeNomination: true, ent.TypeNominationDecision: true, ent.TypeChange: true}

// hook invalidates the cache after every mutation and, inside a transaction,
// once more after the commit: a page loaded between the write and the commit
// read the old rows and must not be trusted afterwards. Mutations of
// unrelated entities are ignored, and so are those of a writer that
// declares what it wrote (declaring).
func (l *Lookups) hook(next ent.Mutator) ent.Mutator {
	return ent.MutateFunc(func(ctx context.Context, m ent.Mutation) (ent.Value, error) {
		v, err := next.Mutate(ctx, m)
		if unrelated[m.Type()] || isDeclaring(ctx) {
			return v, err
		}
		invalidate := l.Invalidate
		if m.Type() == ent.TypeSavedView || m.Type() == ent.TypeViewDefault { // only the saved views are stale
			invalidate = func() { l.views.Add(1) }
		}
		invalidate()
		if txm, ok := m.(interface{ Tx() (*ent.Tx, error) }); ok {
			if tx, err := txm.Tx(); err == nil {
				tx.OnCommit(func(c ent.Committer) ent.Committer {
					return ent.CommitFunc(func(ctx context.Context, tx *ent.Tx) error {
						err := c.Commit(ctx, tx)
						invalidate()
						return err
					})
				})
			}
		}
		return v, err
	})
}

// FilterChoices is LoadFilterChoices, cached. The slices are shared: read only.
func (l *Lookups) FilterChoices(ctx context.Context) (FilterChoices, error) {
	return l.choices.get(ctx, l, scope[FilterChoices]{gen: l.choicesGen}, func(ctx context.Context) (FilterChoices, error) {
		return LoadFilterChoices(ctx, l.client)
	})
}

// OutletNames are the first OutletNamesMax outlet names by name (the
// contact form offers them), cached like the filter choices. Shared: read only.
func (l *Lookups) OutletNames(ctx context.Context) ([]string, error) {
	return l.outlets.get(ctx, l, scope[[]string]{gen: l.choicesGen}, func(ctx context.Context) ([]string, error) {
		return LoadOutletNames(ctx, l.client)
	})
}

// Stages is LoadStages, cached. The slice is shared: read only.
func (l *Lookups) Stages(ctx context.Context) (Stages, error) {
	return l.stages.get(ctx, l, scope[Stages]{gen: l.allGen}, func(ctx context.Context) (Stages, error) { return LoadStages(ctx, l.client) })
}

// DashboardStats are LoadDashboard's figures, cached: the team's figures and
// recent activity are the same for everyone, and counting a million contacts
// on every start page costs more than the page may. The counts of contacts,
// of those past their cadence and of the last 30 days' interactions come
// from the charts' totals (cached too), which read those rows anyway.
// After a write they are served stale while one refresh runs in the
// background (cache_refresh.go). Shared: read only.
func (l *Lookups) DashboardStats(ctx context.Context, now time.Time) (*DashboardStats, error) {
	return l.team.getStale(ctx, l, scope[*DashboardStats]{gen: l.anyWriteGen}, func(ctx context.Context) (*DashboardStats, error) {
		return loadDashboardWith(ctx, l, now)
	})
}

// page returns the cached result of load under key (its statements and their arguments).
func (l *Lookups) page(ctx context.Context, key string, load func(context.Context) (*ContactPage, error)) (*ContactPage, error) {
	return l.pages.Get(ctx, key, load)
}

// Memo is a keyed cache that l invalidates: a value is trusted until a
// write l sees makes it stale (its scope) or l's TTL. Errors are not
// remembered. It holds at most max keys; past that it forgets all of them
// and fills anew.
type Memo[T any] struct {
	l     *Lookups
	max   int
	scope scope[T]
	mu    sync.Mutex
	cells map[string]*cell[T]
}

// scope says which writes make a cached value stale: gen changes with
// them; hit, when set, says whether a row write (rowLog) concerns the value.
type scope[T any] struct {
	gen func() uint64
	hit func(T, rowWrite) bool
}

func newMemo[T any](l *Lookups, max int, sc scope[T]) *Memo[T] {
	return &Memo[T]{l: l, max: max, scope: sc, cells: map[string]*cell[T]{}}
}

// Get returns the value of key, calling load when there is none or it is stale.
func (m *Memo[T]) Get(ctx context.Context, key string, load func(context.Context) (T, error)) (T, error) {
	m.mu.Lock()
	c := m.cells[key]
	if c == nil {
		if len(m.cells) >= m.max {
			clear(m.cells)
		}
		c = &cell[T]{}
		m.cells[key] = c
	}
	m.mu.Unlock()
	return c.get(ctx, m.l, m.scope, load)
}

// entry is a value and the generation, row write and time it was read at.
type entry[T any] struct {
	val  T
	gen  uint64
	rows uint64 // the row writes logged before the read
	at   time.Time
}

// cell holds one cached value; one caller loads it at a time.
type cell[T any] struct {
	mu  sync.Mutex
	cur atomic.Pointer[entry[T]]
}

// current reports whether e is what the database holds as far as the
// writes l saw since e was read are concerned (the TTL aside).
func (c *cell[T]) current(e *entry[T], l *Lookups, sc scope[T]) bool {
	if e == nil || e.gen != sc.gen() {
		return false
	}
	if sc.hit == nil {
		return true
	}
	hit, upTo := l.rows.since(e.rows, func(w rowWrite) bool { return sc.hit(e.val, w) })
	if !hit && upTo != e.rows { // checked: the next reader starts from here
		c.cur.CompareAndSwap(e, &entry[T]{val: e.val, gen: e.gen, rows: upTo, at: e.at})
	}
	return !hit
}

func (c *cell[T]) get(ctx context.Context, l *Lookups, sc scope[T], load func(context.Context) (T, error)) (T, error) {
	e := c.cur.Load()
	if c.current(e, l, sc) {
		if l.now().Sub(e.at) < l.ttl {
			return e.val, nil
		}
		// Only old, nothing written here since: one caller reads it anew
		// while the others keep the old value a moment longer, so a refresh
		// never holds up every request.
		if !c.mu.TryLock() {
			return e.val, nil
		}
	} else {
		c.mu.Lock() // written since: everyone waits for the new value
	}
	defer c.mu.Unlock()
	if e := c.cur.Load(); c.fresh(e, l, sc) {
		return e.val, nil
	}
	return c.load(ctx, l, sc, load)
}

// fresh reports whether e is current and younger than the TTL.
func (c *cell[T]) fresh(e *entry[T], l *Lookups, sc scope[T]) bool {
	return c.current(e, l, sc) && l.now().Sub(e.at) < l.ttl
}

// load reads the value and keeps it; the caller holds c.mu.
func (c *cell[T]) load(ctx context.Context, l *Lookups, sc scope[T], load func(context.Context) (T, error)) (T, error) {
	// The generation before the read: a write during it makes the value stale.
	gen, rows, at := sc.gen(), l.rows.seq.Load(), l.now()
	v, err := load(ctx)
	if err != nil {
		return v, err
	}
	c.cur.Store(&entry[T]{val: v, gen: gen, rows: rows, at: at})
	return v, nil
}
