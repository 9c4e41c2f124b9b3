package export

import "strings"

// Neutralize makes a cell safe from spreadsheet formula injection (OWASP's
// CSV injection guidance): a value a spreadsheet would evaluate — starting
// with =, +, -, @, tab, carriage return or line feed — gets a leading
// apostrophe, which Excel and LibreOffice hide and treat as "text". A phone
// number like +49 30 123 thus shows as +49 30 123 and never runs. A value
// that itself starts with an apostrophe gets one more, so that Deneutralize,
// which Rapport's import applies, gives back exactly the original.
func Neutralize(s string) string {
	if s != "" && guardedByte[s[0]] {
		return "'" + s
	}
	return s
}

// needsNeutralizing says whether Neutralize would prefix v.
func needsNeutralizing(v []byte) bool {
	return len(v) > 0 && guardedByte[v[0]]
}

// guardedByte marks the bytes of guarded, for a lookup without a search.
var guardedByte = func() (t [256]bool) {
	for i := range len(guarded) {
		t[guarded[i]] = true
	}
	return t
}()

// guarded are the first characters Neutralize prefixes.
const guarded = "=+-@\t\r\n'"

// Deneutralize undoes Neutralize: an apostrophe followed by a guarded
// character is dropped; anything else is left alone.
func Deneutralize(s string) string {
	if len(s) >= 2 && s[0] == '\'' && strings.IndexByte(guarded, s[1]) >= 0 {
		return s[1:]
	}
	return s
}
