// Package sortkey computes the keys that names sort by, in the German
// dictionary order of DIN 5007-1: ä sorts as a, ö as o, ü as u, ß as ss,
// other diacritics are dropped and case does not count. The keys are
// compared bytewise (PostgreSQL COLLATE "C", SQLite BINARY, bleve keyword
// terms), so the database lists, exports and the search index all order
// names alike whatever the database's own collation is.
package sortkey

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Sep joins the last and first name's keys in Name. It sorts before any
// byte a key holds (keys hold no control characters), so comparing joined
// keys compares (last, first) as a pair.
const Sep = "\x01"

// special are the letters that NFD does not decompose into a base letter
// and marks, spelled the way a German dictionary files them.
var special = map[rune]string{'ß': "ss", 'ẞ': "ss", 'ł': "l", 'Ł': "l", 'ø': "o", 'Ø': "o", 'æ': "ae", 'Æ': "ae",
	'œ': "oe", 'Œ': "oe", 'đ': "d", 'Đ': "d", 'ı': "i", 'þ': "th", 'Þ': "th", 'ð': "d", 'Ð': "d"}

// Key is the sort key of one name: lower case, without diacritics, German
// letters spelled out as DIN 5007-1 files them, runs of white space as one
// space, control characters dropped, trimmed.
func Key(s string) string {
	latin1 := true // ASCII and Latin-1 letters: a table, not NFD (imports are mostly such names)
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r >= 0x100 || r == utf8.RuneError {
			latin1 = false
			break
		}
		i += n
	}
	if !latin1 {
		return key(norm.NFD.String(s), false)
	}
	return key(s, true)
}

// latinBase is, for each rune below U+0100, the first rune of its NFD
// decomposition: the rest of the decomposition are marks (Mn), which key
// drops anyway. init checks that, from the norm tables themselves.
var latinBase [0x100]rune

func init() {
	for r := rune(0); r < 0x100; r++ {
		d := []rune(norm.NFD.String(string(r)))
		for _, m := range d[1:] {
			if !unicode.Is(unicode.Mn, m) {
				panic("sortkey: Latin-1 decomposition with more than marks")
			}
		}
		latinBase[r] = d[0]
	}
}

// key builds the key of s, which is in NFD, or (latin1) holds only runes
// below U+0100, each of which stands for its NFD base letter.
func key(s string, latin1 bool) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if latin1 {
			r = latinBase[r]
		}
		switch {
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		case r < ' ' || r == 0x7f || unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r):
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		if sp, ok := special[r]; ok {
			b.WriteString(sp)
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Name is the key of a whole name, last name first: Key(last) + Sep +
// Key(first). It orders like the pair (Key(last), Key(first)).
func Name(last, first string) string { return Key(last) + Sep + Key(first) }
