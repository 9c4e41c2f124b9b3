package crm

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSplitPersonName: an author as a coverage file names them ("Anna
// Berg", "Berg, Anna", anything) splits without a panic into a first and a
// last name that keep the words of the input (spaces folded), and a name
// with letters always has a last name to look up. Inputs are bounded to a
// cell's worth (4 KB). Seeds: testdata/fuzz/FuzzSplitPersonName.
func FuzzSplitPersonName(f *testing.F) {
	f.Add("Anna Berg")
	f.Add("Berg, Anna")
	f.Fuzz(func(t *testing.T, v string) {
		if len(v) > 4<<10 {
			t.Skip("larger than a cell")
		}
		first, last := splitPersonName(v)
		words := strings.Fields(v)
		if len(words) == 0 {
			return
		}
		if strings.TrimSpace(last) == "" && !strings.Contains(v, ",") {
			t.Fatalf("%q: no last name", v)
		}
		if utf8.ValidString(v) && !utf8.ValidString(first+last) {
			t.Fatalf("%q split into invalid text %q / %q", v, first, last)
		}
		got := strings.Fields(strings.ReplaceAll(first+" "+last, ",", " "))
		want := strings.Fields(strings.ReplaceAll(v, ",", " "))
		if strings.Join(got, " ") != strings.Join(want, " ") && !strings.Contains(v, ",") {
			t.Fatalf("%q → %q / %q: words lost", v, first, last)
		}
	})
}
