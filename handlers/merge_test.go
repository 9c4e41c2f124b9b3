package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
)

// TestMergeAndUndoPages: a manager merges a duplicate pair from
// /duplicates through the side-by-side form and undoes it from the list of
// recent merges. After the merge the merged contact's page is gone and the
// survivor shows both records' data; search and segment counts follow.
// After the undo both contact pages render as before the merge, and the
// search and segment counts are those of before.
func TestMergeAndUndoPages(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("manager@example.com", "manager")
		a.user("staff@example.com", "staff")
		ctx := context.Background()
		mk := func(in crm.ContactInput) int {
			c, err := crm.CreateContact(ctx, a.db.Client, in)
			if err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
		keep := mk(crm.ContactInput{Kind: "journalist", FirstName: "Miriam", LastName: "Klein", Title: "Redakteurin", City: "München",
			Emails: []crm.EmailInput{{Address: "miriam.klein@example.de"}}, Topics: []string{"Mobilität"},
			Outlets: []crm.OutletRole{{Outlet: "Süddeutsche", Role: "Redakteurin"}}})
		drop := mk(crm.ContactInput{Kind: "journalist", FirstName: "Miriam", LastName: "Klein", Title: "Ressortleiterin", City: "Berlin",
			Emails:   []crm.EmailInput{{Address: "miriam.klein@example.de"}, {Address: "klein@zeitung.example"}},
			Channels: []crm.ChannelInput{{Platform: "instagram", Handle: "miri.klein", Followers: 4200}}, Tags: []string{"VIP"}})
		u := a.db.Client.User.Query().FirstX(ctx)
		for i, ids := range [][]int{{keep}, {drop}, {keep, drop}} {
			if _, err := crm.LogInteraction(ctx, a.db.Client, u.ID, crm.InteractionInput{ContactIDs: ids, Type: "call", Direction: "outbound",
				OccurredAt: time.Now().Add(-time.Duration(i+1) * time.Hour), Subject: fmt.Sprintf("Gespräch %d", i), Sentiment: "neutral"}); err != nil {
				t.Fatal(err)
			}
		}
		b := a.browser()
		b.login("manager@example.com")
		for _, name := range []string{"Berliner", "Kleins"} {
			q := map[string]url.Values{"Berliner": {"q": {"Berlin"}}, "Kleins": {"q": {"Klein"}}}[name]
			q.Set("name", name)
			q.Set("shared", "1")
			wantStatus(t, b.post("/segments", q), http.StatusSeeOther)
		}
		type counts struct{ search, berlin, klein string }
		count := func() counts {
			t.Helper()
			s := b.get("/search?q=" + url.QueryEscape("zeitung.example"))
			seg := b.get("/segments")
			c := counts{search: fmt.Sprint(s.doc.Find(`[data-testid="search-hit"]`).Length())}
			seg.doc.Find(`[data-testid="segment-row"]`).Each(func(_ int, r *goquery.Selection) {
				switch n := strings.TrimSpace(r.Find("td").First().Text()); {
				case strings.HasPrefix(n, "Berliner"):
					c.berlin = strings.TrimSpace(r.Find(`[data-testid="segment-count"]`).Text())
				case strings.HasPrefix(n, "Kleins"):
					c.klein = strings.TrimSpace(r.Find(`[data-testid="segment-count"]`).Text())
				}
			})
			return c
		}
		show := func(id int) string {
			t.Helper()
			p := b.get(fmt.Sprintf("/contacts/%d", id))
			wantStatus(t, p, http.StatusOK)
			html, _ := p.doc.Find("main").Html()
			return normalisePage(html)
		}
		pagesBefore := []string{show(keep), show(drop)}
		before := count()
		if before.search != "1" || before.berlin != "1" || before.klein != "2" {
			t.Fatalf("counts before the merge: %+v", before)
		}

		list := b.get("/duplicates")
		href, ok := list.doc.Find(`[data-testid="merge-link"]`).Attr("href")
		if !ok {
			t.Fatalf("no merge link on /duplicates:\n%.3000s", list.body)
		}
		form := b.get(href)
		wantStatus(t, form, http.StatusOK)
		if got := form.text(`[data-testid="merge-field-title"]`); !strings.Contains(got, "Redakteurin") || !strings.Contains(got, "Ressortleiterin") {
			t.Fatalf("merge form title row %q", got)
		}
		v := url.Values{}
		form.doc.Find(`[data-testid="merge-form"] input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
			n, _ := s.Attr("name")
			val, _ := s.Attr("value")
			v.Set(n, val)
		})
		v.Set("keep", "a")
		v.Set("f_title", "b") // the title of the other one
		if v.Get("a") != fmt.Sprint(keep) {
			t.Fatalf("form pairs %s with %s, want %d first", v.Get("a"), v.Get("b"), keep)
		}
		staff := a.browser()
		staff.login("staff@example.com")
		wantStatus(t, staff.post("/duplicates/merge", v), http.StatusForbidden)
		p := b.post("/duplicates/merge", v)
		wantStatus(t, p, http.StatusSeeOther)
		if loc := p.header.Get("Location"); loc != fmt.Sprintf("/contacts/%d", keep) {
			t.Fatalf("merge redirects to %s", loc)
		}
		wantStatus(t, b.get(fmt.Sprintf("/contacts/%d", drop)), http.StatusNotFound)
		merged := b.get(fmt.Sprintf("/contacts/%d", keep))
		for _, want := range []string{"Ressortleiterin", "klein@zeitung.example", "miri.klein", "VIP", "Gespräch 1", "Gespräch 2"} {
			if !strings.Contains(merged.text("main"), want) {
				t.Errorf("survivor's page lacks %q", want)
			}
		}
		if got := count(); got.search != "1" || got.berlin != "0" || got.klein != "1" {
			t.Fatalf("counts after the merge: %+v (want the survivor found by the merged e-mail, Berlin 0, Klein 1)", got)
		}

		list = b.get("/duplicates")
		action, ok := list.doc.Find(`[data-testid="merge"] form`).Attr("action")
		if !ok {
			t.Fatalf("no undo on /duplicates:\n%.3000s", list.body)
		}
		wantStatus(t, b.post(action, url.Values{}), http.StatusSeeOther)
		if got := count(); got != before {
			t.Fatalf("counts after the undo %+v, before the merge %+v", got, before)
		}
		for i, id := range []int{keep, drop} {
			if got := show(id); got != pagesBefore[i] {
				t.Errorf("contact %d after the undo differs from before the merge:\n%s", id, firstDiff(pagesBefore[i], got))
			}
		}
		p = b.post(action, url.Values{})
		wantStatus(t, p, http.StatusConflict)
		if !strings.Contains(p.text(`[data-testid="error-page"]`), "undone already") {
			t.Fatalf("second undo says %q", p.text(`[data-testid="error-page"]`))
		}
	})
}

var volatile = regexp.MustCompile(`name="(_csrf|version)" value="[^"]*"|data-request-id="[^"]*"|<p class="flash"[^>]*>[^<]*</p>`)

// normalisePage drops what differs between two renderings of one state: the
// CSRF token, the form's version (the survivor was saved twice) and the
// flash message of the last action.
func normalisePage(html string) string { return volatile.ReplaceAllString(html, "") }

func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-300)
	return fmt.Sprintf("before …%s…\nafter  …%s…", a[lo:min(len(a), i+300)], b[lo:min(len(b), i+300)])
}
