package crm

import (
	"context"
	"fmt"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/interaction"
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

// DeleteContactsTx removes contacts (and the interactions that involved
// nobody else) in tx, auditing each with summary. Missing ids are skipped.
func DeleteContactsTx(ctx context.Context, tx *ent.Tx, ids []int, summary string) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	existing, err := tx.Contact.Query().Where(contact.IDIn(ids...)).IDs(ctx)
	if err != nil {
		return 0, fmt.Errorf("find contacts to delete: %w", err)
	}
	for _, id := range existing {
		if err := deleteContactTx(ctx, tx, id); err != nil {
			return 0, err
		}
		if err := audit(ctx, tx, Event{Action: ActionDelete, Entity: EntityContact, EntityID: id, Summary: summary}); err != nil {
			return 0, err
		}
	}
	return len(existing), nil
}

// deleteContactTx is DeleteContact's body: the interactions that involved
// nobody else go with the contact.
func deleteContactTx(ctx context.Context, tx *ent.Tx, id int) error {
	_, err := tx.Interaction.Delete().Where(
		interaction.HasContactsWith(contact.ID(id)),
		interaction.Not(interaction.HasContactsWith(contact.IDNEQ(id))),
	).Exec(ctx)
	if err != nil {
		return fmt.Errorf("delete interactions of contact %d: %w", id, err)
	}
	if err := tx.Contact.DeleteOneID(id).Exec(ctx); err != nil && !ent.IsNotFound(err) {
		return fmt.Errorf("delete contact %d: %w", id, err)
	}
	return nil
}
