package handlers

import (
	"net/url"
	"testing"
)

// TestPageLinks: the next link carries the query with the next key, the
// first-page link the query without a key, and the request's query is left
// as it was.
func TestPageLinks(t *testing.T) {
	q := url.Values{"q": {"müller"}, "stage": {"advocate", "supporter"}, "after": {"k1"}, "empty": {""}}
	first, next := pageLinks("/contacts", q, "after", "k1", "k2")
	if want := "/contacts?q=m%C3%BCller&stage=advocate&stage=supporter"; first != want {
		t.Errorf("first %q, want %q", first, want)
	}
	if want := "/contacts?after=k2&q=m%C3%BCller&stage=advocate&stage=supporter"; next != want {
		t.Errorf("next %q, want %q", next, want)
	}
	if q.Get("after") != "k1" || len(q) != 4 {
		t.Errorf("the request's query changed: %v", q)
	}
	if first, next := pageLinks("/audit", nil, "before", "", ""); first != "" || next != "" {
		t.Errorf("one page: %q %q", first, next)
	}
	if first, next := pageLinks("/audit", url.Values{"user": {"3"}}, "before", "", "17"); first != "" || next != "/audit?before=17&user=3" {
		t.Errorf("first page of two: %q %q", first, next)
	}
}
