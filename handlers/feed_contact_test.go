package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/feed"
)

// TestContactChannelFeed: the contact form's channel row takes a feed
// address (http/https, at most 2,000 characters; anything else is a clear
// error and nothing is saved); the feed's posts then show on the contact's
// timeline with their link, find the contact in search in German and
// English word forms, and count in the health explanation.
func TestContactChannelFeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC()
		at1, at2 := now.Add(-time.Hour), now.Add(-2*time.Hour)
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, `<rss version="2.0"><channel><title>Jana</title>
<item><guid>a</guid><title>Nachhaltige Mode im Kleiderschrank</title><link>https://jana.example/a</link><pubDate>%s</pubDate></item>
<item><guid>b</guid><title>Sustainable fashion tested</title><link>https://jana.example/b</link><pubDate>%s</pubDate></item>
</channel></rss>`, at1.Format(time.RFC1123Z), at2.Format(time.RFC1123Z))
		}))
		defer srv.Close()
		a := newApp(t, d)
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.login("anna@example.com")
		b.get("/contacts/new")
		form := url.Values{"first_name": {"Jana"}, "last_name": {"Grün"}, "kind": {"blogger"}, "stage": {"engaged"},
			"lawful_basis": {"legitimate_interest"}, "consent_state": {"none"},
			"channel_platform": {"blog"}, "channel_handle": {"jana.example"}, "channel_followers": {"100"}}
		for name, bad := range map[string]string{"err_scheme": "ftp://jana.example/feed", "err_too_long": "https://jana.example/" + strings.Repeat("x", 2000)} {
			form.Set("channel_feed", bad)
			p := b.post("/contacts", form)
			if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "Enter the feed&#39;s web address") {
				t.Errorf("%s: status %d, want 422 with the feed's error", name, p.status)
			}
		}
		if n := d.Client.Contact.Query().CountX(ctx); n != 0 {
			t.Fatalf("%d contacts saved from bad forms", n)
		}
		form.Set("channel_feed", srv.URL+"/jana.xml")
		p := b.post("/contacts", form)
		wantStatus(t, p, http.StatusSeeOther)
		id := idFrom(t, p)
		f := d.Client.Feed.Query().OnlyX(ctx)
		if f.URL != srv.URL+"/jana.xml" || f.ContactID == nil || fmt.Sprint(*f.ContactID) != id {
			t.Fatalf("feed %+v, want the address for contact %s", f, id)
		}
		p = b.get("/contacts/" + id + "/edit")
		if v, _ := p.doc.Find(`[data-testid="channel-feed"]`).First().Attr("value"); v != srv.URL+"/jana.xml" {
			t.Errorf("edit form's feed %q", v)
		}

		rep, err := crm.NewFeedPoller(d.Client, d.Dialect, crm.NewFeedFetcher(true, 5*time.Second), nil, "t").PollDue(ctx)
		if err != nil || rep.NewPosts != 2 {
			t.Fatalf("poll %+v, %v", rep, err)
		}
		p = b.get("/contacts/" + id)
		wantStatus(t, p, http.StatusOK)
		var titles, links []string
		p.doc.Find(`[data-testid="timeline-post"]`).Each(func(_ int, s *goquery.Selection) {
			titles = append(titles, strings.TrimSpace(s.Find("a").Text()))
			href, _ := s.Find("a").Attr("href")
			links = append(links, href)
		})
		if strings.Join(titles, "|") != "Nachhaltige Mode im Kleiderschrank|Sustainable fashion tested" ||
			strings.Join(links, "|") != "https://jana.example/a|https://jana.example/b" {
			t.Errorf("timeline posts %q %q", titles, links)
		}
		if !strings.Contains(p.text(`[data-testid="timeline-post"]`), "Post") {
			t.Errorf("a post is not typed as one: %q", p.text(`[data-testid="timeline-post"]`))
		}
		inMonth := 0
		for _, t := range []time.Time{at1, at2} {
			if t.Month() == now.Month() {
				inMonth++
			}
		}
		want := fmt.Sprintf("posted %d times this month", inMonth)
		if inMonth == 1 {
			want = "posted once this month"
		}
		if inMonth > 0 && !strings.Contains(p.text(`[data-testid="health-explanation"]`), want) {
			t.Errorf("health explanation %q lacks %q", p.text(`[data-testid="health-explanation"]`), want)
		}

		for _, q := range []string{"nachhaltigen", "Kleiderschrank", "sustainability", "fashion"} {
			s := b.get("/search?q=" + url.QueryEscape(q))
			names := s.text(`[data-testid="search-hit"] .hit-name`)
			if names != "Jana Grün" {
				t.Errorf("%s finds %q, want Jana Grün", q, names)
			}
			if snip := s.text(`[data-testid="search-hit"] [data-testid="snippet"]`); !strings.HasPrefix(snip, "Posts: ") {
				t.Errorf("%s: snippet %q, want it from the posts", q, snip)
			}
		}
		// Clearing the field removes the feed and its posts, from search too.
		p = b.get("/contacts/" + id + "/edit")
		form.Set("channel_feed", "")
		form.Set("version", p.doc.Find(`input[name="version"]`).AttrOr("value", ""))
		wantStatus(t, b.post("/contacts/"+id, form), http.StatusSeeOther)
		if n := d.Client.Feed.Query().Where(feed.URLNEQ("")).CountX(ctx); n != 0 || d.Client.FeedPost.Query().CountX(ctx) != 0 {
			t.Errorf("after clearing: %d feeds, %d posts", n, d.Client.FeedPost.Query().CountX(ctx))
		}
		if names := b.get("/search?q=Kleiderschrank").text(`[data-testid="search-hit"] .hit-name`); names != "" {
			t.Errorf("after clearing, Kleiderschrank finds %q", names)
		}
	})
}

