package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestDuplicateWarningAndList: the form's live check names the stored
// contact; without JavaScript a submit of a duplicate is held with the
// warning (422, nothing saved) until confirmed; /duplicates lists the pair
// with its evidence; the region is saved canonical from the form.
func TestDuplicateWarningAndList(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		b := a.browser()
		b.login("staff@example.com")
		b.get("/contacts/new")
		first := url.Values{"first_name": {"Miriam"}, "last_name": {"Klein"}, "email": {"miriam.klein@sz.example"}, "email_type": {"work"},
			"city": {"Munich"}, "outlet": {"Süddeutsche Zeitung"}, "outlet_role": {""}}
		p := b.post("/contacts", first)
		wantStatus(t, p, http.StatusSeeOther)
		id := idFrom(t, p)
		c, err := a.db.Client.Contact.Get(t.Context(), atoi(t, id))
		if err != nil || c.City != "München" || c.Region != "Bayern" {
			t.Fatalf("form saved city %q region %q (%v)", c.City, c.Region, err)
		}

		check := b.get("/contacts/duplicate-check?first_name=Miriam&last_name=Klein&email=Miriam.Klein%40SZ.example")
		wantStatus(t, check, http.StatusOK)
		if got := check.text(`[data-testid="duplicate-hint"]`); !strings.Contains(got, "Miriam Klein (#"+id+"): same e-mail miriam.klein@sz.example") {
			t.Errorf("live check %q", got)
		}
		if href, _ := check.doc.Find(`[data-testid="duplicate-hint"] a`).Attr("href"); href != "/contacts/"+id {
			t.Errorf("hint links to %q", href)
		}
		if got := b.get("/contacts/duplicate-check?first_name=Jonas&last_name=Brandt").text(`[data-testid="duplicate-warning"]`); got != "" {
			t.Errorf("warning for a new person: %q", got)
		}

		second := url.Values{"first_name": {"Miriam"}, "last_name": {"Klein"}, "email": {"MIRIAM.KLEIN@sz.example"}, "email_type": {"work"}}
		p = b.post("/contacts", second)
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if got := p.text(`[data-testid="duplicate-hint"]`); !strings.Contains(got, "same e-mail") || p.doc.Find(`[data-testid="confirm-duplicate"]`).Length() != 1 {
			t.Errorf("submit without confirmation: %q", got)
		}
		if v, _ := p.doc.Find(`input[name="first_name"]`).Attr("value"); v != "Miriam" {
			t.Errorf("the form lost the user's input: %q", v)
		}
		if n := a.db.Client.Contact.Query().CountX(t.Context()); n != 1 {
			t.Fatalf("%d contacts after the held submit", n)
		}
		// Same e-mail cannot be stored twice; a similar name at the same outlet can, once confirmed.
		third := url.Values{"first_name": {"Miriam"}, "last_name": {"Kleine"}, "outlet": {"Süddeutsche Zeitung"}, "outlet_role": {""}}
		wantStatus(t, b.post("/contacts", third), http.StatusUnprocessableEntity)
		third.Set("confirm_duplicate", "1")
		wantStatus(t, b.post("/contacts", third), http.StatusSeeOther)

		p = b.get("/duplicates")
		wantStatus(t, p, http.StatusOK)
		if got := p.text(`[data-testid="duplicate-pair"]`); !strings.Contains(got, "Miriam Klein") || !strings.Contains(got, "Miriam Kleine") ||
			!strings.Contains(got, "names sound alike (Kölner Phonetik); same outlet") {
			t.Errorf("duplicates page %q", got)
		}
	})
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n := 0
	for _, r := range s {
		if r < '0' || r > '9' {
			t.Fatalf("not an id: %q", s)
		}
		n = n*10 + int(r-'0')
	}
	return n
}

// TestPlacesPage: an admin adds a spelling and normalises the stored
// contacts; the report names what changed.
func TestPlacesPage(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("admin@example.com", "admin")
		b := a.browser()
		b.login("admin@example.com")
		b.get("/contacts/new")
		wantStatus(t, b.post("/contacts", url.Values{"first_name": {"Lena"}, "last_name": {"Schulz"}, "region": {"OWL"}}), http.StatusSeeOther)
		b.get("/outlets/new")
		wantStatus(t, b.post("/outlets", url.Values{"name": {"Westfalen-Blatt"}, "type": {"newspaper"}, "region": {"OWL"}}), http.StatusSeeOther)
		b.get("/settings/places")
		p := b.post("/settings/places", url.Values{"kind": {"region"}, "name": {""}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		p = b.post("/settings/places", url.Values{"kind": {"region"}, "name": {"Ostwestfalen-Lippe"}, "aliases": {"OWL, Ostwestfalen"}})
		wantStatus(t, p, http.StatusSeeOther)
		p = b.post("/settings/places/normalize", url.Values{})
		wantStatus(t, p, http.StatusOK)
		if got := p.text(`[data-testid="places-report-count"]`); got != "1 of 1 contacts changed, and the region of 1 outlets." {
			t.Errorf("report %q", got)
		}
		if got := p.text(`[data-testid="places-change"]`); !strings.Contains(got, "OWL") || !strings.Contains(got, "Ostwestfalen-Lippe") {
			t.Errorf("change row %q", got)
		}
		if got := p.text(`[data-testid="place-row"]`); !strings.Contains(got, "Ostwestfalen-Lippe") || !strings.Contains(got, "OWL, Ostwestfalen") {
			t.Errorf("custom places %q", got)
		}
		b.get("/outlets/new")
		p = b.post("/outlets", url.Values{"name": {"Neue Westfälische"}, "type": {"newspaper"}, "region": {"ostwestfalen"}})
		wantStatus(t, p, http.StatusSeeOther)
		if got := b.get(p.header.Get("Location")).text("main"); !strings.Contains(got, "Ostwestfalen-Lippe") {
			t.Errorf("new outlet's page %q, want the region Ostwestfalen-Lippe", got)
		}
	})
}
