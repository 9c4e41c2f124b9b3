package handlers_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/ent/consentevent"
	"github.com/rapport-crm/rapport/handlers"
	"github.com/rapport-crm/rapport/search"
)

// panelNotice is when the fixture's contact was told we hold their data.
var panelNotice = time.Date(2026, 3, 5, 9, 0, 0, 0, time.UTC)

// panelFixture is a contact (Ole Redaktion) with every panel beside the
// card filled: consent history, colleagues at his outlet, a campaign of
// Anna's and one of Mia's with a pitch and a piece of coverage each, and
// n interactions logged by Anna. Users: mia@ (manager), anna@ (staff) and
// an inactive one. It returns Ole's id.
func panelFixture(tb testing.TB, d *db.DB, n int) int {
	tb.Helper()
	ctx := context.Background()
	w := db.SelfRecorded(ctx) // the fixture's own rows, written directly
	users := map[string]*ent.User{}
	for _, u := range []struct{ email, name, role string }{{"mia@example.com", "Mia Manager", "manager"},
		{"anna@example.com", "Anna Autorin", "staff"}, {"alt@example.com", "Alt Gedient", "staff"}} {
		made, err := crm.CreateUser(ctx, d.Client, crm.UserInput{Email: u.email, Name: u.name, Role: u.role, Password: testPassword})
		if err != nil {
			tb.Fatal(err)
		}
		users[u.email] = made
	}
	d.Client.User.UpdateOneID(users["alt@example.com"].ID).SetActive(false).ExecX(ctx)
	var ole int
	for _, p := range []struct{ first, last, outlet string }{{"Ole", "Redaktion", "Süddeutsche"}, {"Carl", "Ähre", "Süddeutsche"},
		{"Bea", "Aal", "Süddeutsche"}, {"Dora", "Weit", "BR"}} {
		c, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{FirstName: p.first, LastName: p.last, Outlets: []crm.OutletRole{{Outlet: p.outlet}}})
		if err != nil {
			tb.Fatal(err)
		}
		if ole == 0 {
			ole = c.ID
		}
	}
	anna, mia := users["anna@example.com"], users["mia@example.com"]
	at := panelNotice.Add(-time.Hour)
	d.Client.ConsentEvent.Create().SetContactID(ole).SetAt(at).SetActorID(anna.ID).SetActorName(anna.Name).SetChanged([]string{"consent_state"}).
		SetLawfulBasis(consentevent.LawfulBasisConsent).SetConsentState(consentevent.ConsentStateGiven).SetDoNotContact(false).SetSource("Messe").
		SetEvidence("https://example.com/optin").SetWordingVersion("v3").SetNoticeAt(panelNotice).SetNoticeMethod("E-Mail mit Hinweis").ExecX(w)
	d.Client.ConsentEvent.Create().SetContactID(ole).SetAt(at.Add(time.Minute)).SetLawfulBasis(consentevent.LawfulBasisConsent).
		SetConsentState(consentevent.ConsentStateWithdrawn).SetDoNotContact(true).SetReason("Bat um Ruhe").ExecX(w)
	d.Client.Contact.UpdateOneID(ole).SetNotifiedAt(panelNotice).ExecX(w)

	brand := d.Client.Brand.Create().SetName("Bergwerk Outdoor").SaveX(ctx)
	for i, cp := range []struct {
		name, title string
		owner       int
	}{{"Herbst am Berg", "Wanderschuhe aus Bayern", anna.ID}, {"Geheim", "Geheimer Bericht", mia.ID}} {
		c := d.Client.Campaign.Create().SetName(cp.name).SetBrandID(brand.ID).SetStartsAt(at).SetOwnerID(cp.owner).SaveX(ctx)
		d.Client.CampaignTarget.Create().SetCampaignID(c.ID).SetContactID(ole).SetAddedAt(at.Add(time.Duration(i) * time.Hour)).SetStatusAt(at).
			SetStatus(campaigntarget.StatusReplied).SetPitchedAt(at).SetRepliedAt(at.Add(time.Hour)).SetPitchCount(1).ExecX(w)
		item := d.Client.CoverageItem.Create().SetCampaignID(c.ID).SetTitle(cp.title).SetURL("https://example.com/" + cp.name).
			SetOutletName("Abendzeitung").SetPublishedAt(time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)).SetReach(120000).SaveX(ctx)
		d.Client.CoverageAuthor.Create().SetCoverageItemID(item.ID).SetContactID(ole).ExecX(w)
	}
	addInteractions(tb, d.Client, ole, anna.ID, n)
	return ole
}

