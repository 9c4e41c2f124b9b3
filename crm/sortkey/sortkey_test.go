package sortkey

import (
	"slices"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"Bäumer": "baumer", "Köhler": "kohler", "Krämer": "kramer", "Strauß": "strauss", "ÜBEL": "ubel",
		"  van  der\tBerg ": "van der berg", "Łukasz": "lukasz", "Øster": "oster", "Éloïse": "eloise",
		"Çelik": "celik", "Nguyễn": "nguyen", "O'Brien": "o'brien", "a\x00b": "ab", "": "",
	} {
		if got := Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestOrder is DIN 5007-1: umlauts file with their base letter, ß as ss,
// case is blind.
func TestOrder(t *testing.T) {
	names := [][2]string{{"Bianchi", "Anna"}, {"Bäumer", "Jan"}, {"Krämer", "Eva"}, {"Köhler", "Uwe"},
		{"Kohl", "Otto"}, {"Strauss", "B"}, {"Straub", "C"}, {"Strauß", "A"}, {"bauer", "z"}, {"Van", "Zoe"}, {"van der Berg", "A"}}
	want := []string{"bauer", "Bäumer", "Bianchi", "Kohl", "Köhler", "Krämer", "Straub", "Strauß", "Strauss", "Van", "van der Berg"}
	slices.SortStableFunc(names, func(a, b [2]string) int {
		ka, kb := Name(a[0], a[1]), Name(b[0], b[1])
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
	var got []string
	for _, n := range names {
		got = append(got, n[0])
	}
	if !slices.Equal(got, want) {
		t.Errorf("order = %q\nwant    %q", got, want)
	}
}

// TestLatin1FastPath: the table for ASCII and Latin-1 gives the key NFD
// gives, for every such rune alone and among others.
func TestLatin1FastPath(t *testing.T) {
	for r := rune(0); r < 0x100; r++ {
		for _, s := range []string{string(r), "Ab" + string(r) + " Ö", " " + string(r) + string(r) + "ß "} {
			if got, want := Key(s), key(norm.NFD.String(s), false); got != want {
				t.Errorf("Key(%q) = %q, NFD gives %q", s, got, want)
			}
		}
	}
	for _, s := range []string{"Müller-12", "Jürgen", "Strauß", "Ærø", "Þór Ðá", "a\u00a0b", "x\u00adY", "\xff\xfe", "Ł\u00e4"} {
		if got, want := Key(s), key(norm.NFD.String(s), false); got != want {
			t.Errorf("Key(%q) = %q, NFD gives %q", s, got, want)
		}
	}
}
