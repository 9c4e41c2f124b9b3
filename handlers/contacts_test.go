package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// contactForm is a valid contact form for "Jürgen Müller-Lüdenscheidt".
func contactForm() url.Values {
	return url.Values{
		"first_name": {"Jürgen"}, "last_name": {"Müller-Lüdenscheidt"}, "kind": {"journalist"},
		"title": {"Ressortleiter Wirtschaft"}, "city": {"München"}, "region": {"München"}, "country": {"de"},
		"email": {"J.Mueller@Example.de", ""}, "email_type": {"work", "work"},
		"phone": {"+49 89 1234-567"}, "phone_type": {"work"},
		"channel_platform": {"x", "instagram", ""}, "channel_handle": {"https://twitter.com/JMueller_SZ?s=20", "@juergen.m", ""},
		"channel_followers": {"12.500", "800", ""},
		"outlet":            {"Süddeutsche Zeitung"}, "outlet_role": {"Redakteur"},
		"topics": {"IT, Gesundheit, it"}, "tags": {"VIP"},
		"stage": {"engaged"}, "lawful_basis": {"legitimate_interest"}, "consent_state": {"none"},
	}
}

func TestContactCreateShowEdit(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.login("anna@example.com")
		b.get("/contacts/new")
		p := b.post("/contacts", contactForm())
		wantStatus(t, p, http.StatusSeeOther)
		id := idFrom(t, p)

		p = b.get("/contacts/" + id)
		wantStatus(t, p, http.StatusOK)
		if got := p.text(`[data-testid="contact-name"]`); got != "Jürgen Müller-Lüdenscheidt" {
			t.Errorf("name %q", got)
		}
		if got := p.text(`[data-testid="flash"]`); got != "Contact created." {
			t.Errorf("flash %q", got)
		}
		if got := p.text(`[data-testid="emails"]`); !strings.Contains(got, "j.mueller@example.de") {
			t.Errorf("e-mail not normalised: %q", got)
		}
		ch := p.text(`[data-testid="channels"]`)
		for _, want := range []string{"jmueller_sz", "12,500 followers", "juergen.m"} {
			if !strings.Contains(ch, want) {
				t.Errorf("channels %q lack %q", ch, want)
			}
		}
		if got := p.text(`[data-testid="reach"]`); got != "13,300" {
			t.Errorf("reach %q, want 13,300", got)
		}
		if got := p.text(`[data-testid="outlets"]`); !strings.Contains(got, "Süddeutsche Zeitung") {
			t.Errorf("outlets %q", got)
		}
		if got := p.text(`[data-testid="topics"]`); got != "GesundheitIT" {
			t.Errorf("topics %q, want Gesundheit and IT once each", got)
		}

		// Edit round trip: the form comes back filled, and a change saves.
		p = b.get("/contacts/" + id + "/edit")
		wantStatus(t, p, http.StatusOK)
		form := formValues(p)
		if form.Get("first_name") != "Jürgen" || form.Get("version") != "1" || form.Get("topics") != "Gesundheit, IT" && form.Get("topics") != "IT, Gesundheit" {
			t.Fatalf("edit form not filled: %v", form)
		}
		form.Set("title", "Chefredakteur")
		p = b.post("/contacts/"+id, form)
		wantStatus(t, p, http.StatusSeeOther)
		p = b.get("/contacts/" + id)
		if !strings.Contains(p.text("main"), "Chefredakteur") || !strings.Contains(p.text(`[data-testid="channels"]`), "jmueller_sz") {
			t.Errorf("edit lost data: %s", p.text("main"))
		}
	})
}

