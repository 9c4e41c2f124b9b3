package db

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"

	"entgo.io/ent/dialect"
	entsql "entgo.io/ent/dialect/sql"
)

// preparedQueries are the statements that Prepared registered.
var preparedQueries sync.Map // query text → struct{}

// Prepared registers q as a statement the pool prepares once per connection
// instead of sending it to be parsed and planned on every call, and returns
// q. It is for the few large read statements that run on most requests (the
// contact card's union of two dozen branches took PostgreSQL 3.5–20 ms to
// plan and run per call under load, 1–8 ms as a prepared statement once
// PostgreSQL chose its generic plan). Only statements whose text does not
// vary belong here: each text is one prepared statement per connection. A
// registered statement in a transaction runs as any other.
func Prepared(q string) string {
	if _, ok := preparedQueries.Load(q); !ok {
		preparedQueries.Store(q, struct{}{})
	}
	return q
}

// preparing is the pool's driver with Prepared's statements prepared: ent's
// Query and the raw QueryContext outside transactions use them.
type preparing struct {
	dialect.Driver
	db    *sql.DB
	mu    sync.Mutex
	stmts sync.Map // query text → *sql.Stmt
}

func newPreparing(drv dialect.Driver, db *sql.DB) *preparing {
	return &preparing{Driver: drv, db: db}
}

// stmt is q's prepared statement, or nil when q is not registered.
func (p *preparing) stmt(ctx context.Context, q string) (*sql.Stmt, error) {
	if _, ok := preparedQueries.Load(q); !ok {
		return nil, nil
	}
	if s, ok := p.stmts.Load(q); ok {
		return s.(*sql.Stmt), nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if s, ok := p.stmts.Load(q); ok {
		return s.(*sql.Stmt), nil
	}
	s, err := p.db.PrepareContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("prepare: %w", err) // not remembered: the next call tries again
	}
	p.stmts.Store(q, s)
	return s, nil
}

func (p *preparing) Query(ctx context.Context, q string, args, v any) error {
	s, err := p.stmt(ctx, q)
	if err != nil || s == nil {
		if err != nil {
			return err
		}
		return p.Driver.Query(ctx, q, args, v)
	}
	vr, ok := v.(*entsql.Rows)
	argv, ok2 := args.([]any)
	if !ok || !ok2 {
		return p.Driver.Query(ctx, q, args, v)
	}
	rows, err := s.QueryContext(ctx, argv...)
	if err != nil {
		return err
	}
	*vr = entsql.Rows{ColumnScanner: rows}
	return nil
}

// QueryContext is the raw query of ent's client.QueryContext.
func (p *preparing) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	s, err := p.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if s == nil {
		return p.db.QueryContext(ctx, q, args...)
	}
	return s.QueryContext(ctx, args...)
}

// ExecContext is the raw statement of ent's client.ExecContext.
func (p *preparing) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return p.db.ExecContext(ctx, q, args...)
}

func (p *preparing) Close() error {
	var errs []error
	p.stmts.Range(func(_, s any) bool {
		errs = append(errs, s.(*sql.Stmt).Close())
		return true
	})
	return errors.Join(append(errs, p.Driver.Close())...)
}
