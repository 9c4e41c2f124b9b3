package importing

import (
	"strings"

	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/locale"
)

// Excel (Deutsch) is Rapport's export in German: the same columns with
// German headers, and German words for the codes of kind, stage, lawful
// basis and consent (crm/export). The import reads both back.

// rapportExportDE is Rapport's export with German headers.
var rapportExportDE = func() *Layout {
	de := locale.Get(locale.German)
	pairs := make([]string, len(rapportColumns))
	for i := 0; i+1 < len(rapportColumns); i += 2 {
		pairs[i], pairs[i+1] = de.T(rapportColumns[i]), rapportColumns[i+1]
	}
	skipped := make([]string, len(rapportSkipped))
	for i, h := range rapportSkipped {
		skipped[i] = de.T(h)
	}
	return &Layout{
		Key: "rapport-de", Name: "Rapport export (Excel, Deutsch)",
		signature: []string{headerKey(de.T("Rapport ID")), headerKey(de.T("First name")), headerKey(de.T("Last name"))},
		columns:   cols(pairs...),
		skip:      set(skipped...),
	}
}()

// enumWords are, per field, the words of each code in every locale
// (lower case) and the codes themselves.
var enumWords = func() map[string]map[string]string {
	valid := map[string]func(string) bool{
		"kind":          func(c string) bool { return contact.KindValidator(contact.Kind(c)) == nil },
		"stage":         func(c string) bool { return contact.StageValidator(contact.Stage(c)) == nil },
		"lawful_basis":  func(c string) bool { return contact.LawfulBasisValidator(contact.LawfulBasis(c)) == nil },
		"consent_state": func(c string) bool { return contact.ConsentStateValidator(contact.ConsentState(c)) == nil },
	}
	out := map[string]map[string]string{}
	for field, ok := range valid {
		words := map[string]string{}
		for code := range locale.EnumLabels() {
			if code == "" || !ok(code) {
				continue
			}
			for _, l := range []*locale.Locale{locale.Get(locale.English), locale.Get(locale.German)} {
				words[strings.ToLower(l.Label(code))] = code
			}
		}
		for code := range locale.EnumLabels() { // a code is its own word, and wins
			if code != "" && ok(code) {
				words[code] = code
			}
		}
		out[field] = words
	}
	return out
}()

// enumCode is the code of v for field: a code as it is, or the word a
// locale uses for it ("Berechtigtes Interesse" → legitimate_interest).
// Anything else is passed on in lower case for the checks to reject.
func enumCode(field, v string) string {
	low := strings.ToLower(strings.TrimSpace(v))
	if c, ok := enumWords[field][low]; ok {
		return c
	}
	return low
}
