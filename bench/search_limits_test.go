package bench

import (
	"context"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/search"
)

// BenchmarkSearchAtTheLimits: the most expensive texts the limits on search
// text let through (docs/SEARCH.md), on the demo index, with facets and
// snippets as the search page asks: 20 names, 20 misspelt words (typo
// matching on each), 20 words of 24 letters (500 characters), a two-letter
// prefix while typing, and 500 characters of one letter. None may run over
// search.Budget or the term budget.
func BenchmarkSearchAtTheLimits(b *testing.B) {
	d := loadDataset(b)
	ctx := context.Background()
	words := func(w string, n int) string { return strings.TrimSpace(strings.Repeat(w+" ", n)) }
	for _, c := range []struct{ name, q string }{
		{"20_names", words("Müller", 20)},
		{"20_misspelt_words", strings.Join(strings.Fields("Schneidr Journalistn Redakteurn Gesundheitt Münchn Bloggerinn Pflegee Energiewnde Hamburgr Communty Vorlaufs Presseriese Medizn Kölner Berlinr Sporrt Reisenn Hotelerie Wärmepumpn Laufsprt"), " ")},
		{"20_words_500_chars", words(strings.Repeat("y", 24), 20)},
		{"prefix_2_letters", "mü"},
		{"prefix_2_letters_common", "ma"},
		{"500_x", strings.Repeat("x", search.MaxTextChars)},
	} {
		b.Run(c.name, func(b *testing.B) {
			var lat latencies
			for b.Loop() {
				var err error
				lat.time(func() {
					_, err = d.search.Search(ctx, search.Request{Q: c.q, Size: 20, Facets: true, Snippets: true})
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			lat.report(b)
		})
	}
}
