package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDoNotContactLift: staff set do-not-contact from the contact page but
// cannot lift it (the form answers 422, the lift route 403); a manager
// lifts it with a reason, which the consent history shows.
func TestDoNotContactLift(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		a.user("manager@example.com", "manager")
		s := a.browser()
		s.login("staff@example.com")
		s.get("/contacts/new")
		id := idFrom(t, s.post("/contacts", contactForm()))
		s.get("/contacts/" + id)
		p := s.post("/contacts/"+id+"/consent", url.Values{"lawful_basis": {"legitimate_interest"}, "consent_state": {"none"},
			"do_not_contact": {"1"}, "consent_source": {"Anruf in der Redaktion"}, "consent_evidence": {"Bat am Telefon um keine Mails"}})
		wantStatus(t, p, http.StatusSeeOther)
		page := s.get("/contacts/" + id)
		if page.text(`[data-testid="dnc"]`) == "" || !strings.Contains(page.text(`[data-testid="consent-history"]`), "Bat am Telefon um keine Mails") {
			t.Fatalf("do-not-contact not shown with its evidence: %q", page.text(`#consent`))
		}
		p = s.post("/contacts/"+id+"/consent", url.Values{"lawful_basis": {"legitimate_interest"}, "consent_state": {"none"}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if !strings.Contains(p.text(`[data-testid="error-do_not_contact"]`), "Only a manager") {
			t.Errorf("staff lift: %q", p.text(`#consent`))
		}
		wantStatus(t, s.post("/contacts/"+id+"/consent/lift", url.Values{"lift_reason": {"weil"}}), http.StatusForbidden)

		m := a.browser()
		m.login("manager@example.com")
		m.get("/contacts/" + id)
		wantStatus(t, m.post("/contacts/"+id+"/consent/lift", url.Values{"lift_reason": {""}}), http.StatusUnprocessableEntity)
		wantStatus(t, m.post("/contacts/"+id+"/consent/lift", url.Values{"lift_reason": {"Hat sich per E-Mail wieder angemeldet"}}), http.StatusSeeOther)
		page = m.get("/contacts/" + id)
		if page.text(`[data-testid="dnc"]`) != "" {
			t.Error("do-not-contact still set after the lift")
		}
		if got := page.text(`[data-testid="lift-reason"]`); got != "Hat sich per E-Mail wieder angemeldet" {
			t.Errorf("lift reason in the history: %q", got)
		}
		if !strings.Contains(page.text(`[data-testid="consent-history"]`), "Test manager") {
			t.Errorf("the lift does not say who: %q", page.text(`[data-testid="consent-history"]`))
		}
	})
}

// TestPrivacyDesk: an access request goes on the /privacy queue with its
// deadline, its report renders as a page and as JSON; an erasure shows as
// an id among the recent erasures, and the contact is gone.
func TestPrivacyDesk(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("manager@example.com", "manager")
		m := a.browser()
		m.login("manager@example.com")
		m.get("/contacts/new")
		id := idFrom(t, m.post("/contacts", contactForm()))
		m.get("/contacts/" + id)
		p := m.post("/contacts/"+id+"/access-request", url.Values{})
		wantStatus(t, p, http.StatusSeeOther)
		req := p.header.Get("Location")
		page := m.get(req)
		wantStatus(t, page, http.StatusOK)
		if got := page.text(`[data-testid="access-name"]`); got != "Data held about Jürgen Müller-Lüdenscheidt" {
			t.Errorf("report heading %q", got)
		}
		if !strings.Contains(page.text(`[data-testid="access-contact"]`), "j.mueller@example.de") {
			t.Errorf("report fields: %q", page.text(`[data-testid="access-contact"]`))
		}
		js := m.get(req + "/export.json")
		var rep struct {
			Name     string
			Sections []struct{ Key string }
		}
		if err := json.Unmarshal([]byte(js.body), &rep); err != nil || rep.Name != "Jürgen Müller-Lüdenscheidt" || len(rep.Sections) < 8 {
			t.Errorf("JSON report %v: %.300s", err, js.body)
		}
		desk := m.get("/privacy")
		wantStatus(t, desk, http.StatusOK)
		if n := desk.doc.Find(`[data-testid="open-request"]`).Length(); n != 1 {
			t.Errorf("%d open requests on /privacy, want 1", n)
		}
		if !strings.Contains(desk.text(`[data-testid="by-basis"]`), "1") {
			t.Errorf("counts by basis: %q", desk.text(`[data-testid="by-basis"]`))
		}
		wantStatus(t, m.post("/contacts/"+id+"/erase", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
		desk = m.get("/privacy")
		if got := desk.text(`[data-testid="erasures"]`); !strings.Contains(got, "contact #"+id+" erased") {
			t.Errorf("recent erasures: %q", got)
		}
		if n := desk.doc.Find(`[data-testid="open-request"]`).Length(); n != 0 {
			t.Errorf("the erasure left %d open requests", n)
		}
		wantStatus(t, m.get("/contacts/"+id), http.StatusNotFound)
		m.get("/contacts/new")
		again := m.post("/contacts", contactForm())
		wantStatus(t, again, http.StatusUnprocessableEntity)
		if got := again.text(`[data-testid="error-emails.0"]`); !strings.Contains(got, "This person asked to be erased on") {
			t.Errorf("re-creating the erased person: %q", got)
		}
		x := m.get("/privacy/record.xlsx")
		if x.status != http.StatusOK || !strings.HasPrefix(x.body, "PK") {
			t.Errorf("record of processing: %d %.20q", x.status, x.body)
		}
		// German counts have thousands separators.
		seedPeople(t, a.db, 500)
		seedPeople(t, a.db, 500)
		if got := m.getIn("/privacy", "de").text(`[data-testid="privacy-totals"]`); !strings.HasPrefix(got, "1.000 Kontakte ·") {
			t.Errorf("German totals: %q, want 1.000 Kontakte", got)
		}
	})
}
