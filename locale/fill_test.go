package locale

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/nicksnyder/go-i18n/v2/i18n"
)

var placeholder = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// TestFillersAgreeWithGoI18n renders every message of both catalogues that
// has a filler through the filler and through go-i18n, with every
// placeholder given a value (a string and a number) and, for plural
// messages, counts 0, 1, 2 and 1234: the texts must be equal.
func TestFillersAgreeWithGoI18n(t *testing.T) {
	checked := 0
	for _, code := range []string{English, German} {
		l := locales[code]
		for id, f := range l.fill {
			data := map[string]any{}
			var kv []any
			for i, m := range placeholder.FindAllStringSubmatch(id+" "+l.plain[id], -1) {
				v := any(fmt.Sprintf("Wert%d", i))
				if i%2 == 1 {
					v = 40 + i
				}
				data[m[1]], kv = v, append(kv, m[1], v)
			}
			counts := []any{nil}
			if f.one != nil {
				counts = []any{0, 1, 2, 1234}
			}
			for _, c := range counts {
				d := map[string]any{}
				for k, v := range data {
					d[k] = v
				}
				ckv := kv
				if c != nil {
					d["Count"], ckv = c, append([]any{"Count", c}, kv...)
				}
				want, err := l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: d, PluralCount: c})
				if err != nil {
					continue // a placeholder only the translation has: not comparable this way
				}
				got, ok := f.fill(c, ckv)
				if !ok {
					continue
				}
				if got != want {
					t.Errorf("%s %q count %v: filler %q, go-i18n %q", code, id, c, got, want)
				}
				checked++
			}
		}
	}
	if checked < 100 {
		t.Fatalf("only %d renderings compared", checked)
	}
	t.Logf("%d renderings compared", checked)
}

func TestCompileFiller(t *testing.T) {
	for _, c := range []struct {
		in string
		ok bool
	}{
		{"Hallo {{.Name}}, {{.Count}} neu", true},
		{"ohne", true},
		{"{{.Name | upper}}", false},
		{"{{- .Name}}", false},
		{"{{.}}", false},
		{"offen {{.Name", false},
		{"zu }} viel", false},
	} {
		if _, ok := compileFiller(c.in); ok != c.ok {
			t.Errorf("%q: ok %v, want %v", c.in, ok, c.ok)
		}
	}
	f := &filler{other: mustParts(t, "{{.Count}} Kontakte von {{.Name}}"), one: mustParts(t, "ein Kontakt von {{.Name}}")}
	for _, c := range []struct {
		n    int
		want string
	}{{1, "ein Kontakt von Ada"}, {2, "2 Kontakte von Ada"}, {0, "0 Kontakte von Ada"}} {
		if got, _ := f.fill(c.n, []any{"Count", c.n, "Name", "Ada"}); got != c.want {
			t.Errorf("%d: %q, want %q", c.n, got, c.want)
		}
	}
	if _, ok := f.fill(nil, []any{"Name", "Ada"}); ok {
		t.Error("a plural message without a count must go to go-i18n")
	}
	if _, ok := f.fill(2, []any{"Count", 2}); ok {
		t.Error("a missing value must go to go-i18n")
	}
}

func mustParts(t *testing.T, s string) []part {
	p, ok := compileFiller(s)
	if !ok {
		t.Fatalf("%q does not compile", s)
	}
	return p
}

// BenchmarkFill is a message with two placeholders through the filler and,
// in the same run, through go-i18n as before.
func BenchmarkFill(b *testing.B) {
	l := locales[German]
	var id string
	for k, f := range l.fill {
		if len(f.other) >= 3 && f.one == nil {
			id = k
			break
		}
	}
	kv := []any{}
	for _, m := range placeholder.FindAllStringSubmatch(id, -1) {
		kv = append(kv, m[1], "Wert")
	}
	data := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		data[kv[i].(string)] = kv[i+1]
	}
	b.Run("filler", func(b *testing.B) {
		for b.Loop() {
			l.T(id, kv...)
		}
	})
	b.Run("go-i18n", func(b *testing.B) {
		for b.Loop() {
			_, _ = l.loc.Localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
		}
	})
}
