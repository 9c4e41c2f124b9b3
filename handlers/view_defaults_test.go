package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/savedview"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/locale"
)

// TestDefaultView: a German user makes a view her default; /contacts
// without a query then lists the same people in the same order as the
// view's own URL and the selection resolver, with the view's columns and
// values, says so and links the plain list (/contacts?view=0). A shared
// view of another can be the default too; one that is deleted or no longer
// visible stops being it without an error; clearing it opens the list
// plain. Every change of the default is audited.
func TestDefaultView(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("anna@example.com", "staff")
		a.user("ben@example.com", "staff")
		annaID := a.db.Client.User.Query().Where(user.Email("anna@example.com")).OnlyIDX(ctx)
		if err := crm.SetLocale(ctx, a.db.Client, annaID, locale.German); err != nil {
			t.Fatal(err)
		}
		viewContacts(t, a.db, viewFields(t, a.db))
		anna := a.browser()
		anna.login("anna@example.com")
		plain := anna.get("/contacts")
		if n := len(rowIDs(plain)); n != 5 || plain.doc.Find(`[data-testid="default-note"]`).Length() != 0 {
			t.Fatalf("plain list: %d rows, default note %q", n, plain.text(`[data-testid="default-note"]`))
		}

		query := "cf.embargo_time.any=Noon&cols=name&cols=region&cols=cf.circulation&sort=reach"
		wantStatus(t, anna.post("/views", url.Values{"name": {"Mittag"}, "query": {query}}), http.StatusSeeOther)
		v := a.db.Client.SavedView.Query().Where(savedview.Name("Mittag")).OnlyX(ctx)
		own := anna.get(fmt.Sprintf("/views/%d", v.ID)).header.Get("Location")
		wantStatus(t, anna.post(fmt.Sprintf("/views/%d/default", v.ID), url.Values{}), http.StatusSeeOther)

		p := anna.get("/contacts")
		wantStatus(t, p, http.StatusOK)
		sels := crm.NewSelections(a.db.Client, a.db.Dialect, nil, nil, nil)
		res, err := sels.Resolve(ctx, crm.Selection{Filter: schema.SegmentFilter{Custom: []schema.CustomFilter{{Key: "embargo_time", Any: []string{"Noon"}}}}, Sort: crm.SortReach}, false)
		if err != nil {
			t.Fatal(err)
		}
		viaURL := rowIDs(anna.get(own))
		if got := rowIDs(p); len(got) != 3 || !slices.Equal(got, viaURL) || !slices.Equal(got, res.All) {
			t.Errorf("/contacts with the default lists %v, the view's URL %v, the resolver %v", got, viaURL, res.All)
		}
		if got := p.doc.Find(`[data-testid="contacts"] thead th`).Length(); got != 3 {
			t.Errorf("%d headings, want the name, region and circulation", got)
		}
		first := p.doc.Find(`[data-testid="contact-row"]`).First()
		for sel, want := range map[string]string{`[data-testid="cell-circulation"]`: "1.234,5", `[data-testid="val-region"]`: "München"} {
			if got := strings.TrimSpace(first.Find(sel).Text()); got != want {
				t.Errorf("first row %s = %q, want %q", sel, got, want)
			}
		}
		if got := p.text(`[data-testid="default-note"] p`); !strings.HasPrefix(got, "Ihre Standardansicht „Mittag“ wird angezeigt.") {
			t.Errorf("default note %q", got)
		}
		if got := p.text(`[data-testid="view-default"]`); got != "Standard" {
			t.Errorf("default badge %q", got)
		}
		href := p.doc.Find(`[data-testid="plain-list"]`).AttrOr("href", "")
		if all := anna.get(href); len(rowIDs(all)) != 5 || all.doc.Find(`[data-testid="column-circulation"]`).Length() != 0 ||
			!strings.Contains(all.text(`[data-testid="default-note"]`), "öffnet mit Ihrer Standardansicht „Mittag“") {
			t.Errorf("%s: %d rows, circulation shown %v, note %q", href, len(rowIDs(all)),
				all.doc.Find(`[data-testid="column-circulation"]`).Length() > 0, all.text(`[data-testid="default-note"]`))
		}

		// A shared view of Ben's as the default; his deleting it ends that.
		ben := a.browser()
		ben.login("ben@example.com")
		ben.get("/contacts")
		wantStatus(t, ben.post("/views", url.Values{"name": {"Presse"}, "shared": {"1"}, "query": {"cf.press_pass.yes=true"}}), http.StatusSeeOther)
		bens := a.db.Client.SavedView.Query().Where(savedview.Name("Presse")).OnlyX(ctx)
		wantStatus(t, anna.post(fmt.Sprintf("/views/%d/default", bens.ID), url.Values{}), http.StatusSeeOther)
		if got := rowIDs(anna.get("/contacts")); len(got) != 1 {
			t.Errorf("Ben's shared view as the default lists %v", got)
		}
		wantStatus(t, ben.post(fmt.Sprintf("/views/%d/delete", bens.ID), url.Values{}), http.StatusSeeOther)
		p = anna.get("/contacts")
		if wantStatus(t, p, http.StatusOK); len(rowIDs(p)) != 5 || p.doc.Find(`[data-testid="default-note"]`).Length() != 0 {
			t.Errorf("after the default's deletion: %d rows, note %q", len(rowIDs(p)), p.text(`[data-testid="default-note"]`))
		}
		if n := a.db.Client.ViewDefault.Query().CountX(ctx); n != 0 {
			t.Errorf("%d defaults left after the view's deletion", n)
		}
		del := a.db.Client.AuditEvent.Query().Where(auditevent.Entity(crm.EntitySavedView), auditevent.EntityID(bens.ID), auditevent.Action("delete")).OnlyX(ctx)
		if got := fmt.Sprint(del.Changes["default_for"]); got != "[1 <nil>]" {
			t.Errorf("the deletion's audit says default_for %s", got)
		}

		// A shared default that is no longer shared is no default for her.
		wantStatus(t, ben.post("/views", url.Values{"name": {"Presse 2"}, "shared": {"1"}, "query": {"cf.press_pass.yes=true"}}), http.StatusSeeOther)
		bens = a.db.Client.SavedView.Query().Where(savedview.Name("Presse 2")).OnlyX(ctx)
		wantStatus(t, anna.post(fmt.Sprintf("/views/%d/default", bens.ID), url.Values{}), http.StatusSeeOther)
		a.db.Client.SavedView.UpdateOne(bens).SetShared(false).ExecX(ctx)
		p = anna.get("/contacts")
		if wantStatus(t, p, http.StatusOK); len(rowIDs(p)) != 5 || p.doc.Find(`[data-testid="default-note"]`).Length() != 0 {
			t.Errorf("a default no longer shared: %d rows, note %q", len(rowIDs(p)), p.text(`[data-testid="default-note"]`))
		}
		wantStatus(t, anna.post(fmt.Sprintf("/views/%d/default", bens.ID), url.Values{}), http.StatusNotFound)

		// Her own again, then cleared: the list opens plain; clearing nothing is no event.
		wantStatus(t, anna.post(fmt.Sprintf("/views/%d/default", v.ID), url.Values{}), http.StatusSeeOther)
		wantStatus(t, anna.post("/views/default/clear", url.Values{}), http.StatusSeeOther)
		wantStatus(t, anna.post("/views/default/clear", url.Values{}), http.StatusSeeOther)
		if p = anna.get("/contacts"); len(rowIDs(p)) != 5 || p.doc.Find(`[data-testid="default-note"]`).Length() != 0 {
			t.Errorf("after clearing: %d rows, note %q", len(rowIDs(p)), p.text(`[data-testid="default-note"]`))
		}
		events := a.db.Client.AuditEvent.Query().Where(auditevent.Entity(crm.EntityUser), auditevent.EntityID(annaID), auditevent.Action("update")).
			Order(ent.Asc(auditevent.FieldID)).AllX(ctx)
		var got []string
		for _, e := range events {
			got = append(got, fmt.Sprint(e.Changes["default_view"]))
		}
		want := []string{"[<nil> Mittag]", "[Mittag Presse]", "[<nil> Presse 2]", "[Presse 2 Mittag]", "[Mittag <nil>]"}
		if !slices.Equal(got, want) {
			t.Errorf("audit of Anna's default: %q, want %q", got, want)
		}
	})
}
