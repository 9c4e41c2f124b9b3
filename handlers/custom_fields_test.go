package handlers_test

import (
	"net/http"

	"github.com/PuerkitoBio/goquery"
	"net/url"
	"strings"
	"testing"
)

// TestCustomFieldsPages: an admin defines fields; a staff member fills them
// on the contact form (a wrong number is refused beside its input, which
// keeps what was typed), sees them on the contact page and as list columns,
// and filters the list by them; a type change shows its preview first.
func TestCustomFieldsPages(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("admin@example.com", "admin")
		a.user("anna@example.com", "staff")
		adm := a.browser()
		adm.login("admin@example.com")
		adm.get("/settings/fields")
		for _, f := range []url.Values{
			{"entity": {"contact"}, "type": {"choice"}, "label_en": {"Embargo time"}, "label_de": {"Sperrfrist"}, "choices": {"Morning\nNoon\r\nEvening"}, "in_list": {"1"}},
			{"entity": {"contact"}, "type": {"number"}, "label_en": {"Circulation"}, "label_de": {"Auflage"}, "in_list": {"1"}},
			{"entity": {"contact"}, "type": {"date"}, "label_en": {"Birthday"}, "label_de": {"Geburtstag"}},
			{"entity": {"contact"}, "type": {"bool"}, "label_en": {"Press pass"}, "label_de": {"Presseausweis"}},
			{"entity": {"outlet"}, "type": {"text"}, "label_en": {"Account no"}, "label_de": {"Kundennummer"}},
		} {
			wantStatus(t, adm.post("/settings/fields", f), http.StatusSeeOther)
		}
		p := adm.post("/settings/fields", url.Values{"entity": {"contact"}, "type": {"choice"}, "label_en": {""}, "label_de": {"X"}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if got := p.text(`[data-testid="error-label_en"]`); got != "Enter a label of at most 100 characters." {
			t.Errorf("label error %q", got)
		}
		if got := p.text(`[data-testid="error-choices"]`); got != "Enter the choices, one per line." {
			t.Errorf("choices error %q", got)
		}
		p = adm.get("/settings/fields")
		if got := p.text(`[data-testid="fields-contact"] tbody`); !strings.Contains(got, "Embargo time") || !strings.Contains(got, "Morning, Noon, Evening") {
			t.Errorf("contact fields %q", got)
		}
		if got := p.text(`[data-testid="fields-outlet"] tbody`); !strings.Contains(got, "Kundennummer") {
			t.Errorf("outlet fields %q", got)
		}

		b := a.browser()
		b.login("anna@example.com")
		p = b.get("/contacts/new")
		if got := p.text(`[data-testid="custom-fields"]`); !strings.Contains(got, "Embargo time") || !strings.Contains(got, "Press pass") {
			t.Fatalf("form lacks the custom fields: %q", got)
		}
		form := contactForm()
		form.Set("custom.embargo_time", "Noon")
		form.Set("custom.circulation", "zwölf")
		form.Set("custom.birthday", "1980-12-24")
		form.Set("custom.press_pass", "yes")
		p = b.post("/contacts", form)
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if got := p.text(`[data-testid="error-custom.circulation"]`); got != "Enter a number such as 12 or 12.5." {
			t.Errorf("number error %q", got)
		}
		if v, _ := p.doc.Find(`input[name="custom.circulation"]`).Attr("value"); v != "zwölf" {
			t.Errorf("typed number not kept: %q", v)
		}
		if _, sel := p.doc.Find(`select[name="custom.embargo_time"] option[value="Noon"]`).Attr("selected"); !sel {
			t.Error("choice not kept")
		}
		form.Set("custom.circulation", "12.500,5")
		p = b.post("/contacts", form)
		if p.status != http.StatusSeeOther {
			t.Fatalf("status %d: %q %q", p.status, p.text(".error-box"), p.text(".err"))
		}
		id := idFrom(t, p)
		p = b.get("/contacts/" + id)
		for key, want := range map[string]string{"embargo_time": "Noon", "circulation": "12,500.5", "birthday": "Dec 24, 1980", "press_pass": "yes"} {
			if got := p.text(`[data-testid="custom-value-` + key + `"]`); got != want {
				t.Errorf("contact page %s %q, want %q", key, got, want)
			}
		}
		other := url.Values{"first_name": {"Eva"}, "last_name": {"Weber"}, "custom.embargo_time": {"Morning"}}
		wantStatus(t, b.post("/contacts", other), http.StatusSeeOther)

		p = b.get("/contacts?" + url.Values{"cf.embargo_time.any": {"Noon"}}.Encode())
		if got := p.text(`[data-testid="contact-row"]`); !strings.Contains(got, "Jürgen") || strings.Contains(got, "Eva") {
			t.Errorf("filtered list %q", got)
		}
		if got := p.text(`[data-testid="cell-circulation"]`); got != "12,500.5" {
			t.Errorf("circulation column %q", got)
		}
		if got := p.text(`[data-testid="column-embargo_time"]`); got != "Embargo time" {
			t.Errorf("column header %q", got)
		}
		if _, sel := p.doc.Find(`select[name="cf.embargo_time.any"] option[value="Noon"]`).Attr("selected"); !sel {
			t.Error("the filter form does not keep the filter")
		}
		// saved as a segment from the list's own form: it counts what the list shows
		seg := url.Values{"name": {"Mittags"}}
		p.doc.Find(`[data-testid="save-segment"] input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
			if n, _ := s.Attr("name"); n != "_csrf" {
				v, _ := s.Attr("value")
				seg.Add(n, v)
			}
		})
		if seg.Get("cf.embargo_time.any") != "Noon" {
			t.Fatalf("the save-segment form lacks the custom filter: %v", seg)
		}
		wantStatus(t, b.post("/segments", seg), http.StatusSeeOther)
		p = b.get("/segments")
		if got := p.text(`[data-testid="segment-count"]`); got != "1" {
			t.Errorf("segment count %q, want 1", got)
		}
		if got := p.text(`[data-testid="segment-row"]`); !strings.Contains(got, "embargo_time: Noon") {
			t.Errorf("segment summary %q", got)
		}
		p = b.get("/contacts?" + url.Values{"cf.circulation.min": {"13000"}}.Encode())
		if got := p.text(`[data-testid="total"]`); got != "0 contacts" {
			t.Errorf("min filter total %q", got)
		}

		// outlets: their own fields, through the outlet form
		b.get("/outlets/new")
		p = b.post("/outlets", url.Values{"name": {"Kölner Stadt-Anzeiger"}, "type": {"newspaper"}, "custom.account_no": {"K-4711"}})
		wantStatus(t, p, http.StatusSeeOther)
		p = b.get(p.header.Get("Location"))
		if got := p.text(`[data-testid="custom-value-account_no"]`); got != "K-4711" {
			t.Errorf("outlet page %q", got)
		}

		// a type change: the preview first, then the conversion
		p = adm.get("/settings/fields")
		href, _ := p.doc.Find(`[data-testid="edit-embargo_time"]`).Attr("href")
		change := url.Values{"type": {"multi"}, "label_en": {"Embargo time"}, "label_de": {"Sperrfrist"}, "choices": {"Noon\nEvening"}}
		p = adm.post(href, change)
		wantStatus(t, p, http.StatusOK)
		if got := p.text(`[data-testid="preview-counts"]`); got != "Of 2 stored values, 1 are converted, 0 stay as they are and 1 do not fit and are removed; each record's audit trail keeps its old value." {
			t.Errorf("preview %q", got)
		}
		change.Set("confirm", "1")
		wantStatus(t, adm.post(href, change), http.StatusSeeOther)
		p = b.get("/contacts/" + id)
		if got := p.text(`[data-testid="custom-value-embargo_time"]`); got != "Noon" {
			t.Errorf("after the change %q", got)
		}
		p = b.get("/contacts?" + url.Values{"cf.embargo_time.any": {"Noon"}}.Encode())
		if got := p.text(`[data-testid="total"]`); got != "1 contact" {
			t.Errorf("after the change the filter finds %q", got)
		}
	})
}
