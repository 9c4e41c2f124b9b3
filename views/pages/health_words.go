package pages

import (
	"context"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/views/components"
)

// healthText is a line of a health score's explanation in the locale's
// words: crm says each line by a key and its numbers (crm.HealthLine); its
// English Text is the fallback for a key this does not know.
func healthText(ctx context.Context, l crm.HealthLine) string {
	n := func(k string) string { return components.Number(ctx, l.Args[k]) }
	c := func(k string) int { return int(l.Args[k]) }
	switch l.Key {
	case "start":
		return tr(ctx, "starting point")
	case "never":
		return tr(ctx, "never in touch, cadence {{.Cadence}}", "Cadence", n("Cadence"))
	case "recency":
		return tn(ctx, "last touch {{.Count}} days ago, cadence {{.Cadence}}", c("Days"), "Cadence", n("Cadence"))
	case "frequency":
		expected := n("Expected")
		if l.Args["About"] == 1 {
			expected = tr(ctx, "about {{.N}}", "N", expected)
		}
		return tn(ctx, "{{.Count}} interactions in the last 180 days, {{.Expected}} expected", c("Recent"), "Expected", expected)
	case "reciprocity":
		return tr(ctx, "{{.Inbound}} of {{.Recent}} inbound", "Inbound", n("Inbound"), "Recent", n("Recent"))
	case "reciprocity_none":
		return tr(ctx, "none of {{.Recent}} inbound: they never reached out", "Recent", n("Recent"))
	case "sentiment":
		return tr(ctx, "{{.Positive}} positive, {{.Negative}} negative of {{.Recent}}", "Positive", n("Positive"), "Negative", n("Negative"), "Recent", n("Recent"))
	case "pitch_replied":
		return tn(ctx, "pitched {{.Count}} times in 90 days, replied", c("Pitches"))
	case "pitch_once":
		return tr(ctx, "pitched once in 90 days, no reply yet")
	case "pitch_no_reply":
		return tn(ctx, "pitched {{.Count}} times in 90 days, no reply", c("Pitches"))
	case "reach":
		return tr(ctx, "reach {{.Reach}}", "Reach", n("Reach"))
	case "posts":
		return tn(ctx, "posted {{.Count}} times this month", c("Posts"))
	}
	return l.Text
}
