package search

import (
	"context"
	"database/sql"
	"maps"
	"os"
	"slices"
	"strings"
	"testing"

	_ "github.com/lib/pq"
)

// The benchmark's peer holds the terms the index holds and asks for them
// as the builder does; bench.checkSearchPeer compares the counts on the
// whole dataset. These pin the shape.
func TestPeerDocumentAndQuery(t *testing.T) {
	d := &Document{ID: 1, FirstName: "Jürgen", LastName: "Weiß", Title: "Gesundheitsredakteurin",
		Topics: []string{"Gesundheit"}, Emails: []string{"j.weiss@example.de"},
		Coverage: []Piece{{Title: "Wärmepumpen im Altbau", Outlet: "Abendzeitung"}}}
	doc := PeerDocument(d)
	for _, want := range []string{"'c:altbau':", "'c:abendzeitung':", "'n:jurgen':", "'c:redakteur':", "'c:gesundheitsredakteur':", "'n:weiss':", "'c:gesundheit':", "'e:j.weiss@example.de':"} {
		if !strings.Contains(doc, want) {
			t.Errorf("peer document lacks %s: %s", want, doc)
		}
	}
	q, err := PeerQuery("weiss gesundh", func(term string) []string {
		if term == "weiss" {
			return []string{"weiss", "weise"}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"'n:weiss' | 'n:weise'", "'c:weiss'", "'n:gesundh':*", "'o:gesundh':*", "'h:gesundh':*"} {
		if !strings.Contains(q, want) {
			t.Errorf("peer query lacks %s: %s", want, q)
		}
	}
	if strings.Contains(q, "'c:gesundh':*") {
		t.Errorf("peer query expands a prefix outside names, outlets and handles: %s", q)
	}
	if _, err := PeerQuery(`"a phrase"`, nil); err == nil {
		t.Error("a phrase: want an error, the peer knows plain words only")
	}
}

// TestPeerAgreesOnLanguage: for every plain-word case of TestLanguage, the
// peer's tsquery over the peer's documents (PostgreSQL itself, no table)
// matches exactly the contacts the index matches.
func TestPeerAgreesOnLanguage(t *testing.T) {
	u := os.Getenv("RAPPORT_TEST_POSTGRES_URL")
	if u == "" {
		u = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
	}
	pg, err := sql.Open("postgres", u)
	if err == nil {
		err = pg.Ping()
	}
	if err != nil {
		if os.Getenv("RAPPORT_REQUIRE_POSTGRES") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	defer pg.Close()
	ix := languageIndex(t)
	docs := languageDocs()
	ids := slices.Sorted(maps.Keys(docs))
	var names []string // the dictionary of name terms
	for _, id := range ids {
		for _, tok := range peerAnalyze(NameAnalyzer, docs[id].Name()) {
			names = append(names, string(tok.Term))
		}
	}
	near := func(term string) []string {
		var out []string
		for _, n := range names {
			if levenshtein(n, term) <= 1 {
				out = append(out, n)
			}
		}
		return out
	}
	for _, q := range []string{"muenchen", "Mueller", "Gross", "Journalistin", "Journalistinnen", "Bloggerin",
		"bloggerin muenchen", "Gesundheitsbloggerin", "die Gesundheitsbloggerin aus Muenchen", "Schnieder", "Schafer",
		"Kleim ", "Schnei", "Mül", "Schnei ", "muenchen medizin", "süddeutsche", "gesundheit", "VIP", "loves",
		"Wärmepumpe", "köln", "Segelflug", "Bildmaterial", "Süddeutshe ", "Redakt", "Journalis", "Laufsp"} {
		res, err := ix.Search(context.Background(), Request{Q: q, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		var want []int
		for _, h := range res.Hits {
			want = append(want, h.ID)
		}
		slices.Sort(want)
		tq, err := PeerQuery(q, near)
		if err != nil {
			t.Fatal(err)
		}
		var got []int
		for _, id := range ids {
			var ok bool
			if err := pg.QueryRow(`SELECT $1::tsvector @@ $2::tsquery`, PeerDocument(docs[id]), tq).Scan(&ok); err != nil {
				t.Fatalf("%q: %v", q, err)
			}
			if ok {
				got = append(got, id)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("%q: the peer matches %v, the index %v (tsquery %s)", q, got, want, tq)
		}
	}
}

// levenshtein is the edit distance of two terms in runes, a swap of two
// neighbours counting one (as bleve's fuzzy terms: Schnieder finds
// Schneider; PostgreSQL's levenshtein, which the benchmark's peer uses,
// counts it two).
func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