// TestContactPagePanels: what the panels beside the card show, read with
// the card in one statement: the consent history with its wording, notice
// and reason, the Art. 14 date, the colleagues by name, only the campaigns
// and coverage the viewer may see, and the active users as the timeline's
// authors.
func TestContactPagePanels(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ole := panelFixture(t, d, 3)
		a := newApp(t, d)
		anna := a.browser()
		anna.login("anna@example.com")
		p := anna.get("/contacts/" + strconv.Itoa(ole))
		wantStatus(t, p, http.StatusOK)
		hist := p.text(`[data-testid="consent-history"]`)
		for _, want := range []string{"v3", "E-Mail mit Hinweis", "Anna Autorin", "Bat um Ruhe", "https://example.com/optin", "Messe"} {
			if !strings.Contains(hist, want) {
				t.Errorf("consent history lacks %q: %q", want, hist)
			}
		}
		if got := p.text(`[data-testid="notified"]`); !strings.Contains(got, "Mar 5, 2026") {
			t.Errorf("notified %q", got)
		}
		if got := texts(p.doc.Find(`[data-testid="interaction-with"] label.choice`)); got != "Bea Aal|Carl Ähre" {
			t.Errorf("colleagues %q", got)
		}
		if got := texts(p.doc.Find(`[data-testid="contact-campaign"]`)); got != "Herbst am Berg Bergwerk Outdoor Replied" {
			t.Errorf("Anna's campaigns %q", got)
		}
		if got := texts(p.doc.Find(`[data-testid="contact-coverage"]`)); got != "Wanderschuhe aus Bayern Abendzeitung · Nov 30, 2026" {
			t.Errorf("Anna's coverage %q", got)
		}
		if got := texts(p.doc.Find(`select[name="t_author"] option`)); got != "Anyone|Anna Autorin|Mia Manager" {
			t.Errorf("timeline authors %q", got)
		}
		mia := a.browser()
		mia.login("mia@example.com")
		p = mia.get("/contacts/" + strconv.Itoa(ole))
		if got := texts(p.doc.Find(`[data-testid="contact-campaign"]`)); got != "Geheim Bergwerk Outdoor Replied|Herbst am Berg Bergwerk Outdoor Replied" {
			t.Errorf("Mia's campaigns %q", got)
		}
		if got := p.doc.Find(`[data-testid="contact-coverage"]`).Length(); got != 2 {
			t.Errorf("Mia sees %d pieces of coverage, want 2", got)
		}
	})
}

// texts joins the whitespace-normalised texts of s with "|".
func texts(s *goquery.Selection) string {
	var out []string
	s.Each(func(_ int, e *goquery.Selection) { out = append(out, strings.Join(strings.Fields(e.Text()), " ")) })
	return strings.Join(out, "|")
}

// BenchmarkContactPageHTTP times GET /contacts/:id for a manager through the
// real router (no list cache), on both databases: the fixture's contact has
// every panel filled and 200 interactions.
func BenchmarkContactPageHTTP(b *testing.B) {
	for _, dia := range dbtest.Dialects {
		b.Run(dbtest.Name(dia), func(b *testing.B) {
			d := dbtest.Open(b, dia, nil)
			ole := panelFixture(b, d, 200)
			s, err := search.Open(context.Background(), search.Options{Dir: b.TempDir(), Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect})
			if err != nil {
				b.Fatal(err)
			}
			b.Cleanup(func() { s.Close() })
			cfg := handlers.DefaultConfig
			cfg.Search = syncedSearch{s}
			srv := httptest.NewServer(handlers.New(d, cfg, slog.New(slog.NewTextHandler(io.Discard, nil))))
			b.Cleanup(srv.Close)
			jar, _ := cookiejar.New(nil)
			cl := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			get := func(path string) string {
				res, err := cl.Get(srv.URL + path)
				if err != nil {
					b.Fatal(err)
				}
				defer res.Body.Close()
				body, _ := io.ReadAll(res.Body)
				if res.StatusCode != http.StatusOK {
					b.Fatalf("GET %s: %d", path, res.StatusCode)
				}
				return string(body)
			}
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(get("/login")))
			tok, _ := doc.Find(`input[name="_csrf"]`).Attr("value")
			res, err := cl.PostForm(srv.URL+"/login", url.Values{"email": {"mia@example.com"}, "password": {testPassword}, "_csrf": {tok}})
			if err != nil || res.StatusCode != http.StatusSeeOther {
				b.Fatalf("login: %v %v", res, err)
			}
			res.Body.Close()
			path := "/contacts/" + strconv.Itoa(ole)
			if !strings.Contains(get(path), "Wanderschuhe aus Bayern") {
				b.Fatal("the contact page lacks the coverage")
			}
			for b.Loop() {
				get(path)
			}
		})
	}
}
