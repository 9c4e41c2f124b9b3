package pages

import (
	"context"
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

// nobodyMatches is the empty state's sentence, with the query in the
// language's quotes when there is one.
func nobodyMatches(ctx context.Context, q string) string {
	if q == "" {
		return tr(ctx, "Nobody matches.")
	}
	return tr(ctx, "Nobody matches “{{.Query}}”.", "Query", q)
}