func TestContactValidation(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.login("anna@example.com")
		b.get("/contacts/new")
		wantStatus(t, b.post("/contacts", contactForm()), http.StatusSeeOther)

		cases := []struct {
			name  string
			edit  func(url.Values)
			field string
		}{
			{"err_no_name", func(f url.Values) { f.Set("first_name", " "); f.Set("last_name", "") }, "last_name"},
			{"err_name_10000_chars", func(f url.Values) { f.Set("last_name", strings.Repeat("ü", 10000)) }, "last_name"},
			{"err_invalid_email", func(f url.Values) { f["email"] = []string{"not-an-address"} }, "emails.0"},
			{"err_handle_taken", func(f url.Values) { f["email"] = nil }, "channels.0"},
			{"err_followers_not_a_number", func(f url.Values) {
				f["channel_handle"] = []string{"new_one"}
				f["channel_followers"] = []string{"viele"}
			}, "channels.0"},
			{"err_country", func(f url.Values) { f.Set("country", "Germany") }, "country"},
			{"err_kind", func(f url.Values) { f.Set("kind", "spy") }, "kind"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				b.get("/contacts/new")
				f := contactForm()
				f.Set("first_name", "Zweite")
				tc.edit(f)
				p := b.post("/contacts", f)
				wantStatus(t, p, http.StatusUnprocessableEntity)
				if p.text(`[data-testid="error-`+tc.field+`"]`) == "" {
					t.Errorf("no error shown at %s; errors: %s", tc.field, p.text(".err, .row-err"))
				}
				kept := formValues(p)
				if kept.Get("title") != "Ressortleiter Wirtschaft" || kept.Get("city") != "München" {
					t.Errorf("input lost on re-render: %v", kept)
				}
			})
		}
		if got := p2(b.get("/contacts/1")).text(`[data-testid="channels"]`); !strings.Contains(got, "jmueller_sz") {
			t.Errorf("first contact's channel changed: %q", got)
		}
		p := b.post("/contacts", url.Values{"last_name": {"x"}})
		wantStatus(t, p, http.StatusSeeOther) // minimal form: defaults apply
		if n := a.db.Client.Contact.Query().CountX(t.Context()); n != 2 {
			t.Errorf("%d contacts, want 2 (the invalid ones must not be stored)", n)
		}
	})
}

func p2(p page) page { return p }

func TestContactXSSIsEscaped(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.login("anna@example.com")
		b.get("/contacts/new")
		f := contactForm()
		payload := `<script>window.__xss=1</script>"><img src=x onerror=alert(1)>`
		f.Set("last_name", payload)
		f.Set("title", payload)
		f["outlet"] = []string{payload}
		f["channel_platform"] = []string{"blog"}
		f["channel_handle"] = []string{"javascript:alert(1)"}
		f["channel_followers"] = []string{"1"}
		id := idFrom(t, b.post("/contacts", f))
		for _, path := range []string{"/contacts/" + id, "/contacts/" + id + "/edit", "/contacts", "/outlets"} {
			p := b.get(path)
			wantStatus(t, p, http.StatusOK)
			if p.doc.Find("script:not([src]), img[onerror]").Length() > 0 || strings.Contains(p.body, "<script>window") {
				t.Errorf("%s: payload became markup", path)
			}
			p.doc.Find("a[href]").Each(func(_ int, s *goquery.Selection) {
				if h, _ := s.Attr("href"); strings.HasPrefix(strings.ToLower(h), "javascript:") {
					t.Errorf("%s: javascript link %q", path, h)
				}
			})
		}
		if got := b.get("/contacts/" + id).text(`[data-testid="contact-name"]`); got != "Jürgen "+payload {
			t.Errorf("name shown as %q", got)
		}
	})
}

func TestContactNotFoundAndTooLarge(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.login("anna@example.com")
		for _, path := range []string{"/contacts/999999", "/contacts/abc", "/contacts/-1/edit", "/outlets/77", "/nowhere"} {
			p := b.get(path)
			wantStatus(t, p, http.StatusNotFound)
			if p.doc.Find(`[data-testid="error-page"]`).Length() != 1 {
				t.Errorf("%s: no error page", path)
			}
		}
		big := url.Values{"last_name": {strings.Repeat("x", 20<<20)}}
		p := b.post("/contacts", big)
		wantStatus(t, p, http.StatusRequestEntityTooLarge)
		p = b.post("/contacts/999999", contactForm())
		wantStatus(t, p, http.StatusNotFound)
	})
}

func TestContactStaleEditConflicts(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		a.user("ben@example.com", "staff")
		anna, ben := a.browser(), a.browser()
		anna.login("anna@example.com")
		ben.login("ben@example.com")
		anna.get("/contacts/new")
		id := idFrom(t, anna.post("/contacts", contactForm()))

		annaForm := formValues(anna.get("/contacts/" + id + "/edit"))
		benForm := formValues(ben.get("/contacts/" + id + "/edit"))
		benForm.Set("title", "Bens Titel")
		wantStatus(t, ben.post("/contacts/"+id, benForm), http.StatusSeeOther)

		annaForm.Set("title", "Annas Titel")
		p := anna.post("/contacts/"+id, annaForm)
		wantStatus(t, p, http.StatusConflict)
		if got := formValues(p).Get("title"); got != "Annas Titel" {
			t.Errorf("Anna's input lost: title %q", got)
		}
		if rows := p.doc.Find(`[data-testid="conflict-row"]`); rows.Length() != 1 ||
			rows.Find(`[data-testid="conflict-saved"]`).Text() != "Bens Titel" || rows.Find(`[data-testid="conflict-yours"]`).Text() != "Annas Titel" {
			t.Errorf("409 page does not show both versions: %q", p.text(`[data-testid="conflict"]`))
		}
		annaForm = formValues(p)
		annaForm.Set("title", "Annas zweiter Titel")
		benForm = formValues(ben.get("/contacts/" + id + "/edit"))
		benForm.Set("title", "Bens neuer Titel")
		wantStatus(t, ben.post("/contacts/"+id, benForm), http.StatusSeeOther)
		p = anna.postIn("/contacts/"+id, "de", annaForm)
		wantStatus(t, p, http.StatusConflict)
		if got, want := p.text(`[data-testid="form-error"]`), "Jemand anderes hat diesen Kontakt gespeichert, nachdem Sie ihn geöffnet haben. "+
			"Vergleichen Sie unten; Ihre Eingabe bleibt im Formular, und erneutes Speichern ersetzt, was jetzt gespeichert ist."; got != want {
			t.Errorf("the German 409 says %q, want %q", got, want)
		}
		if got := p.text(`[data-testid="conflict-row"] td:first-child`); got != "Titel" {
			t.Errorf("the German 409's field is %q, want Titel", got)
		}
		if !strings.Contains(anna.get("/contacts/"+id).text("main"), "Bens neuer Titel") {
			t.Error("Ben's save was overwritten by a stale form")
		}
	})
}

