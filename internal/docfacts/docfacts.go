// Package docfacts checks that the figures a document (README.md,
// docs/SEARCH.md) states are the ones the code uses: a test names each
// sentence that states a figure, with the constant it must equal, so that
// changing a constant without its documentation fails a test.
package docfacts

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Fact is one statement of a document: Pattern is a regular expression with
// one group per figure (a space in it matches any run of white space, so a
// sentence may wrap), Want the figures it must state, in order.
type Fact struct {
	Pattern string
	Want    []string
}

// Read returns the document at path with every run of white space made one
// space, as Check matches it.
func Read(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(b)), " ")
}

// Check fails t for every fact that path does not state, or states with
// other figures; every match of a pattern must state the wanted figures.
func Check(t testing.TB, path string, facts []Fact) {
	t.Helper()
	doc := Read(t, path)
	for _, f := range facts {
		re := regexp.MustCompile(f.Pattern)
		all := re.FindAllStringSubmatch(doc, -1)
		if len(all) == 0 {
			t.Errorf("%s no longer says /%s/ (want %q): update the document or this test", path, f.Pattern, f.Want)
			continue
		}
		for _, m := range all {
			if got := m[1:]; !equal(got, f.Want) {
				t.Errorf("%s says %q, the code %q: %q", path, got, f.Want, m[0])
			}
		}
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Thousands writes n as the documents do: 5,000 and 100,000; 950 stays 950.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// Word writes the small numbers the documents spell out: 1 to 12 in words.
func Word(n int) string {
	words := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}
	if n >= 0 && n < len(words) {
		return words[n]
	}
	return strconv.Itoa(n)
}

// Itoa is strconv.Itoa, for tables of facts.
func Itoa(n int) string { return strconv.Itoa(n) }

// F is the Fact that pattern states the figures want.
func F(pattern string, want ...string) Fact { return Fact{Pattern: pattern, Want: want} }
