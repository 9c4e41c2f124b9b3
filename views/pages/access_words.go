package pages

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/views/components"
)

// The access report (crm.AccessReport) is also a JSON document with stable
// English labels and codes; its page says them in the locale's words.

var (
	accessQualified = regexp.MustCompile(`^(E-mail|Phone) \((.*)\)$`)
	accessChannel   = regexp.MustCompile(`^(.*) \((\d+) followers\)$`)
	accessRedacted  = regexp.MustCompile(`^(\d+) \(redacted\)$`)
	// accessMachineOnly are the labels of stable codes for programs (an
	// audit event's message ID and arguments): the page shows their
	// rendering, the Summary, instead.
	accessMachineOnly = map[string]bool{"Message": true, "Message arguments": true}
	// accessEnumFields are the labels whose values are enum codes.
	accessEnumFields = map[string]bool{"Kind": true, "Stage": true, "Lawful basis": true, "Consent": true,
		"Type": true, "Direction": true, "Sentiment": true, "Status": true, "Format": true, "Pitch status": true}
)

// accessLabel is a field's label: "Phone (work)" → "Telefon (Arbeit)".
func accessLabel(ctx context.Context, label string) string {
	if m := accessQualified.FindStringSubmatch(label); m != nil {
		return tr(ctx, m[1]) + " (" + components.Label(ctx, m[2]) + ")"
	}
	if label == "ID" { // the same in every language, and a word go-i18n reserves
		return label
	}
	if p, ok := strings.CutPrefix(label, "Channel "); ok {
		return tr(ctx, "Channel") + " " + components.Label(ctx, p)
	}
	return tr(ctx, label)
}

// accessValue is a field's value: times, yes and no, enum codes, counts.
func accessValue(ctx context.Context, label, v string) string {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return components.DateTime(ctx, t)
	}
	switch {
	case v == "true":
		return tr(ctx, "yes")
	case v == "false":
		return tr(ctx, "no")
	case accessEnumFields[label]:
		return components.Label(ctx, v)
	case label == "Decision":
		code, rest, _ := strings.Cut(v, " ")
		return strings.TrimSpace(components.Label(ctx, code) + " " + rest)
	}
	if m := accessChannel.FindStringSubmatch(v); m != nil {
		n, _ := strconv.Atoi(m[2])
		return m[1] + " (" + tn(ctx, "{{.Count}} followers", n) + ")"
	}
	if m := accessRedacted.FindStringSubmatch(v); m != nil {
		return tr(ctx, "{{.N}} (redacted)", "N", m[1])
	}
	return v
}