func TestContactDelete(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		a.user("max@example.com", "manager")
		staff := a.browser()
		staff.login("anna@example.com")
		staff.get("/contacts/new")
		id := idFrom(t, staff.post("/contacts", contactForm()))
		p := staff.get("/contacts/" + id + "/edit")
		if p.doc.Find(`[data-testid="delete-contact"]`).Length() != 0 {
			t.Error("staff are offered a delete they may not do")
		}
		wantStatus(t, staff.post("/contacts/"+id+"/delete", url.Values{"confirm": {"yes"}}), http.StatusForbidden)

		wantStatus(t, staff.get("/contacts/"+id+"/delete"), http.StatusForbidden)

		b := a.browser()
		b.login("max@example.com")
		p = b.get("/contacts/" + id + "/edit")
		if href, _ := p.doc.Find(`[data-testid="delete-contact-start"]`).Attr("href"); href != "/contacts/"+id+"/delete" {
			t.Errorf("the edit page's delete leads to %q, want the confirm page", href)
		}
		p = b.get("/contacts/" + id + "/delete")
		wantStatus(t, p, http.StatusOK)
		if got := strings.Join(strings.Fields(p.doc.Find("h1").Text()), " "); got != "Delete Jürgen Müller-Lüdenscheidt?" {
			t.Errorf("confirm page heading %q, want the name", got)
		}
		for sel, want := range map[string]string{"delete-interactions": "0", "delete-tasks": "0", "delete-emails": "1", "delete-channels": "2"} {
			if got := p.doc.Find(`[data-testid="` + sel + `"]`).Text(); got != want {
				t.Errorf("confirm page %s = %q, want %q", sel, got, want)
			}
		}
		p = b.post("/contacts/"+id+"/delete", url.Values{})
		wantStatus(t, p, http.StatusSeeOther)
		if loc := p.header.Get("Location"); loc != "/contacts/"+id+"/delete" {
			t.Errorf("a delete without confirm went to %q, want the confirm page", loc)
		}
		wantStatus(t, b.get("/contacts/"+id), http.StatusOK)
		b.get("/contacts/" + id + "/edit")
		wantStatus(t, b.post("/contacts/"+id+"/delete", url.Values{"confirm": {"yes"}}), http.StatusSeeOther)
		wantStatus(t, b.get("/contacts/"+id), http.StatusNotFound)
	})
}

