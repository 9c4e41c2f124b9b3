package crm

import "strings"

// Koelner is the Kölner Phonetik (Postel 1969) of s: a code of digits that
// German names which sound alike share (Meier, Maier, Mayer, Meyer → 67;
// Müller, Mueller → 657). Letters outside A–Z and the umlauts are ignored.
func Koelner(s string) string {
	var letters []rune
	for _, r := range strings.ToUpper(s) {
		switch r {
		case 'Ä':
			r = 'A'
		case 'Ö':
			r = 'O'
		case 'Ü':
			r = 'U'
		case 'ß':
			letters = append(letters, 'S')
			continue
		}
		if r >= 'A' && r <= 'Z' {
			letters = append(letters, r)
		}
	}
	codes := make([]byte, 0, len(letters)+2)
	for i, r := range letters {
		var prev, next rune
		if i > 0 {
			prev = letters[i-1]
		}
		if i+1 < len(letters) {
			next = letters[i+1]
		}
		codes = append(codes, koelnerCode(r, prev, next, i == 0)...)
	}
	out := make([]byte, 0, len(codes))
	for i, c := range codes {
		if i > 0 && c == codes[i-1] {
			continue // a run of one code counts once
		}
		if c == '0' && len(out) > 0 {
			continue // vowels only at the start
		}
		out = append(out, c)
	}
	// A leading vowel run that collapsed into following zeros is already gone;
	// drop the "-" of H, which has no code.
	return strings.ReplaceAll(string(out), "-", "")
}

func koelnerCode(r, prev, next rune, first bool) string {
	in := func(c rune, set string) bool { return c != 0 && strings.ContainsRune(set, c) }
	switch {
	case in(r, "AEIJOUY"):
		return "0"
	case r == 'H':
		return "-"
	case r == 'B':
		return "1"
	case r == 'P':
		if next == 'H' {
			return "3"
		}
		return "1"
	case in(r, "DT"):
		if in(next, "CSZ") {
			return "8"
		}
		return "2"
	case in(r, "FVW"):
		return "3"
	case in(r, "GKQ"):
		return "4"
	case r == 'C':
		if first {
			if in(next, "AHKLOQRUX") {
				return "4"
			}
			return "8"
		}
		if in(prev, "SZ") {
			return "8"
		}
		if in(next, "AHKOQUX") {
			return "4"
		}
		return "8"
	case r == 'X':
		if in(prev, "CKQ") {
			return "8"
		}
		return "48"
	case r == 'L':
		return "5"
	case in(r, "MN"):
		return "6"
	case r == 'R':
		return "7"
	case in(r, "SZ"):
		return "8"
	}
	return ""
}
