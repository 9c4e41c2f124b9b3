package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/handlers"
)

type apiContact struct {
	ID        int    `json:"id"`
	Version   int    `json:"version"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	City      string `json:"city"`
	Emails    []struct {
		Address string `json:"address"`
	} `json:"emails"`
	Tags    []string `json:"tags"`
	Outlets []struct {
		Outlet string `json:"outlet"`
	} `json:"outlets"`
}

func TestAPIContactLifecycle(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		a.user("manager@example.com", "manager")
		staff, mgr := a.api(a.token("staff@example.com", crm.ScopeWrite)), a.api(a.token("manager@example.com", crm.ScopeWrite))

		r := staff.do("POST", "/api/v1/contacts", map[string]any{"first_name": "Jürgen", "last_name": "Müller", "city": "München",
			"emails": []map[string]string{{"address": "J.Mueller@Example.de"}}, "outlets": []map[string]string{{"outlet": "Süddeutsche Zeitung", "role": "Redakteur"}},
			"tags": []string{"VIP"}})
		wantAPI(t, r, http.StatusCreated)
		var c apiContact
		r.json(t, &c)
		if c.LastName != "Müller" || len(c.Emails) != 1 || c.Emails[0].Address != "j.mueller@example.de" || c.Outlets[0].Outlet != "Süddeutsche Zeitung" {
			t.Fatalf("created %+v", c)
		}
		self := fmt.Sprintf("/api/v1/contacts/%d", c.ID)
		if r.header.Get("Location") != self || r.header.Get("ETag") != fmt.Sprintf(`"%d"`, c.Version) {
			t.Fatalf("Location %q ETag %q", r.header.Get("Location"), r.header.Get("ETag"))
		}
		tag := r.header.Get("ETag")

		// Reads: the ETag, and 304 for the same version.
		g := staff.do("GET", self, nil)
		wantAPI(t, g, http.StatusOK)
		if g.header.Get("ETag") != tag {
			t.Errorf("GET ETag %q, want %q", g.header.Get("ETag"), tag)
		}
		wantAPI(t, staff.do("GET", self, nil, "If-None-Match", tag), http.StatusNotModified)

		// Optimistic locking: no If-Match 428, a stale one 412, the right one saves.
		patch := map[string]any{"city": "Berlin", "tags": []string{"Presse"}}
		p := staff.do("PATCH", self, patch)
		wantAPI(t, p, http.StatusPreconditionRequired)
		p.problem(t)
		p = staff.do("PATCH", self, patch, "If-Match", `"999"`)
		wantAPI(t, p, http.StatusPreconditionFailed)
		p.problem(t)
		p = staff.do("PATCH", self, patch, "If-Match", tag)
		wantAPI(t, p, http.StatusOK)
		var saved apiContact
		p.json(t, &saved)
		if saved.City != "Berlin" || !slices.Equal(saved.Tags, []string{"Presse"}) || saved.LastName != "Müller" || len(saved.Emails) != 1 || saved.Version == c.Version {
			t.Fatalf("patched %+v", saved)
		}
		// The old ETag is now stale: a second client that read before gets 412.
		wantAPI(t, staff.do("PATCH", self, map[string]any{"city": "Hamburg"}, "If-Match", tag), http.StatusPreconditionFailed)

		// The change is audited to the token's user, like a form's.
		ev, err := a.db.Client.AuditEvent.Query().Where(auditevent.Entity("contact"), auditevent.EntityID(c.ID), auditevent.Action("update")).Only(context.Background())
		if err != nil || ev.ActorName != "Test staff" || !strings.Contains(ev.Summary, "city") {
			t.Fatalf("audit event %+v, %v", ev, err)
		}

		// Erasure is for managers, as on the pages.
		wantAPI(t, staff.do("DELETE", self, nil), http.StatusForbidden)
		wantAPI(t, mgr.do("DELETE", self, nil, "If-Match", tag), http.StatusPreconditionFailed)
		wantAPI(t, mgr.do("DELETE", self, nil), http.StatusNoContent)
		gone := staff.do("GET", self, nil)
		wantAPI(t, gone, http.StatusNotFound)
		gone.problem(t)
	})
}

func TestAPIProblems(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		tok := a.token("staff@example.com", crm.ScopeWrite)
		api := a.api(tok)

		// Field errors name the fields; wrong types and unknown fields too.
		r := api.do("POST", "/api/v1/contacts", map[string]any{"first_name": "", "last_name": "", "emails": []map[string]string{{"address": "not-an-address"}}})
		wantAPI(t, r, http.StatusUnprocessableEntity)
		p := r.problem(t)
		fields := map[string]bool{}
		for _, e := range p["errors"].([]any) {
			fields[e.(map[string]any)["field"].(string)] = true
		}
		if !fields["last_name"] || len(fields) < 2 {
			t.Errorf("field errors %v", p["errors"])
		}
		for name, body := range map[string]string{"type": `{"last_name": 5}`, "unknown": `{"last_name":"X","shoe_size":44}`} {
			r := api.do("POST", "/api/v1/contacts", body)
			wantAPI(t, r, http.StatusUnprocessableEntity)
			if p := r.problem(t); p["errors"] == nil {
				t.Errorf("%s: no field errors in %v", name, p)
			}
		}
		bad := api.do("POST", "/api/v1/contacts", `{"last_name": `)
		wantAPI(t, bad, http.StatusBadRequest)
		if p := bad.problem(t); strings.Contains(fmt.Sprint(p), "unexpected") || strings.Contains(fmt.Sprint(p), "json:") {
			t.Errorf("the parser's text leaks: %v", p)
		}
		wantAPI(t, api.do("POST", "/api/v1/contacts", `{"last_name":"`+strings.Repeat("x", 2<<20)+`"}`), http.StatusRequestEntityTooLarge)
		wantAPI(t, api.do("GET", "/api/v1/contacts?limit=500", nil), http.StatusUnprocessableEntity)
		wantAPI(t, api.do("GET", "/api/v1/contacts?cursor=garbage", nil), http.StatusUnprocessableEntity)
		wantAPI(t, api.do("GET", "/api/v1/nothing-here", nil), http.StatusNotFound)

		// No token, a wrong one, a revoked one: 401; a session cookie counts for nothing.
		for _, c := range []*apiClient{a.api(""), a.api("rap_wrong")} {
			r := c.do("GET", "/api/v1/contacts", nil)
			wantAPI(t, r, http.StatusUnauthorized)
			r.problem(t)
		}
		b := a.browser()
		b.login("staff@example.com")
		if p := b.get("/api/v1/contacts"); p.status != http.StatusUnauthorized {
			t.Errorf("a browser session reached the API: %d", p.status)
		}
		// A read token may not write.
		ro := a.api(a.token("staff@example.com", crm.ScopeRead))
		wantAPI(t, ro.do("GET", "/api/v1/contacts", nil), http.StatusOK)
		wantAPI(t, ro.do("POST", "/api/v1/contacts", map[string]any{"last_name": "X"}), http.StatusForbidden)
	})
}

// TestAPIListIsThePageList: for the same selection the API lists the same
// people in the same order as the contact list page, across pages.
func TestAPIListIsThePageList(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		ctx := context.Background()
		for i, k := range []string{"blogger", "journalist", "blogger", "creator", "blogger", "journalist", "blogger"} {
			in := crm.ContactInput{Kind: k, FirstName: fmt.Sprintf("Anna%d", i), LastName: []string{"Groß", "Schmidt", "Öztürk", "Bauer"}[i%4],
				Region: []string{"München", "Berlin"}[i%2], Topics: []string{"Gesundheit"}}
			if _, err := crm.CreateContact(ctx, a.db.Client, in); err != nil {
				t.Fatal(err)
			}
		}
		api := a.api(a.token("staff@example.com", crm.ScopeRead))
		b := a.browser()
		b.login("staff@example.com")
		for _, q := range []string{"kind=blogger", "region=München&sort=reach", "q=Anna3", "topic=Gesundheit&kind=journalist", ""} {
			var viaAPI []string
			cursor := ""
			for range 10 {
				r := api.do("GET", "/api/v1/contacts?limit=2&"+q+"&cursor="+url.QueryEscape(cursor), nil)
				wantAPI(t, r, http.StatusOK)
				var page struct {
					Data []struct {
						URL string `json:"url"`
					} `json:"data"`
					Total      int    `json:"total"`
					NextCursor string `json:"next_cursor"`
				}
				r.json(t, &page)
				for _, d := range page.Data {
					viaAPI = append(viaAPI, strings.TrimPrefix(d.URL, "/api/v1"))
				}
				if cursor = page.NextCursor; cursor == "" {
					break
				}
			}
			var viaPage []string
			b.get("/contacts?" + q).doc.Find(`[data-testid="contact-row"] td:first-child a`).Each(func(_ int, s *goquery.Selection) {
				h, _ := s.Attr("href")
				viaPage = append(viaPage, h)
			})
			if len(viaPage) == 0 && q != "q=nobody" {
				t.Errorf("%q: the page lists nobody", q)
			}
			if !slices.Equal(viaAPI, viaPage) {
				t.Errorf("%q: API lists %v, the page %v", q, viaAPI, viaPage)
			}
		}
	})
}

func TestAPIRateLimitIsAtomic(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		cfg := handlers.DefaultConfig
		cfg.APIRate = 5
		a := newAppWith(t, d, cfg)
		a.user("staff@example.com", "staff")
		api := a.api(a.token("staff@example.com", crm.ScopeRead))
		const n = 24
		statuses := make(chan apiResponse, n)
		start := make(chan struct{})
		for range n {
			go func() {
				<-start
				statuses <- api.do("GET", "/api/v1/outlets", nil)
			}()
		}
		close(start)
		ok, limited := 0, 0
		for range n {
			r := <-statuses
			switch r.status {
			case http.StatusOK:
				ok++
			case http.StatusTooManyRequests:
				limited++
				if r.header.Get("Retry-After") == "" || r.header.Get("Retry-After") == "0" {
					t.Errorf("429 without Retry-After: %v", r.header)
				}
				r.problem(t)
			default:
				t.Errorf("status %d: %s", r.status, r.body)
			}
		}
		if ok != 5 || limited != n-5 {
			t.Errorf("%d passed and %d were limited, want 5 and %d", ok, limited, n-5)
		}
	})
}

// TestAPIConcurrentPatchesOneWins: parallel PATCHes with the same If-Match:
// exactly one saves; the others are refused (412 when they read the saved
// version, 409 when they lost the race inside the write), nothing is lost unseen.
func TestAPIConcurrentPatchesOneWins(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		api := a.api(a.token("staff@example.com", crm.ScopeWrite))
		r := api.do("POST", "/api/v1/contacts", map[string]any{"last_name": "Parallel"})
		wantAPI(t, r, http.StatusCreated)
		self, tag := r.header.Get("Location"), r.header.Get("ETag")
		const n = 6
		got := make(chan int, n)
		for i := range n {
			go func() {
				got <- api.do("PATCH", self, map[string]any{"city": fmt.Sprintf("Stadt%d", i)}, "If-Match", tag).status
			}()
		}
		counts := map[int]int{}
		for range n {
			counts[<-got]++
		}
		if counts[200] != 1 || counts[200]+counts[409]+counts[412] != n {
			t.Errorf("statuses %v: want one 200, the rest 409 or 412", counts)
		}
	})
}
