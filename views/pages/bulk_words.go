package pages

import (
	"context"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/locale"
)

// bulkSummary says a bulk action in the locale's words (crm.BulkWords, as
// the audit trail does) from the action's key and value, and falls back to
// the stored English summary for an action without words. summary names
// the owner of set_owner (its value is an id).
func bulkSummary(ctx context.Context, action, value, summary string) string {
	if s, ok := crm.BulkWords(locale.From(ctx), action, crm.BulkArg(action, value, summary), false); ok {
		return s
	}
	return summary
}