func TestContactListFiltersSortsAndPages(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.login("anna@example.com")
		b.get("/contacts/new")
		for i := range 120 {
			f := url.Values{"first_name": {fmt.Sprintf("Person%03d", i)}, "last_name": {[]string{"Özdemir", "Abel", "Zoë"}[i%3]},
				"kind": {[]string{"journalist", "blogger"}[i%2]}, "region": {[]string{"Berlin", "München"}[i%2]},
				"topics": {[]string{"IT", "Mode"}[i%2]}, "channel_platform": {"x"},
				"channel_handle": {fmt.Sprintf("p%d", i)}, "channel_followers": {fmt.Sprint(i * 10)}}
			wantStatus(t, b.post("/contacts", f), http.StatusSeeOther)
		}
		for _, sort := range []string{"name", "reach", "last_interaction"} {
			seen := map[string]bool{}
			var order []string
			next := "/contacts?sort=" + sort
			for next != "" {
				p := b.get(next)
				wantStatus(t, p, http.StatusOK)
				p.doc.Find(`[data-testid="contact-row"] td:first-child a`).Each(func(_ int, s *goquery.Selection) {
					if seen[s.Text()] {
						t.Errorf("%s: %s on two pages", sort, s.Text())
					}
					seen[s.Text()] = true
					order = append(order, s.Text())
				})
				next, _ = p.doc.Find(`[data-testid="next-page"]`).Attr("href")
			}
			if len(seen) != 120 {
				t.Errorf("sort %s: paged through %d contacts, want 120", sort, len(seen))
			}
			if sort == "reach" && (order[0] != "Person119 Zoë" && order[0] != "Person119 Abel" && order[0] != "Person119 Özdemir") {
				t.Errorf("reach sort starts with %s", order[0])
			}
		}
		p := b.get("/contacts?kind=blogger&region=M%C3%BCnchen&topic=Mode")
		for _, name := range []string{"kind", "region", "topic", "tag", "owner", "stage", "sort"} {
			if p.doc.Find(`[data-testid="filters"] select[name="`+name+`"]`).Length() != 1 {
				t.Errorf("filter %s is not a select", name)
			}
		}
		if sel, _ := p.doc.Find(`select[name="region"] option[selected]`).Attr("value"); sel != "München" {
			t.Errorf("region filter shows %q selected", sel)
		}
		if strings.Contains(p.text("main"), "@components") {
			t.Error("template code leaked into the page")
		}
		if got := p.text(`[data-testid="total"]`); got != "60 contacts" {
			t.Errorf("filtered total %q, want 60 contacts", got)
		}
		p = b.get("/contacts?kind=journalist&region=M%C3%BCnchen")
		if got := p.text(`[data-testid="total"]`); got != "0 contacts" || p.doc.Find(`[data-testid="empty"]`).Length() != 1 {
			t.Errorf("empty filter: total %q", got)
		}
		wantStatus(t, b.get("/contacts?after=garbage"), http.StatusUnprocessableEntity)
	})
}

// formValues reads the values a browser would submit from the contact form.
func formValues(p page) url.Values {
	v := url.Values{}
	p.doc.Find(`[data-testid="contact-form"]`).Find("input, select, textarea").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		typ, _ := s.Attr("type")
		switch {
		case name == "":
		case goquery.NodeName(s) == "select":
			opt := s.Find("option[selected]")
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			val, _ := opt.Attr("value")
			v.Add(name, val)
		case goquery.NodeName(s) == "textarea":
			v.Add(name, s.Text())
		case typ == "checkbox":
			if _, ok := s.Attr("checked"); ok {
				val, _ := s.Attr("value")
				v.Add(name, val)
			}
		default:
			val, _ := s.Attr("value")
			v.Add(name, val)
		}
	})
	return v
}

func TestOutletPages(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.login("anna@example.com")
		b.get("/contacts/new")
		idFrom(t, b.post("/contacts", contactForm()))
		p := b.get("/outlets")
		wantStatus(t, p, http.StatusOK)
		href, _ := p.doc.Find(`[data-testid="outlets"] a`).First().Attr("href")
		p = b.get(href)
		wantStatus(t, p, http.StatusOK)
		if got := p.text(`[data-testid="outlet-people"]`); !strings.Contains(got, "Jürgen Müller-Lüdenscheidt") {
			t.Errorf("outlet people %q", got)
		}
		b.get(href + "/edit")
		f := url.Values{"name": {"SZ – Süddeutsche Zeitung"}, "type": {"newspaper"}, "website": {"https://www.sueddeutsche.de"}, "region": {"München"}, "audience": {"1200000"}}
		wantStatus(t, b.post(href, f), http.StatusSeeOther)
		if got := b.get(href).text(`[data-testid="outlet-name"]`); got != "SZ – Süddeutsche Zeitung" {
			t.Errorf("renamed outlet shows %q", got)
		}
		f.Set("website", "javascript:alert(1)")
		p = b.post(href, f)
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if p.text(`[data-testid="error-website"]`) == "" {
			t.Error("javascript: website accepted")
		}
	})
}

// TestAdvocateOnlyByReview: the contact form cannot make an advocate; only an
// approved nomination can.
func TestAdvocateOnlyByReview(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		b := a.browser()
		b.login("anna@example.com")
		b.get("/contacts/new")
		f := contactForm()
		f.Set("stage", "advocate")
		p := b.post("/contacts", f)
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if p.text(`[data-testid="error-stage"]`) == "" {
			t.Error("no explanation at the stage field")
		}
		f.Set("stage", "supporter")
		id := idFrom(t, b.post("/contacts", f))
		form := formValues(b.get("/contacts/" + id + "/edit"))
		form.Set("stage", "advocate")
		wantStatus(t, b.post("/contacts/"+id, form), http.StatusUnprocessableEntity)
	})
}
