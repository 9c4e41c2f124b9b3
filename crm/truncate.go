package crm

import "unicode/utf8"

// Truncate cuts s to at most n bytes, on a character boundary, and marks
// the cut with "…" (within the n bytes, when they leave room for it). It
// counts bytes because ent's MaxLen and the columns' limits do: a summary
// of 300 umlauts is 600 bytes. It is the one truncation helper; a cut never
// splits a UTF-8 sequence.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	mark := "…"
	if n < len(mark) {
		mark = ""
	}
	cut := n - len(mark)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}
