package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/rapport-crm/rapport/ent/segment"
)

// TestOthersSegmentsAnswerAsReading: deleting another user's private
// segment answered 403 where reading it answers 404 (issue 20, item 10). A
// private segment of someone else is 404 for every verb; a shared one may be
// read but only its owner deletes it (403).
func TestOthersSegmentsAnswerAsReading(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		a.user("ben@example.com", "staff")
		anna, ben := a.browser(), a.browser()
		anna.login("anna@example.com")
		ben.login("ben@example.com")
		anna.get("/segments")
		wantStatus(t, anna.post("/segments", url.Values{"name": {"Privat"}, "q": {"x"}}), http.StatusSeeOther)
		wantStatus(t, anna.post("/segments", url.Values{"name": {"Geteilt"}, "q": {"y"}, "shared": {"1"}}), http.StatusSeeOther)
		id := func(name string) int {
			return a.db.Client.Segment.Query().Where(segment.Name(name)).OnlyIDX(t.Context())
		}
		ben.get("/segments")
		wantStatus(t, ben.get(fmt.Sprintf("/exports/new?segment=%d", id("Privat"))), http.StatusNotFound)
		wantStatus(t, ben.post(fmt.Sprintf("/segments/%d/delete", id("Privat")), url.Values{}), http.StatusNotFound)
		wantStatus(t, ben.post(fmt.Sprintf("/segments/%d/delete", id("Geteilt")), url.Values{}), http.StatusForbidden)
		if n := a.db.Client.Segment.Query().CountX(t.Context()); n != 2 {
			t.Errorf("%d segments, want both kept", n)
		}
	})
}
