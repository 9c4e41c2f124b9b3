package crm

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/locale"
)

// AuditMsg is the sentence of an audit event: a catalogue message ID (its
// English text with {{.Placeholders}}) and its arguments, stored
// unformatted. Only the constructors of audit_messages.go make one, so no
// caller writes English text into the trail; pages render it in the
// reader's language (AuditText), and the English rendering is stored as the
// event's summary for operators' SQL and webhooks.
type AuditMsg struct {
	id   string
	args map[string]string
}

// ID is the message's catalogue ID ("" for an event without a sentence).
func (m AuditMsg) ID() string { return m.id }

// Args are the message's arguments as stored.
func (m AuditMsg) Args() map[string]string { return m.args }

// withFields is m naming the changed fields of ch too ("Fields"): the
// reason of a contact's update, followed by what it changed.
func (m AuditMsg) withFields(ch Changes) AuditMsg {
	if m.id == "" {
		return FieldsChanged(ch)
	}
	return m.withCodes(fieldCodes(ch))
}

// withCodes is withFields with the changed fields' codes (fieldCodes).
func (m AuditMsg) withCodes(codes string) AuditMsg {
	args := make(map[string]string, len(m.args)+1)
	for k, v := range m.args {
		args[k] = v
	}
	args["Fields"] = codes
	return AuditMsg{id: m.id, args: args}
}

// same reports whether m and o are the same sentence: one message with the
// same arguments.
func (m AuditMsg) same(o AuditMsg) bool { return m.id == o.id && maps.Equal(m.args, o.args) }

// ArgKind says how an argument of an audit message is shown.
type ArgKind byte

// The kinds of arguments.
const (
	ArgText   ArgKind = iota // as stored: a name, a file name, a title
	ArgNumber                // an integer with the locale's separators; "Count" also picks the plural form
	ArgID                    // a record's number: digits as stored
	ArgTime                  // RFC 3339: the locale's date and time
	ArgDate                  // RFC 3339: the locale's date
	ArgEnum                  // an enum code: the locale's word
	ArgFields                // field codes joined by ",": the locale's field words
	// ArgBulk is a bulk action's stored English description: the locale's
	// words of the message's "Action" and "Arg" (BulkWords), as stored for
	// an event written before those (or an action without words).
	ArgBulk
	// ArgPolicies is retention policies with counts, "key n; key n": each
	// policy's rule in the locale's words with its count (retentionWords).
	ArgPolicies
)

// auditTemplate is a registered message: its ID and its arguments' kinds.
type auditTemplate struct {
	id    string
	names []string
	kinds map[string]ArgKind
}

// auditTemplates are the messages of audit_messages.go by ID (filled at
// package init, read only afterwards): the renderer's kinds and the
// catalogue test's list.
var auditTemplates = map[string]*auditTemplate{}

// arg is one argument's name and kind, for auditMessage.
type arg struct {
	name string
	kind ArgKind
}

// auditMessage registers the message id with its arguments, in the order
// its constructor passes the values to of.
func auditMessage(id string, args ...arg) *auditTemplate {
	if _, dup := auditTemplates[id]; dup {
		panic("crm: audit message registered twice: " + id)
	}
	t := &auditTemplate{id: id, kinds: map[string]ArgKind{}}
	for _, a := range args {
		t.names = append(t.names, a.name)
		t.kinds[a.name] = a.kind
	}
	auditTemplates[id] = t
	return t
}

// of is the message with vals (in the order of the template's arguments):
// strings as they are, ints as digits, times as RFC 3339 UTC, lists and
// changes as sorted codes joined by ",".
func (t *auditTemplate) of(vals ...any) AuditMsg {
	args := make(map[string]string, len(vals))
	for i, v := range vals {
		if i >= len(t.names) {
			break
		}
		var s string
		switch x := v.(type) {
		case string:
			s = x
		case int:
			s = strconv.Itoa(x)
		case time.Time:
			s = x.UTC().Format(time.RFC3339)
		case []string:
			s = strings.Join(slices.Sorted(slices.Values(x)), ",")
		case Changes:
			s = fieldCodes(x)
		default:
			s = fmt.Sprint(x)
		}
		args[t.names[i]] = s
	}
	return AuditMsg{id: t.id, args: args}
}

