package crm

import (
	"strings"

	"github.com/rapport-crm/rapport/locale"
)

// bulkWords are the catalogue IDs of the built-in bulk actions' words,
// {{.Name}} their argument (see BulkWords).
var bulkWords = map[string]string{
	"add_tag":          "add tag “{{.Name}}”",
	"remove_tag":       "remove tag “{{.Name}}”",
	"add_topic":        "add topic “{{.Name}}”",
	"remove_topic":     "remove topic “{{.Name}}”",
	"set_owner":        "set owner to “{{.Name}}”",
	"set_region":       "set region to “{{.Name}}”",
	"set_stage":        "set stage to “{{.Name}}”",
	"set_lawful_basis": "set lawful basis to “{{.Name}}”",
}

// BulkWords says bulk action `action` with its shown argument (BulkArg) in
// l's words: "Schlagwort „Presse“ hinzufügen". An enum (stage, lawful
// basis) is its word, or its code with codes (the stored English
// description). ok is false for an action without words here: a registry
// entry that says itself with its Describe.
//
// The stored description, the bulk page and the audit trail's sentence
// (ArgBulk) all say an action through it.
func BulkWords(l *locale.Locale, action, arg string, codes bool) (s string, ok bool) {
	switch action {
	case "set_do_not_contact":
		if arg == "true" {
			return l.T("mark do-not-contact"), true
		}
		return l.T("lift do-not-contact"), true
	case "set_owner":
		if arg == "" {
			return l.T("set owner to nobody"), true
		}
	case "set_stage", "set_lawful_basis":
		if !codes {
			arg = l.Label(arg)
		}
	}
	id, ok := bulkWords[action]
	if !ok {
		return "", false
	}
	return l.T(id, "Name", arg), true
}

// BulkArg is what a bulk action's words show of its value: the owner's name
// for set_owner (the value is an id; the name is read from the stored
// description, "" for nobody), else the value.
func BulkArg(action, value, description string) string {
	if action != "set_owner" {
		return value
	}
	i, j := strings.Index(description, "“"), strings.LastIndex(description, "”")
	if i < 0 || j < i {
		return ""
	}
	return description[i+len("“") : j]
}
