package crm

import (
	"context"

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
	// EntityImportMapping is a saved column mapping (importing.SaveTemplate).
	EntityImportMapping = "import_mapping"
)
