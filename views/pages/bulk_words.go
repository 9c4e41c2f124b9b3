package pages

import (
	"context"
	"strings"

	"github.com/rapport-crm/rapport/views/components"
)

// bulkSummary says a bulk action in the locale's words. crm stores an
// English summary for the audit trail; the page builds its own from the
// action's key and value, and falls back to the stored one for an action it
// does not know. summary names the owner of set_owner (its value is an id).
func bulkSummary(ctx context.Context, action, value, summary string) string {
	switch action {
	case "add_tag":
		return tr(ctx, "add tag “{{.Name}}”", "Name", value)
	case "remove_tag":
		return tr(ctx, "remove tag “{{.Name}}”", "Name", value)
	case "add_topic":
		return tr(ctx, "add topic “{{.Name}}”", "Name", value)
	case "remove_topic":
		return tr(ctx, "remove topic “{{.Name}}”", "Name", value)
	case "set_owner":
		return tr(ctx, "set owner to “{{.Name}}”", "Name", quoted(summary))
	case "set_region":
		return tr(ctx, "set region to “{{.Name}}”", "Name", value)
	case "set_stage":
		return tr(ctx, "set stage to “{{.Name}}”", "Name", components.Label(ctx, value))
	case "set_lawful_basis":
		return tr(ctx, "set lawful basis to “{{.Name}}”", "Name", components.Label(ctx, value))
	case "set_do_not_contact":
		if value == "true" {
			return tr(ctx, "mark do-not-contact")
		}
		return tr(ctx, "lift do-not-contact")
	}
	return summary
}

// quoted is the text between the first “ and the last ” of s.
func quoted(s string) string {
	i, j := strings.Index(s, "“"), strings.LastIndex(s, "”")
	if i < 0 || j < i {
		return s
	}
	return s[i+len("“") : j]
}
