package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/locale"
)

func TestCLILocale(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"none_set_german", nil, locale.German},
		{"lang_de", map[string]string{"LANG": "de_DE.UTF-8"}, locale.German},
		{"lang_en", map[string]string{"LANG": "en_US.UTF-8"}, locale.English},
		{"lang_c", map[string]string{"LANG": "C"}, locale.English},
		{"lang_fr", map[string]string{"LANG": "fr_FR.UTF-8"}, locale.English},
		{"lc_messages_over_lang", map[string]string{"LANG": "de_DE.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, locale.English},
		{"lc_all_over_lc_messages", map[string]string{"LC_MESSAGES": "en_GB.UTF-8", "LC_ALL": "de_AT.UTF-8"}, locale.German},
		{"rapport_lang_first", map[string]string{"LC_ALL": "de_DE.UTF-8", "RAPPORT_LANG": "en"}, locale.English},
		{"rapport_lang_de", map[string]string{"LANG": "C.UTF-8", "RAPPORT_LANG": "de"}, locale.German},
		{"empty_is_unset", map[string]string{"RAPPORT_LANG": "", "LANG": "en_US.UTF-8"}, locale.English},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := cliLocale(func(k string) string { return c.env[k] }).Code; got != c.want {
				t.Errorf("%v: %s, want %s", c.env, got, c.want)
			}
		})
	}
}

// cliSources parses the command's Go files, without its tests.
func cliSources(t *testing.T) (*token.FileSet, []*ast.File) {
	t.Helper()
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, n := range names {
		if strings.HasSuffix(n, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, n, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	return fset, files
}

// TestCLIMessagesHaveGerman fails on a message of the command line without
// a German entry in locale/active.de.toml (a plural one also needs its
// English forms in active.en.toml), and on English words printed or
// returned as an error without going through tr: every string literal
// handed to fmt's printers, fmt.Errorf or errors.New may hold format verbs,
// punctuation, the program's name and RAPPORT_* variables, nothing else.
func TestCLIMessagesHaveGerman(t *testing.T) {
	de, en := locale.Get(locale.German), locale.Get(locale.English)
	fset, files := cliSources(t)
	printers := map[string]bool{"fmt.Fprintf": true, "fmt.Fprintln": true, "fmt.Fprint": true, "fmt.Errorf": true,
		"errors.New": true, "fmt.Printf": true, "fmt.Println": true, "fmt.Sprintf": true}
	verbs := regexp.MustCompile(`%[-+# 0-9.*]*[a-zA-Z%]|\\[nt]|--[a-z-]+`)
	word := regexp.MustCompile(`[A-Za-zÄÖÜäöüß]{2,}`)
	allowed := regexp.MustCompile(`^(rapport|RAPPORT_[A-Z_]*|[A-Z_]+)$`)
	found := 0
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			name := ""
			switch fn := call.Fun.(type) {
			case *ast.Ident:
				name = fn.Name
			case *ast.SelectorExpr:
				if x, ok := fn.X.(*ast.Ident); ok {
					name = x.Name + "." + fn.Sel.Name
				}
			}
			switch {
			case (name == "tr" || name == "trn") && len(call.Args) > 1:
				lit, ok := call.Args[1].(*ast.BasicLit)
				if !ok {
					return true // a table's message: the table's test checks it
				}
				id, _ := strconv.Unquote(lit.Value)
				found++
				if !de.Has(id) {
					t.Errorf("%s: %q has no German entry", fset.Position(lit.Pos()), id)
				}
				if name == "trn" && !en.Has(id) {
					t.Errorf("%s: plural %q has no English forms in active.en.toml", fset.Position(lit.Pos()), id)
				}
			case printers[name]:
				for _, a := range call.Args {
					lit, ok := a.(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					s, _ := strconv.Unquote(lit.Value)
					for _, w := range word.FindAllString(verbs.ReplaceAllString(s, " "), -1) {
						if !allowed.MatchString(w) {
							t.Errorf("%s: %s prints %q untranslated (%q): use tr", fset.Position(lit.Pos()), name, s, w)
							break
						}
					}
				}
			}
			return true
		})
	}
	if found < 100 {
		t.Errorf("found %d messages in tr calls; the scan is broken", found)
	}
	var tables []string
	for _, c := range commands {
		tables = append(tables, c[1])
	}
	for _, c := range cliFields {
		if c.msg != "" {
			tables = append(tables, c.msg)
		}
	}
	for _, msg := range crm.ExclusionLabels {
		tables = append(tables, msg)
	}
	for _, f := range importing.Fields {
		tables = append(tables, importing.FieldLabel(f.Key))
	}
	sort.Strings(tables)
	for _, id := range tables {
		if !de.Has(id) {
			t.Errorf("table message %q has no German entry", id)
		}
	}
}
