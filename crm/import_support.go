package crm

import (
	"context"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/ent"
)

// This file holds what the importing package needs of crm besides the
// contact writer: its audit actions, and the deletion a revert runs.

// AuditTx writes an audit event in tx, attributed to the actor of ctx.
func AuditTx(ctx context.Context, tx *ent.Tx, ev Event) error { return audit(ctx, tx, ev) }

// ActionImport and ActionRevert are the audit actions of imports.
const (
	ActionImport = "import"
	ActionRevert = "revert"
	EntityImport = "import"
)

// IsPostgres reports whether client (or a transaction's client) talks to
// PostgreSQL.
func IsPostgres(ctx context.Context, client *ent.Client) (bool, error) {
	dia, err := dialectOf(ctx, client)
	return dia == dialect.Postgres, err
}