// TestKeywordRulesPage: a manager adds a rule with a campaign (listed with
// it), a term of stop words only is refused with a clear message (422,
// nothing saved), and a rule is switched off and deleted.
func TestKeywordRulesPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		a := newApp(t, d)
		a.user("mia@example.com", "manager")
		b := a.browser()
		b.login("mia@example.com")
		br := d.Client.Brand.Create().SetName("Bergwerk").SaveX(ctx)
		cp := d.Client.Campaign.Create().SetBrandID(br.ID).SetName("Herbst am Berg").SetStartsAt(time.Now()).SaveX(ctx)
		b.get("/settings/keywords")
		p := b.post("/settings/keywords", url.Values{"term": {"der die das"}})
		if p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, "This term has no words to look for.") {
			t.Errorf("stop words: status %d, want 422 with the message", p.status)
		}
		wantStatus(t, b.post("/settings/keywords", url.Values{"term": {"Wanderschuh"}, "campaign": {fmt.Sprint(cp.ID)}}), http.StatusSeeOther)
		p = b.get("/settings/keywords")
		if got := p.text(`[data-testid="keyword-rule"]`); !strings.Contains(got, "Wanderschuh") || !strings.Contains(got, "Herbst am Berg") {
			t.Errorf("rules %q", got)
		}
		r := d.Client.KeywordRule.Query().OnlyX(ctx)
		wantStatus(t, b.post(fmt.Sprintf("/settings/keywords/%d/active", r.ID), url.Values{"active": {"0"}}), http.StatusSeeOther)
		if d.Client.KeywordRule.GetX(ctx, r.ID).Active {
			t.Error("the rule is still active")
		}
		wantStatus(t, b.post(fmt.Sprintf("/settings/keywords/%d/delete", r.ID), url.Values{}), http.StatusSeeOther)
		if n := d.Client.KeywordRule.Query().CountX(ctx); n != 0 {
			t.Errorf("%d rules after deleting", n)
		}
	})
}
