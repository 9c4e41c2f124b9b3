package importing

import (
	"regexp"
)

// Layout is the header set of an export that PR teams bring (Outlook,
// Google Contacts, LinkedIn, Mailchimp, listmonk, HubSpot, Rapport's own):
// recognised by a few columns it always has, it maps every column that
// carries data, including those whose names would mislead the generic guess
// (Outlook's "Title" is the salutation, not the job title).
type Layout struct {
	Key, Name string
	signature []string          // header keys (headerKey) that must all be present
	columns   map[string]string // header key → field key
	patterns  []layoutPattern   // numbered columns ("E-mail 2 - Value")
	skip      map[string]bool   // columns that hold nothing Rapport keeps (types, defaults, tracking)
	skipRE    []*regexp.Regexp
}

type layoutPattern struct {
	re    *regexp.Regexp
	field string
}

// Field of the column named header in this layout: ("", false) when the
// layout does not know it.
func (l *Layout) field(header string) (string, bool) {
	k := headerKey(header)
	if f, ok := l.columns[k]; ok {
		return f, true
	}
	for _, p := range l.patterns {
		if p.re.MatchString(k) {
			return p.field, true
		}
	}
	return "", false
}

// Skipped reports whether the layout knows column header as one that holds
// nothing Rapport keeps (an e-mail's type, Outlook's "Priority", Mailchimp's
// opt-in IP): it is left out on purpose and not counted as lost.
func (l *Layout) Skipped(header string) bool {
	if l == nil {
		return false
	}
	k := headerKey(header)
	if l.skip[k] {
		return true
	}
	for _, re := range l.skipRE {
		if re.MatchString(k) {
			return true
		}
	}
	return false
}

// DetectLayout returns the known layout whose signature columns header
// has, or nil.
func DetectLayout(header []string) *Layout {
	have := make(map[string]bool, len(header))
	for _, h := range header {
		have[headerKey(h)] = true
	}
	for _, l := range Layouts {
		all := true
		for _, s := range l.signature {
			if !have[s] {
				all = false
				break
			}
		}
		if all {
			return l
		}
	}
	return nil
}

func set(keys ...string) map[string]bool {
	m := make(map[string]bool, len(keys))
	for _, k := range keys {
		m[headerKey(k)] = true
	}
	return m
}

func cols(pairs ...string) map[string]string {
	m := make(map[string]string, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		m[headerKey(pairs[i])] = pairs[i+1]
	}
	return m
}

func pat(re, field string) layoutPattern {
	return layoutPattern{re: regexp.MustCompile(re), field: field}
}

// Layouts are the known exports, most specific first. Column names follow
// the vendors' public documentation of their export files; the sample files
// in testdata/layouts are written from it.
var Layouts = []*Layout{outlookEN, outlookDE, googleContacts, googleContactsNew, linkedIn, mailchimp, listmonk, hubSpot, rapportExport, rapportExportDE}
