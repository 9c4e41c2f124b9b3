package importing

import (
	"context"
	"fmt"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
)

// maxDuplicateChecks bounds the new contacts of one dry run that are
// checked against the stored ones by name and outlet (a few indexed look-ups
// each); rows beyond it are imported unchecked, as before.
const maxDuplicateChecks = 2000

// warnDuplicates adds "would duplicate #123" to the dry-run rows that would
// create a contact who may exist already by name (in its German spellings,
// or swapped) or by a similar name at the same outlet: rows that share an
// e-mail, a handle or a Rapport ID update their contact anyway. The warning
// says how to update instead.
func (b *batch) warnDuplicates(ctx context.Context, client *ent.Client) error {
	if !b.e.dry {
		return nil
	}
	for _, o := range b.outcomes {
		if o.action != ActCreate || o.target == nil || !o.target.isNew() || o.target.firstRow != o.rec.Row {
			continue
		}
		if b.e.dupChecks >= maxDuplicateChecks {
			return nil
		}
		b.e.dupChecks++
		hints, err := crm.DuplicateHints(ctx, client, o.target.cur, 0)
		if err != nil {
			return err
		}
		for _, h := range hints {
			o.warnings = append(o.warnings, fmt.Sprintf("would duplicate #%d %s (%s): map a “Rapport ID” column with %d to update it instead", h.ID, h.Name, h.Reason, h.ID))
		}
	}
	return nil
}
