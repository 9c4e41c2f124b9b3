package search

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/graph"
)

// Options configure a Service.
type Options struct {
	Dir string // the index directory (a Store), e.g. $RAPPORT_DATA_DIR/index
	// Querier runs the search's own statements on the database (the change
	// log's reads and pruning, the counts): the pool's, db.DB.Querier, so
	// that the repeated ones (Behind on every search page, the indexer's
	// read of the changes) run prepared. Required.
	Querier db.Querier
	// DB is the raw pool, PostgreSQL or SQLite, that the contacts of the
	// documents are read from (graph.Loader): the loader takes connections
	// of its own (Conn) to run its queries at once and sizes them by the
	// pool's Stats, which a Querier does not offer.
	DB         *sql.DB
	Dialect    string        // its dialect: dialect.Postgres or dialect.SQLite
	ListenURL  string        // PostgreSQL URL to LISTEN on for change notifications; "" polls only
	Poll       time.Duration // how often to look for changes without a notification; default 1 s, 100 ms without ListenURL
	GapTimeout time.Duration // how long to wait for a change id that has not committed; default 30 s
	// Retention is how long change records are kept (older ones are pruned
	// hourly); an index that has not synced for nearly as long is rebuilt on
	// open, because the changes it missed may be gone. 0 keeps them forever.
	Retention time.Duration
	// RebuildBacklog is how many unread changes make Open rebuild the index
	// from scratch rather than replay them (after a bulk import, say).
	RebuildBacklog int
	// BuildInBackground makes Open return at once when the index must be
	// built: it serves an empty index meanwhile (Building reports how far
	// the build is; Search and MatchIDs answer ErrBuilding) and Run builds
	// it, with a lower soft memory limit, and switches to it. Without it
	// Open builds before it returns (tests, tools).
	BuildInBackground bool
	// BuildDB is the database a background build loads the contacts from
	// (LoadAll streams each table in one statement, for minutes at 100,000
	// contacts): a pool without the server's statement timeout. nil reads
	// DB. The build's position in the change log is read with Querier.
	BuildDB *sql.DB
	Log     *slog.Logger
}

func (o *Options) defaults() {
	if o.Poll <= 0 {
		o.Poll = time.Second
		if o.ListenURL == "" {
			o.Poll = 100 * time.Millisecond
		}
	}
	if o.GapTimeout <= 0 {
		o.GapTimeout = 30 * time.Second
	}
	if o.RebuildBacklog <= 0 {
		o.RebuildBacklog = 250_000
	}
	if o.Log == nil {
		o.Log = slog.New(slog.DiscardHandler)
	}
}

// Service is the search index of one app instance: it answers searches,
// keeps the index in step with the database by following the change log,
// and switches to a new generation when `rapport reindex` built one.
type Service struct {
	opt   Options
	store Store
	lock  *os.File

	mu sync.RWMutex // guards ix: searches read-lock, a switch of generation write-locks
	ix *Index

	building atomic.Pointer[buildProgress] // not nil while Run builds the index (BuildInBackground)
	rejected string                        // the generation Open would not serve: never switched to
	// buildFrom is the last change recorded when the background build was
	// decided: at the switch, every contact changed since then is reported
	// to the listeners, whose caches heard of nothing while Sync waited.
	buildFrom int

	passMu   sync.Mutex // one sync pass at a time; guards cur and onChange
	cur      *cursor
	onChange []func(contacts []int)

	wake chan struct{}
}

// Open opens the index in opt.Dir for serving. It fails at once with
// ErrLocked when another process serves from the same directory. An index
// that is missing, unreadable, of an old mapping version or too far behind
// is moved aside and rebuilt from the database before Open returns.
func Open(ctx context.Context, opt Options) (*Service, error) {
	opt.defaults()
	if opt.Dialect != dialect.Postgres && opt.Dialect != dialect.SQLite {
		return nil, fmt.Errorf("open search index: unknown database dialect %q", opt.Dialect)
	}
	if opt.Querier == nil || opt.DB == nil {
		return nil, errors.New("open search index: Options.Querier and Options.DB are required")
	}
	s := &Service{opt: opt, store: Store{Dir: opt.Dir}, wake: make(chan struct{}, 1)}
	lock, err := s.store.lock(serveLock)
	if err != nil {
		return nil, err
	}
	s.lock = lock
	ix, err := s.openOrBuild(ctx)
	if err != nil {
		lock.Close()
		return nil, err
	}
	pos, err := ix.Position()
	if err != nil {
		ix.Close()
		lock.Close()
		return nil, err
	}
	s.ix, s.cur = ix, newCursor(pos, opt.GapTimeout)
	if ix.Name != placeholderName {
		s.cleanup(ix.Name)
	}
	return s, nil
}

// loader reads the contacts the documents are made of.
func (s *Service) loader() graph.Loader { return graph.Loader{DB: s.opt.DB, Dialect: s.opt.Dialect} }

