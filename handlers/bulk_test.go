package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/tag"
)

// TestBulkFromTheList: staff tick "all matching" on a filtered contact
// list, the preview names how many change and which are skipped, the
// confirmation changes exactly the list's members, and the undo restores
// them; a staff member may not lift do-not-contact, nor see someone else's
// action.
func TestBulkFromTheList(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		a.user("other@example.com", "staff")
		for i := range 4 {
			a.person(fmt.Sprintf("Berlin%d", i), "engaged")
		}
		ctx := t.Context()
		mc, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{FirstName: "Maria", LastName: "Huber", Region: "München",
			Stage: "aware", DoNotContact: true})
		if err != nil {
			t.Fatal(err)
		}
		munich := mc.ID
		s := a.browser()
		s.login("staff@example.com")
		list := s.get("/contacts?region=Berlin")
		wantStatus(t, list, http.StatusOK)
		if got := list.text(`[data-testid="bulk-all"]`); got != "All 4 matching" {
			t.Fatalf("all button %q", got)
		}
		if got := s.getIn("/contacts?region=Berlin", "de").text(`[data-testid="bulk-all"]`); got != "Alle 4 Treffer" {
			t.Errorf("all button in German %q", got)
		}
		if n := list.doc.Find(`[data-testid="bulk-tick"]`).Length(); n != 4 {
			t.Fatalf("%d checkboxes", n)
		}
		form := url.Values{"action": {"add_tag"}, "value": {"Weihnachtskarte"}, "scope": {"all"}, "s.region": {"Berlin"},
			"back": {"/contacts?region=Berlin"}}
		p := s.post("/bulk/preview", form)
		wantStatus(t, p, http.StatusOK)
		if got := p.text(`[data-testid="bulk-summary"]`); got != "4 of 4 contacts will change." {
			t.Fatalf("preview %q", got)
		}
		p = s.post("/bulk", form)
		wantStatus(t, p, http.StatusSeeOther)
		showURL := p.header.Get("Location")
		show := s.get(showURL)
		if got, want := s.getIn(showURL, "de").text("h1"), "Sammeländerung Nr. "+path.Base(strings.SplitN(showURL, "?", 2)[0]); got != want {
			t.Errorf("German heading %q, want %q", got, want)
		}
		if got := show.text(`[data-testid="bulk-result"]`); got != "4 of 4 done: 4 changed, 0 unchanged." {
			t.Fatalf("result %q", got)
		}
		tagged := a.db.Client.Contact.Query().Where(contact.HasTagsWith(tag.Name("Weihnachtskarte"))).IDsX(ctx)
		berlin := a.db.Client.Contact.Query().Where(contact.Region("Berlin")).IDsX(ctx)
		if fmt.Sprint(tagged) != fmt.Sprint(berlin) {
			t.Fatalf("tagged %v, Berlin %v", tagged, berlin)
		}
		// the same again: all skipped, nothing to confirm
		p = s.post("/bulk/preview", form)
		if got := p.text(`[data-testid="bulk-skipped"]`); got != "4 skipped: already as chosen" {
			t.Fatalf("skipped %q", got)
		}
		if p.doc.Find(`[data-testid="bulk-confirm"]`).Length() != 0 {
			t.Fatal("a confirm button for nothing to change")
		}
		// someone else cannot see or undo it
		o := a.browser()
		o.login("other@example.com")
		wantStatus(t, o.get(showURL), http.StatusNotFound)
		undo := show.doc.Find(`[data-testid="bulk-undo"]`).AttrOr("action", "")
		wantStatus(t, o.post(undo, url.Values{}), http.StatusNotFound)
		wantStatus(t, s.post(undo, url.Values{}), http.StatusSeeOther)
		if n := a.db.Client.Contact.Query().Where(contact.HasTagsWith(tag.Name("Weihnachtskarte"))).CountX(ctx); n != 0 {
			t.Fatalf("%d still tagged after the undo", n)
		}
		if got := s.get(showURL).text(`[data-testid="bulk-status"]`); got != "Status: Undone" {
			t.Fatalf("status %q", got)
		}
		// lifting do-not-contact: managers only
		p = s.post("/bulk", url.Values{"action": {"set_do_not_contact"}, "value": {"false"}, "scope": {"rows"},
			"ids": {fmt.Sprint(munich)}})
		wantStatus(t, p, http.StatusForbidden)
		// the page scope and the value asked for on the preview
		p = s.post("/bulk/preview", url.Values{"action": {"set_stage"}, "scope": {"page"}, "page_ids": {fmt.Sprint(munich)}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if p.doc.Find(`select[name="value"] option[value="advocate"]`).Length() != 0 {
			t.Fatal("advocate offered as a bulk stage")
		}
		if !strings.Contains(p.text(`form[data-testid="bulk-choose"]`), "Choose a stage.") {
			t.Fatalf("no message: %q", p.text(`form[data-testid="bulk-choose"]`))
		}
		if got := s.get("/bulk").doc.Find(`[data-testid="bulk-row"]`).Length(); got != 1 {
			t.Fatalf("%d recent actions", got)
		}
		// the list says the tag it added, in the reader's words, as the action's own page does
		if got := s.getIn("/bulk", "de").text(`[data-testid="bulk-row"] td:nth-child(2)`); got != "Schlagwort „Weihnachtskarte“ hinzufügen" {
			t.Fatalf("list row %q", got)
		}
		if got := s.get("/bulk").text(`[data-testid="bulk-row"] td:nth-child(2)`); got != "add tag “Weihnachtskarte”" {
			t.Fatalf("list row in English %q", got)
		}
	})
}
