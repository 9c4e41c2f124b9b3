package pages

import (
	"strings"

	"github.com/rapport-crm/rapport/views/components"
)

// searchSortOptions are the orders of search results.
func searchSortOptions() []components.Option {
	return []components.Option{components.Msg("relevance", "Relevance"), components.Msg("reach", "Reach"),
		components.Msg("last_interaction", "Last interaction")}
}

// joinNonEmpty joins the non-empty parts with " · ".
func joinNonEmpty(parts ...string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, " · ")
}

// emptyFor is ` “q”` for the empty state, or "" without a query.
func emptyFor(q string) string {
	if q == "" {
		return ""
	}
	return " “" + q + "”"
}
