package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/lang/de"
	"github.com/blevesearch/bleve/v2/registry"
	"golang.org/x/text/unicode/norm"
)

// Names of Rapport's token filters and analyzers. The filters are registered
// with bleve when this package loads, so an index on disk (whose mapping
// names them) opens in any process that imports it.
const (
	FoldFilter       = "rapport_fold"       // umlauts, accents, ß, and the ae/oe/ue spellings
	FeminineFilter   = "rapport_feminine"   // Journalistin, Journalistinnen → journalist
	DecompoundFilter = "rapport_decompound" // Gesundheitsblogger → + gesundheit, blogger

	NameAnalyzer  = "rapport_name"  // names, places, outlets, topics: folded, never stemmed
	GermanProse   = "rapport_de"    // German prose: stop words, folding, feminine forms, compounds, light stemming
	EnglishProse  = "rapport_en"    // bleve's English analyzer (possessives, stop words, Porter stemming) on WordTokenizer
	AddressTokens = "rapport_email" // e-mail addresses: lower case, split at @ only
)

func init() {
	for name, f := range map[string]analysis.TokenFilter{
		FoldFilter: foldFilter{}, FeminineFilter: feminineFilter{}, DecompoundFilter: decompoundFilter{},
	} {
		if err := registry.RegisterTokenFilter(name, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return f, nil
		}); err != nil {
			panic(err)
		}
	}
}

// foldFilter makes spellings of one name meet: it strips accents (é → e,
// ł → l), turns ß into ss, and folds German umlauts and their two-letter
// spellings alike, so München, Muenchen and Munchen all become "munchen" and
// Müller, Mueller and Muller "muller". It expects lower-case input.
type foldFilter struct{}

// Filter implements analysis.TokenFilter.
func (foldFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if folded, ascii := foldASCII(t.Term); ascii {
			t.Term = folded // most words: no copy at all
		} else if folded, ok := foldGerman(t.Term); ok {
			t.Term = folded // German words with ä, ö, ü or ß
		} else {
			t.Term = []byte(Fold(string(t.Term)))
		}
	}
	return in
}

// foldGerman is Fold of a word whose only letters beyond ASCII are ä, ö,
// ü and ß (ok false otherwise), without Fold's decomposition and copies:
// ä, ö and ü lose their dots and ß becomes ss, as Fold's accent stripping
// does, and what is left is ASCII, which foldASCII folds.
func foldGerman(w []byte) (folded []byte, ok bool) {
	out := make([]byte, 0, len(w)+2)
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c < utf8.RuneSelf {
			out = append(out, c)
			continue
		}
		if c != 0xc3 || i+1 == len(w) {
			return nil, false
		}
		i++
		switch w[i] {
		case 0xa4: // ä
			out = append(out, 'a')
		case 0xb6: // ö
			out = append(out, 'o')
		case 0xbc: // ü
			out = append(out, 'u')
		case 0x9f: // ß
			out = append(out, 's', 's')
		default:
			return nil, false
		}
	}
	folded, _ = foldASCII(out)
	return folded, true
}

// foldASCII is Fold of a word that is all ASCII (ascii false otherwise):
// then the only change is bleve's German normalisation dropping the e of
// ae, oe and ue, which it does exactly as below. The result is w itself
// when nothing changes, else a new slice.
func foldASCII(w []byte) (folded []byte, ascii bool) {
	const (
		none     = iota // state N of bleve's normalize
		umlaut          // U: after a, o, or a u that starts a vowel run
		vowelRun        // V
	)
	drop := false
	state := none
	for _, c := range w {
		if c >= utf8.RuneSelf {
			return nil, false
		}
		switch c {
		case 'a', 'o':
			state = umlaut
		case 'u':
			if state == none {
				state = umlaut
			} else {
				state = vowelRun
			}
		case 'e':
			drop = drop || state == umlaut
			state = vowelRun
		case 'i', 'q', 'y':
			state = vowelRun
		default:
			state = none
		}
	}
	if !drop {
		return w, true
	}
	out := make([]byte, 0, len(w))
	state = none
	for _, c := range w {
		switch c {
		case 'a', 'o':
			state = umlaut
		case 'u':
			if state == none {
				state = umlaut
			} else {
				state = vowelRun
			}
		case 'e':
			if state == umlaut {
				state = vowelRun
				continue
			}
			state = vowelRun
		case 'i', 'q', 'y':
			state = vowelRun
		default:
			state = none
		}
		out = append(out, c)
	}
	return out, true
}

var foldSpecial = strings.NewReplacer("ß", "ss", "ł", "l", "ø", "o", "æ", "ae", "œ", "oe", "đ", "d", "ı", "i", "þ", "th")

var germanNormalize = de.NewGermanNormalizeFilter()

