package db

import (
	"context"
	"database/sql"
	"errors"
	"hash/maphash"
	"strings"
	"sync"
	"time"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// Statements are prepared once per connection and reused, in and outside
// transactions: under the busy team's mix (issue 20), parsing and planning
// were more than half of PostgreSQL's CPU (log_statement_stats: 5.3 s of
// Parse and Bind against 3.7 s of Execute), since lib/pq parses and plans
// every statement with arguments anew. A statement text is prepared from
// its second use (a text used once, e.g. a bulk statement with its own list
// of placeholders, costs no prepare), only when it has arguments and starts
// with SELECT, INSERT, UPDATE, DELETE or WITH (scripts and DDL run as
// before), and at most maxPrepared texts per pool: past that, new texts run
// unprepared. PostgreSQL plans a prepared statement for its arguments for
// the first five runs on a connection, then keeps a generic plan when that
// is not estimated dearer.
const (
	maxPrepared = 256
	maxSeen     = 8192 // texts counted towards their second use; forgotten all at once past it
)

// preparing is the pool's driver with repeated statements prepared: ent's
// Query and Exec, the raw QueryContext and ExecContext, and the same inside
// transactions (Tx, BeginTx).
type preparing struct {
	dialect.Driver
	db      *sql.DB
	seed    maphash.Seed
	mu      sync.Mutex
	seen    map[uint64]bool // hashes of texts used once
	pending map[string]bool // texts being prepared
	n       int             // statements in stmts and pending
	closed  bool
	stmts   sync.Map // query text → *sql.Stmt
	wg      sync.WaitGroup
}

func newPreparing(drv dialect.Driver, db *sql.DB) *preparing {
	return &preparing{Driver: drv, db: db, seed: maphash.MakeSeed(), seen: map[uint64]bool{}, pending: map[string]bool{}}
}

// preparable reports whether q may be prepared: one statement of data
// manipulation with arguments.
func preparable(q string, args int) bool {
	if args == 0 {
		return false
	}
	s := strings.TrimLeft(q, " \t\r\n(")
	if len(s) < 6 {
		return false
	}
	switch strings.ToUpper(s[:4]) {
	case "SELE", "INSE", "UPDA", "DELE", "WITH":
		return true
	}
	return false
}

// stmt is q's prepared statement, or nil while q runs unprepared: its first
// use, not preparable, being prepared, or the pool holds maxPrepared. The
// second use starts preparing q in the background, on a connection of its
// own: a caller in a transaction holds one and must not wait for another
// (with every connection in a transaction that would wait forever).
func (p *preparing) stmt(q string, args int) *sql.Stmt {
	if s, ok := p.stmts.Load(q); ok {
		return s.(*sql.Stmt)
	}
	if !preparable(q, args) {
		return nil
	}
	h := maphash.String(p.seed, q)
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case p.pending[q] || p.closed || p.n >= maxPrepared:
	case !p.seen[h]:
		if len(p.seen) >= maxSeen {
			clear(p.seen)
		}
		p.seen[h] = true
	default:
		delete(p.seen, h)
		p.pending[q] = true
		p.n++
		p.wg.Add(1)
		go p.prepare(q)
	}
	return nil
}

// prepare prepares q on the pool and files it for the next callers; a
// failure forgets q (its next uses count again).
func (p *preparing) prepare(q string) {
	defer p.wg.Done()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := p.db.PrepareContext(ctx, q)
	p.mu.Lock()
	defer p.mu.Unlock()
	delete(p.pending, q)
	if err != nil || p.closed {
		p.n--
		if s != nil {
			s.Close()
		}
		return
	}
	p.stmts.Store(q, s)
}

// querier runs statements on the pool, or in tx when it is not nil, through
// p's prepared statements.
type querier struct {
	p  *preparing
	tx *sql.Tx
}

func (x querier) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s := x.p.stmt(q, len(args))
	switch {
	case s == nil && x.tx != nil:
		return x.tx.QueryContext(ctx, q, args...)
	case s == nil:
		return x.p.db.QueryContext(ctx, q, args...)
	case x.tx != nil:
		// The transaction's statement is closed with the transaction (the
		// rows may outlive this call); the connection keeps the prepared one.
		return x.tx.StmtContext(ctx, s).QueryContext(ctx, args...)
	}
	return s.QueryContext(ctx, args...)
}

func (x querier) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	s := x.p.stmt(q, len(args))
	switch {
	case s == nil && x.tx != nil:
		return x.tx.ExecContext(ctx, q, args...)
	case s == nil:
		return x.p.db.ExecContext(ctx, q, args...)
	case x.tx != nil:
		ts := x.tx.StmtContext(ctx, s)
		defer ts.Close()
		return ts.ExecContext(ctx, args...)
	}
	return s.ExecContext(ctx, args...)
}

// Querier runs raw statements: QueryContext and ExecContext as on a
// *sql.DB.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Querier runs raw statements on the pool with the repeated ones prepared,
// as ent's are: for packages that write their own SQL (the search's change
// log). Like SQL, it is not seen by Open's wrap.
func (d *DB) Querier() Querier { return querier{p: d.prep} }

// Prepared lists the statement texts the pool has prepared, once the
// preparations under way are done: tests check with it that a repeated
// statement runs prepared.
func (d *DB) Prepared() []string {
	d.prep.wg.Wait()
	var texts []string
	d.prep.stmts.Range(func(q, _ any) bool {
		texts = append(texts, q.(string))
		return true
	})
	return texts
}

// conn is ent's Query and Exec over x.
func (x querier) conn() entsql.Conn { return entsql.Conn{ExecQuerier: x} }

func (p *preparing) Query(ctx context.Context, q string, args, v any) error {
	return querier{p: p}.conn().Query(ctx, q, args, v)
}

func (p *preparing) Exec(ctx context.Context, q string, args, v any) error {
	return querier{p: p}.conn().Exec(ctx, q, args, v)
}

// QueryContext is the raw query of ent's client.QueryContext.
func (p *preparing) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return querier{p: p}.QueryContext(ctx, q, args...)
}

// ExecContext is the raw statement of ent's client.ExecContext.
func (p *preparing) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return querier{p: p}.ExecContext(ctx, q, args...)
}

// Tx starts a transaction whose statements use the prepared ones.
func (p *preparing) Tx(ctx context.Context) (dialect.Tx, error) { return p.BeginTx(ctx, nil) }

// BeginTx is Tx with options (ent's client.BeginTx).
func (p *preparing) BeginTx(ctx context.Context, opts *sql.TxOptions) (dialect.Tx, error) {
	tx, err := p.db.BeginTx(ctx, opts)
	if err != nil {
		return nil, err
	}
	return &entsql.Tx{Conn: querier{p: p, tx: tx}.conn(), Tx: tx}, nil
}

func (p *preparing) Close() error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	p.wg.Wait()
	var errs []error
	p.stmts.Range(func(_, s any) bool {
		errs = append(errs, s.(*sql.Stmt).Close())
		return true
	})
	return errors.Join(append(errs, p.Driver.Close())...)
}
