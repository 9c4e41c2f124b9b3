package db

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/ent"
)

// WithTx runs fn in one transaction on client: committed when fn returns nil,
// rolled back when it returns an error or panics. fn must use the ctx it is
// given: it carries the transaction's outbox, and the contacts fn touches are
// recorded as search changes in the same transaction, just before COMMIT.
func WithTx(ctx context.Context, client *ent.Client, fn func(ctx context.Context, tx *ent.Tx) error) (err error) {
	tx, err := client.Tx(ctx)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	defer func() {
		if v := recover(); v != nil {
			_ = tx.Rollback()
			panic(v)
		}
	}()
	ctx, out := withPending(ctx)
	err = fn(ctx, tx)
	if err == nil {
		err = out.flush(ctx, tx)
	}
	if err != nil {
		if rerr := tx.Rollback(); rerr != nil {
			return fmt.Errorf("%w (rollback: %v)", err, rerr)
		}
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}
