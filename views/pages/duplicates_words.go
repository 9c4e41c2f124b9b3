package pages

import (
	"context"
	"strings"

	"github.com/rapport-crm/rapport/views/components"
)

// evidenceText says why two contacts look alike in the locale's words; crm
// says it in English for the audit trail (crm.ScorePair).
func evidenceText(ctx context.Context, e string) string {
	switch e {
	case "same name", "first and last name swapped", "names sound alike (Kölner Phonetik)", "same outlet":
		return tr(ctx, e)
	}
	if v, ok := strings.CutPrefix(e, "same e-mail "); ok {
		return tr(ctx, "same e-mail {{.Value}}", "Value", v)
	}
	if v, ok := strings.CutPrefix(e, "same phone "); ok {
		return tr(ctx, "same phone {{.Value}}", "Value", v)
	}
	if v, ok := strings.CutPrefix(e, "same "); ok {
		if platform, handle, ok := strings.Cut(v, " channel "); ok {
			return tr(ctx, "same {{.Platform}} channel {{.Value}}", "Platform", components.Label(ctx, platform), "Value", handle)
		}
	}
	return e
}

// evidenceList is a pair's evidence, joined.
func evidenceList(ctx context.Context, es []string) string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = evidenceText(ctx, e)
	}
	return strings.Join(out, "; ")
}
