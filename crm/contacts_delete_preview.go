package crm

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// DeletePreview says what deleting a contact will do, for the page that asks
// before it: the interactions only they took part in go, shared ones stay
// without them.
type DeletePreview struct {
	ID                              int
	Name                            string
	Interactions, Shared, OpenTasks int
	Emails, Channels                int
}

const deletePreviewQuery = `
SELECT c.first_name, c.last_name,
	(SELECT COUNT(*) FROM participations p WHERE p.contact_id = c.id AND NOT EXISTS (
		SELECT 1 FROM participations o WHERE o.interaction_id = p.interaction_id AND o.contact_id <> c.id)),
	(SELECT COUNT(*) FROM participations p WHERE p.contact_id = c.id AND EXISTS (
		SELECT 1 FROM participations o WHERE o.interaction_id = p.interaction_id AND o.contact_id <> c.id)),
	(SELECT COUNT(*) FROM tasks t WHERE t.contact_id = c.id AND t.done_at IS NULL),
	(SELECT COUNT(*) FROM contact_emails e WHERE e.contact_id = c.id),
	(SELECT COUNT(*) FROM social_profiles s WHERE s.contact_id = c.id)
FROM contacts c WHERE c.id = $1`

// PreviewDelete reads what deleting contact id would remove, in one query.
func (p *Privacy) PreviewDelete(ctx context.Context, id int) (DeletePreview, error) {
	d := DeletePreview{ID: id}
	var first, last string
	err := p.sqlDB.QueryRowContext(ctx, deletePreviewQuery, id).Scan(&first, &last,
		&d.Interactions, &d.Shared, &d.OpenTasks, &d.Emails, &d.Channels)
	if errors.Is(err, sql.ErrNoRows) {
		return d, Errorf(ENotFound, "This contact does not exist (any more).")
	}
	if err != nil {
		return d, fmt.Errorf("preview delete: %w", err)
	}
	d.Name = DisplayName(first, last)
	return d, nil
}