// Fold is the folding of foldFilter on one lower-case word. Queries use it
// for prefixes, which bleve does not analyse.
func Fold(s string) string {
	if f, ascii := foldASCII([]byte(s)); ascii {
		return string(f)
	}
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		s = foldSpecial.Replace(s)
		var b strings.Builder
		for _, r := range norm.NFD.String(s) {
			if !unicode.Is(unicode.Mn, r) {
				b.WriteRune(r)
			}
		}
		s = b.String()
	}
	// bleve's German normalisation drops the e of ae, oe and ue (after
	// the umlauts are gone, so only the two-letter spellings are left).
	ts := germanNormalize.Filter(analysis.TokenStream{{Term: []byte(s)}})
	return string(ts[0].Term)
}

// professionSuffixes end masculine nouns for people whose feminine form adds
// -in (plural -innen): Redakteur·in, Journalist·in, Autor·in, Fotograf·in,
// Biolog·in, Kandidat·in. Words are folded already (Ärztin → arztin).
var professionSuffixes = []string{"er", "eur", "ist", "yst", "ant", "ent", "or", "graf", "log", "ert", "ekt", "at", "uber", "arzt"}

// feminineKeep are words that end like a feminine form but are none.
var feminineKeep = map[string]bool{"valentin": true, "constantin": true, "konstantin": true, "platin": true,
	"gewinnen": true, "beginnen": true, "innen": true, "latin": true, "satin": true, "gratin": true}

// feminineFilter maps German feminine forms of professions, singular and
// plural, to the masculine stem: Journalistin and Journalistinnen become
// journalist, Bloggerin blogger, Redakteurinnen redakteur. It runs after
// folding and before stemming, so Journalisten (→ journalist) meets them too.
// It strips -in/-innen only when what is left is at least four letters and
// ends in a known profession suffix, so Berlin, Magazin, Termin or Medizin
// are left alone.
type feminineFilter struct{}

// Filter implements analysis.TokenFilter.
func (feminineFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	for _, t := range in {
		if s, ok := masculine(string(t.Term)); ok {
			t.Term = []byte(s)
		}
	}
	return in
}

// masculine returns the masculine form of a feminine profession noun.
func masculine(w string) (string, bool) {
	if feminineKeep[w] {
		return w, false
	}
	var stem string
	switch {
	case strings.HasSuffix(w, "innen"):
		stem = w[:len(w)-5]
	case strings.HasSuffix(w, "in"):
		stem = w[:len(w)-2]
	default:
		return w, false
	}
	if utf8.RuneCountInString(stem) < 4 {
		return w, false
	}
	for _, suf := range professionSuffixes {
		if strings.HasSuffix(stem, suf) {
			return stem, true
		}
	}
	return w, false
}

// compoundHeads are nouns for people that German glues topics onto:
// Gesundheitsblogger, Technikjournalist, Moderedakteur. Folded and masculine.
var compoundHeads = []string{"blogger", "journalist", "redakteur", "reporter", "korrespondent", "kolumnist",
	"autor", "youtuber", "podcaster", "influencer", "creator", "streamer", "analyst", "experte", "expert",
	"fotograf", "moderator", "botschafter", "manager", "leiter", "berater", "sprecher", "einkaufer", "volontar",
	"herausgeber", "enthusiast", "agentur", "magazin", "zeitung", "portal", "podcast", "blog", "newsletter"}

// decompoundFilter splits a compound that ends in a known head noun into its
// parts, keeping the whole word: gesundheitsblogger also yields gesundheit
// and blogger at the same position, so "Bloggerin" finds the
// Gesundheitsbloggerin and "Gesundheit" finds her too. The linking s of
// -heits, -keits, -ungs, -schafts, -ions and -tats is dropped.
type decompoundFilter struct{}

// Filter implements analysis.TokenFilter.
func (decompoundFilter) Filter(in analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	for i, t := range in {
		head, mod := splitCompound(string(t.Term))
		if head == "" {
			if out != nil {
				out = append(out, t)
			}
			continue
		}
		if out == nil {
			out = append(make(analysis.TokenStream, 0, len(in)+2), in[:i]...)
		}
		out = append(out, t)
		for _, part := range []string{mod, head} {
			p := *t
			p.Term = []byte(part)
			out = append(out, &p)
		}
	}
	if out == nil {
		return in
	}
	return out
}

// splitCompound returns the head and modifier of a compound word, or "", "".
func splitCompound(w string) (head, mod string) {
	for _, h := range compoundHeads {
		if len(w) >= len(h)+3 && strings.HasSuffix(w, h) {
			mod = w[:len(w)-len(h)]
			for _, link := range []string{"heits", "keits", "ungs", "schafts", "ions", "tats"} {
				if strings.HasSuffix(mod, link) {
					mod = mod[:len(mod)-1]
					break
				}
			}
			if utf8.RuneCountInString(mod) < 3 {
				return "", ""
			}
			return h, mod
		}
	}
	return "", ""
}
