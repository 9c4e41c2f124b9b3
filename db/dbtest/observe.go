package dbtest

import (
	"context"
	"database/sql"
	"fmt"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/db"
)

// An Observer is told of every statement before it runs, with its
// parameters; the function it returns (nil for none) is called when the
// statement has run.
type Observer func(q string, args []any) (done func())

// Observe wraps a driver so that o sees every statement: ent's queries and
// the raw database/sql calls (ExecContext, QueryContext), in and out of
// transactions; COMMIT is observed as the statement "COMMIT".
func Observe(o Observer) db.Wrap {
	return func(drv dialect.Driver) dialect.Driver { return &observed{Driver: drv, o: o} }
}

func (o Observer) see(q string, args any) func() {
	a, _ := args.([]any)
	if done := o(q, a); done != nil {
		return done
	}
	return func() {}
}

type observed struct {
	dialect.Driver
	o Observer
}

func (d *observed) Exec(ctx context.Context, q string, args, v any) error {
	defer d.o.see(q, args)()
	return d.Driver.Exec(ctx, q, args, v)
}

func (d *observed) Query(ctx context.Context, q string, args, v any) error {
	defer d.o.see(q, args)()
	return d.Driver.Query(ctx, q, args, v)
}

func (d *observed) Tx(ctx context.Context) (dialect.Tx, error) {
	tx, err := d.Driver.Tx(ctx)
	if err != nil {
		return nil, err
	}
	return &observedTx{Tx: tx, o: d.o}, nil
}

func (d *observed) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	defer d.o.see(q, args)()
	return rawExec(d.Driver, ctx, q, args)
}

func (d *observed) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	defer d.o.see(q, args)()
	return rawQuery(d.Driver, ctx, q, args)
}

type observedTx struct {
	dialect.Tx
	o Observer
}

func (t *observedTx) Exec(ctx context.Context, q string, args, v any) error {
	defer t.o.see(q, args)()
	return t.Tx.Exec(ctx, q, args, v)
}

func (t *observedTx) Query(ctx context.Context, q string, args, v any) error {
	defer t.o.see(q, args)()
	return t.Tx.Query(ctx, q, args, v)
}

func (t *observedTx) Commit() error {
	defer t.o.see("COMMIT", nil)()
	return t.Tx.Commit()
}

func (t *observedTx) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	defer t.o.see(q, args)()
	return rawExec(t.Tx, ctx, q, args)
}

func (t *observedTx) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	defer t.o.see(q, args)()
	return rawQuery(t.Tx, ctx, q, args)
}

func rawExec(x any, ctx context.Context, q string, args []any) (sql.Result, error) {
	e, ok := x.(interface {
		ExecContext(context.Context, string, ...any) (sql.Result, error)
	})
	if !ok {
		return nil, fmt.Errorf("dbtest: %T has no ExecContext", x)
	}
	return e.ExecContext(ctx, q, args...)
}

func rawQuery(x any, ctx context.Context, q string, args []any) (*sql.Rows, error) {
	e, ok := x.(interface {
		QueryContext(context.Context, string, ...any) (*sql.Rows, error)
	})
	if !ok {
		return nil, fmt.Errorf("dbtest: %T has no QueryContext", x)
	}
	return e.QueryContext(ctx, q, args...)
}