func fieldCodes(ch Changes) string {
	return strings.Join(slices.Sorted(mapKeys(ch)), ",")
}

// AuditMessageIDs are the IDs of every audit message the code writes (for
// the catalogue test).
func AuditMessageIDs() []string { return slices.Sorted(mapKeys(auditTemplates)) }

// AuditMessagePlural reports whether message id has a Count argument (its
// catalogue entries need plural forms).
func AuditMessagePlural(id string) bool {
	t := auditTemplates[id]
	return t != nil && t.kinds["Count"] == ArgNumber
}

// AuditText is event e's sentence in ctx's locale: its message rendered
// with its arguments formatted for the locale. An event written before
// events had messages shows its stored English summary, translated when the
// catalogue holds that text as a message (the constant summaries), else as
// stored. The audit page, a contact's history, the merge list and the
// access report all say an event through this function.
func AuditText(ctx context.Context, e *ent.AuditEvent) string {
	return auditText(locale.From(ctx), e.Message, e.MessageArgs, e.Summary)
}

func auditText(l *locale.Locale, id string, args map[string]string, summary string) string {
	if id == "" {
		if l.Has(summary) {
			return l.T(summary)
		}
		return summary
	}
	return renderAudit(l, id, args, false)
}

// renderAudit is message id with args in l's words and formats. An
// argument the template does not know (or all of them, for a message the
// code no longer writes) shows as stored; an erased one as the erasure's
// mark. Fields that the message does not place follow after a colon.
//
// codes keeps every argument as stored, only picking the plural form: the
// English summary, which says codes (field and enum codes, digits) as the
// summaries before messages did.
func renderAudit(l *locale.Locale, id string, args map[string]string, codes bool) string {
	t := auditTemplates[id]
	kv := make([]any, 0, 2*len(args))
	count, plural := 0, false
	for name, v := range args {
		kind := ArgText
		if t != nil {
			kind = t.kinds[name]
		}
		s := v
		if v == erasedValue || (codes && kind != ArgFields) {
			kind = ArgText // as stored
		}
		if codes && name == "Count" {
			count, plural = atoi(v)
		}
		switch kind {
		case ArgNumber:
			if n, err := strconv.Atoi(v); err == nil {
				s = l.Number(int64(n))
				if name == "Count" {
					count, plural = n, true
				}
			}
		case ArgTime, ArgDate:
			if at, err := time.Parse(time.RFC3339, v); err == nil {
				s = l.DateTime(at)
				if kind == ArgDate {
					s = l.Date(at)
				}
			}
		case ArgEnum:
			s = l.Label(v)
		case ArgFields:
			s = auditFieldList(l, v, codes)
		case ArgPolicies:
			s = retentionWords(l, v)
		case ArgBulk:
			if w, ok := BulkWords(l, args["Action"], args["Arg"], false); ok {
				s = w
			}
		}
		kv = append(kv, name, s)
	}
	var out string
	if plural {
		out = l.N(id, count, kv...)
	} else {
		out = l.T(id, kv...)
	}
	if f, ok := args["Fields"]; ok && f != "" && !strings.Contains(id, "{{.Fields}}") {
		out += ": " + auditFieldList(l, f, codes)
	}
	return out
}

// auditEnglish is m in English: the event's stored summary.
func auditEnglish(m AuditMsg) string {
	if m.id == "" {
		return ""
	}
	return renderAudit(locale.Get(locale.English), m.id, m.args, true)
}

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// auditFieldList is field codes joined by "," in l's words (or as codes),
// joined by ", ".
func auditFieldList(l *locale.Locale, list string, codes bool) string {
	if list == erasedValue {
		return list
	}
	parts := strings.Split(list, ",")
	for i, c := range parts {
		if !codes {
			parts[i] = AuditField(l, c)
		}
	}
	return strings.Join(parts, ", ")
}
