package search

import (
	"strings"
	"testing"
)

// The benchmark's peer holds the terms the index holds and asks for them
// as the builder does; bench.checkSearchPeer compares the counts on the
// whole dataset. These pin the shape.
func TestPeerDocumentAndQuery(t *testing.T) {
	d := &Document{ID: 1, FirstName: "Jürgen", LastName: "Weiß", Title: "Gesundheitsredakteurin",
		Topics: []string{"Gesundheit"}, Emails: []string{"j.weiss@example.de"}}
	doc := PeerDocument(d)
	for _, want := range []string{"'n:jurgen':", "'i:redakteur':", "'n:weiss':", "'t:gesundheit':", "'e:j.weiss@example.de':"} {
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
	for _, want := range []string{"'n:weiss' | 'n:weise'", "'n:gesundh':*", "'t:gesundh':*"} {
		if !strings.Contains(q, want) {
			t.Errorf("peer query lacks %s: %s", want, q)
		}
	}
	if _, err := PeerQuery(`"a phrase"`, nil); err == nil {
		t.Error("a phrase: want an error, the peer knows plain words only")
	}
}
