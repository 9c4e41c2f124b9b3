package pages

import (
	"context"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/locale"
	"github.com/rapport-crm/rapport/views/components"
)

// The audit trail stores codes (actions, record kinds, field names, enum
// values); the page says them in the locale's words. A code without a word
// here is shown as it is.
var (
	auditActionWords = map[string]string{
		"create": "created", "update": "changed", "delete": "deleted", "login": "signed in",
		"login_failed": "sign-in failed", "logout": "signed out", "role_change": "role changed",
		"deactivate": "deactivated", "password_change": "password changed", "export": "exported",
		"import": "imported", "revert": "import reverted", "merge": "merged", "merge_undo": "merge undone",
		"retention_sweep": "retention sweep", "retention_keep": "kept after review", "decide": "decided", "revoke": "revoked",
	}
	auditEntityWords = map[string]string{
		"contact": "Contact", "outlet": "Outlet", "interaction": "Interaction", "user": "User", "export": "Export",
		"segment": "Segment", "client": "Client", "campaign": "Campaign", "coverage": "Coverage", "import": "Import",
		"nomination": "Nomination", "task": "Follow-up", "stage_settings": "Stages", "api_token": "API token",
		"privacy_request": "Privacy request", "retention": "Retention review", "saved_view": "Saved view",
		"channel_figures": "Channel figures", "import_mapping": "Saved mapping",
	}
	// auditEnumFields are the fields whose values are enum codes.
	auditEnumFields = map[string]bool{"kind": true, "stage": true, "lawful_basis": true, "consent_state": true,
		"type": true, "direction": true, "sentiment": true, "status": true, "role": true}
)

func auditAction(ctx context.Context, a string) string { return wordOr(ctx, auditActionWords, a) }

func auditEntity(ctx context.Context, e string) string { return wordOr(ctx, auditEntityWords, e) }

func auditField(ctx context.Context, f string) string { return crm.AuditField(locale.From(ctx), f) }

// auditHidden are changes kept for the software, not for reading: a
// merge's undo snapshot (its readable part is removed_contact).
var auditHidden = map[string]bool{"undo_snapshot": true}

// auditChangeKeys are the changes of an event the page shows, sorted.
func auditChangeKeys(ch map[string][2]any) []string {
	keys := make([]string, 0, len(ch))
	for _, k := range sortedKeys(ch) {
		if !auditHidden[k] {
			keys = append(keys, k)
		}
	}
	return keys
}

// auditValue is a changed value as the page shows it: enum codes in words,
// a recorded contact (a merge's removed one) field by field.
func auditValue(ctx context.Context, field string, v any) string {
	if m, ok := v.(map[string]any); ok {
		parts := make([]string, 0, len(m))
		for _, k := range sortedKeys(m) {
			if isEmptyValue(m[k]) {
				continue
			}
			parts = append(parts, auditField(ctx, k)+": "+auditValue(ctx, k, m[k]))
		}
		return strings.Join(parts, "; ")
	}
	switch x := v.(type) {
	case bool: // done, shared: yes or no
		if x {
			return tr(ctx, "Yes")
		}
		return tr(ctx, "No")
	case []any: // a list of contacts' ids: how many
		if field == "contacts" && len(x) > 0 {
			return tn(ctx, "{{.Count}} contacts", len(x))
		}
	}
	s, ok := v.(string)
	switch {
	case !ok || s == "":
	case auditEnumFields[field]:
		return components.Label(ctx, s)
	default:
		if t, err := time.Parse("2006-01-02 15:04", s); err == nil {
			return components.DateTime(ctx, t)
		}
		if t, err := time.Parse(time.DateOnly, s); err == nil {
			return components.Date(ctx, t)
		}
	}
	return show(v)
}

// auditOptions are codes as options of a filter, in the locale's words.
func auditOptions(ctx context.Context, words map[string]string, codes []string, anyLabel string) []components.Option {
	out := []components.Option{components.Msg("", anyLabel)}
	for _, c := range codes {
		out = append(out, components.Option{Value: c, Label: wordOr(ctx, words, c)})
	}
	return out
}

func wordOr(ctx context.Context, words map[string]string, code string) string {
	if w, ok := words[code]; ok {
		return tr(ctx, w)
	}
	return code
}

// isEmptyValue reports a value a recorded contact leaves out: nothing, "",
// false, 0 and empty lists.
func isEmptyValue(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	case float64:
		return x == 0
	case []any:
		return len(x) == 0
	}
	return false
}
