package locale

import (
	"fmt"
	"strings"
	"sync"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

// A filler is a message whose placeholders are all of the form {{.Name}},
// split once into its literal parts and names, so that translating it is a
// concatenation instead of a text/template execution (go-i18n runs one per
// call, and parses the English text anew for every message the English
// catalogue does not hold: 5 % of the busy team's CPU). Anything else in
// braces (pipelines, trimming, functions) is left to go-i18n.
type filler struct {
	other, one []part // one: the singular form, nil when the message has none
}

type part struct {
	lit, name string // name != "": the value of .name
}

// catalogueFiller is m as a filler, or nil when go-i18n must render it.
func catalogueFiller(m *i18n.Message) *filler {
	if m.Zero != "" || m.Two != "" || m.Few != "" || m.Many != "" {
		return nil
	}
	other, ok := compileFiller(m.Other)
	if !ok {
		return nil
	}
	f := &filler{other: other}
	if m.One != "" {
		if f.one, ok = compileFiller(m.One); !ok {
			return nil
		}
	}
	return f
}

// compileFiller splits s, or reports that it is not made of {{.Name}} alone.
func compileFiller(s string) ([]part, bool) {
	var out []part
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			if s != "" {
				out = append(out, part{lit: s})
			}
			return out, !strings.Contains(s, "}}")
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			return nil, false
		}
		name, ok := strings.CutPrefix(s[i+2:i+j], ".")
		if !ok || !isIdent(name) {
			return nil, false
		}
		if i > 0 {
			out = append(out, part{lit: s[:i]})
		}
		out = append(out, part{name: name})
		s = s[i+j+2:]
	}
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		ok := r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (i > 0 && r >= '0' && r <= '9')
		if !ok {
			return false
		}
	}
	return true
}

// fill renders f for count (an int for plural messages, nil otherwise) with
// the values of kv (name, value pairs). ok is false when go-i18n must decide:
// a plural message without a count, a count that is not an int, or a name
// that kv lacks (text/template would print "<no value>").
func (f *filler) fill(count any, kv []any) (string, bool) {
	parts := f.other
	if f.one != nil {
		n, isInt := count.(int)
		if !isInt {
			return "", false
		}
		if n == 1 { // CLDR "one" in English and German: the integer 1
			parts = f.one
		}
	}
	var b strings.Builder
	for _, p := range parts {
		if p.name == "" {
			b.WriteString(p.lit)
			continue
		}
		v, found := value(kv, p.name)
		if !found {
			return "", false
		}
		if s, isStr := v.(string); isStr {
			b.WriteString(s)
		} else {
			fmt.Fprint(&b, v) // as text/template prints a value
		}
	}
	return b.String(), true
}

func value(kv []any, name string) (any, bool) {
	for i := 0; i+1 < len(kv); i += 2 {
		if k, _ := kv[i].(string); k == name {
			return kv[i+1], true
		}
	}
	return nil, false
}

// englishFillers are compiled English message IDs that the English
// catalogue does not hold (the ID is the text); at most maxEnglishFillers,
// as IDs are the code's constants but nothing stops a caller passing others.
var (
	englishFillers    sync.Map // id → *filler, or nil when id is not made of {{.Name}} alone
	englishFillerSize int64
	englishFillerMu   sync.Mutex
)

const maxEnglishFillers = 10_000

func englishFiller(id string) *filler {
	if f, ok := englishFillers.Load(id); ok {
		return f.(*filler)
	}
	var f *filler
	if parts, ok := compileFiller(id); ok {
		f = &filler{other: parts}
	}
	englishFillerMu.Lock()
	defer englishFillerMu.Unlock()
	if englishFillerSize < maxEnglishFillers {
		englishFillers.Store(id, f)
		englishFillerSize++
	}
	return f
}
