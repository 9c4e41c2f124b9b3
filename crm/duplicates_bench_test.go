package crm

import (
	"fmt"
	"strings"
	"testing"
)

// transliterateEach is transliterate as it was: a strings.Replacer made on
// every call, which builds its lookup table on first use.
func transliterateEach(s string) string {
	return strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "Ä", "Ae", "Ö", "Oe", "Ü", "Ue", "ß", "ss").Replace(s)
}

// BenchmarkNameKeys is the part of the duplicate scan and of the form's
// check that worked out each compared person's name keys: with a replacer
// made per call (before) and the one built once (after), in the same run.
func BenchmarkNameKeys(b *testing.B) {
	names := make([]string, 1000)
	for i := range names {
		names[i] = fmt.Sprintf("Müller-Lüdenscheidt %d", i)
	}
	b.Run("replacer-per-call", func(b *testing.B) {
		for b.Loop() {
			for _, n := range names {
				_ = transliterateEach(n)
			}
		}
	})
	b.Run("replacer-once", func(b *testing.B) {
		for b.Loop() {
			for _, n := range names {
				_ = transliterate(n)
			}
		}
	})
}
