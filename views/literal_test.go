package views_test

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/a-h/templ/parser/v2"
	"github.com/a-h/templ/parser/v2/visitor"
)

// TestNoLiteralText fails on words written straight into a template: text
// and the attributes people read (placeholder, title, aria-label, alt) go
// through tr(ctx, "…") so that the catalogues translate them. The crawler in
// handlers sees only the pages and branches the demo reaches; this sees
// every branch.
func TestNoLiteralText(t *testing.T) {
	files, err := filepath.Glob("*/*.templ")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	for _, f := range files {
		tf, err := parser.Parse(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		v := visitor.New()
		v.Text = func(n *parser.Text) error {
			if s := n.Value; words.MatchString(s) && !allowed[strings.Trim(s, " \t\n·–-")] {
				t.Errorf("%s:%d: literal text %q: use tr(ctx, …)", f, n.Range.From.Line+1, strings.TrimSpace(s))
			}
			return nil
		}
		v.ConstantAttribute = func(n *parser.ConstantAttribute) error {
			switch strings.ToLower(n.Key.String()) {
			case "placeholder", "title", "aria-label", "alt":
				if words.MatchString(n.Value) {
					t.Errorf("%s:%d: literal %s=%q: use tr(ctx, …)", f, n.Range.From.Line+1, n.Key.String(), n.Value)
				}
			}
			return nil
		}
		if err := tf.Visit(v); err != nil {
			t.Fatal(err)
		}
	}
}

// words is text with two letters in a row: a word someone reads.
var words = regexp.MustCompile(`\pL\pL`)

// allowed are literal texts that read the same in every language.
var allowed = map[string]bool{"Rapport": true}