// openOrBuild opens the current generation, or builds one when it cannot be used.
func (s *Service) openOrBuild(ctx context.Context) (*Index, error) {
	name, err := s.store.Current()
	if err != nil {
		s.opt.Log.Warn("search index pointer unreadable; rebuilding", "err", err)
	}
	if name != "" {
		ix, err := openIndex(s.store.Path(name), name)
		switch {
		case errors.Is(err, ErrLocked):
			return nil, err
		case err != nil:
			why := "broken"
			if errors.Is(err, ErrOldIndex) {
				why = "old"
			}
			to, aerr := s.store.moveAside(name, why)
			s.opt.Log.Warn("search index unusable; moved aside and rebuilding", "generation", name, "err", err, "moved_to", to, "move_err", aerr)
		default:
			if why := s.tooOld(ctx, ix); why != "" {
				s.opt.Log.Warn("search index too far behind; rebuilding", "generation", name, "reason", why)
				ix.Close()
			} else {
				return ix, nil
			}
		}
	}
	s.rejected = name
	if s.opt.BuildInBackground {
		s.opt.Log.Info("building the search index from the database in the background")
		if err := scan(ctx, s.opt.Querier, "SELECT COALESCE(MAX(id), 0) FROM changes", nil, func(r *sql.Rows) error { return r.Scan(&s.buildFrom) }); err != nil {
			return nil, fmt.Errorf("search: read the change log's position: %w", err)
		}
		s.building.Store(&buildProgress{})
		return placeholder()
	}
	s.opt.Log.Info("building the search index from the database")
	st, err := Build(ctx, s.store, s.opt.Querier, s.loader(), s.opt.GapTimeout, nil)
	if err != nil {
		return nil, err
	}
	s.opt.Log.Info("search index built", "generation", st.Generation, "contacts", st.Contacts, "took", st.Took.Round(time.Millisecond))
	return openIndex(s.store.Path(st.Generation), st.Generation)
}

// tooOld says why ix should rather be rebuilt than caught up, or "".
func (s *Service) tooOld(ctx context.Context, ix *Index) string {
	if s.opt.Retention > 0 && time.Since(ix.SyncedAt()) > s.opt.Retention-time.Hour {
		return "not synced within the change retention"
	}
	pos, _ := ix.Position()
	var maxID int
	err := scan(ctx, s.opt.Querier, "SELECT COALESCE(MAX(id), 0) FROM changes", nil, func(r *sql.Rows) error { return r.Scan(&maxID) })
	if err == nil && maxID-pos > s.opt.RebuildBacklog {
		return fmt.Sprintf("%d changes behind", maxID-pos)
	}
	return ""
}

// cleanup removes generations other than keep, unless a build is running.
func (s *Service) cleanup(keep string) {
	l, err := s.store.lock(buildLock)
	if err != nil {
		return // a build is running; the next start or switch cleans up
	}
	defer l.Close()
	if err := s.store.removeOthers(keep); err != nil {
		s.opt.Log.Warn("remove old search index generations", "err", err)
	}
}

// ErrClosed is what Sync returns after Close (Run then returns).
var ErrClosed = errors.New("search: the index is closed")

// Close closes the index and releases the directory.
func (s *Service) Close() error {
	s.passMu.Lock()
	defer s.passMu.Unlock()
	s.mu.Lock()
	defer s.mu.Unlock()
	var err error
	if s.ix != nil {
		err = s.ix.Close()
		s.ix = nil
	}
	if s.lock != nil {
		s.lock.Close()
		s.lock = nil
	}
	return err
}

// Generation is the name of the generation being served.
func (s *Service) Generation() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ix.Name
}

// Position is the id of the last change the index has made durable.
func (s *Service) Position() int {
	s.passMu.Lock()
	defer s.passMu.Unlock()
	return s.cur.pos
}

// Sync reads and indexes every change committed so far (as far as no gap
// holds it up). Run does this on every notification and poll; tests and
// tools call it to be sure.
func (s *Service) Sync(ctx context.Context) error {
	if s.building.Load() != nil {
		return nil // the build reads the database as it is; its start position covers the rest
	}
	s.passMu.Lock()
	defer s.passMu.Unlock()
	s.mu.RLock()
	ix := s.ix
	s.mu.RUnlock()
	if ix == nil {
		return ErrClosed
	}
	var applied []int
	defer func() {
		if len(applied) > 0 {
			for _, f := range s.onChange {
				f(applied)
			}
		}
	}()
	for {
		more, ids, err := ix.sync(ctx, s.opt.Querier, s.loader(), s.cur, time.Now)
		applied = append(applied, ids...)
		if err != nil {
			return err
		}
		if !more {
			// The pass's segment, and any that scorch merged since the
			// last pass, get their columns here rather than in a search.
			return ix.warmColumns()
		}
	}
}

// OnChange registers f to be called after a sync pass that applied changes
// from the change log, whichever process wrote them, with the contacts they
// changed: caches of other derived data (the contact list's) follow the
// database with it.
func (s *Service) OnChange(f func(contacts []int)) {
	s.passMu.Lock()
	defer s.passMu.Unlock()
	s.onChange = append(s.onChange, f)
}

// Nudge asks Run for a sync pass now (say, after a write in this process).
func (s *Service) Nudge() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// withIndex runs f on the served index under the read lock.
// While the index is being built it answers ErrBuilding.
func (s *Service) withIndex(f func(*Index) error) error {
	if s.building.Load() != nil {
		return ErrBuilding
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.ix == nil {
		return ErrClosed
	}
	return f(s.ix)
}
