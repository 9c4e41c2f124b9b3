package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/savedview"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/locale"
)

// TestSavedViews: a German user picks columns (custom ones among them, with
// values in German formats), filters by a custom field, saves that as a
// view (its canonical query), opens it again (the same people in the same
// order as the resolver says), renames and deletes it; views list her own
// first, then the team's shared ones; another user's personal view is not
// found, a shared one opens; a manager may change a shared view, nobody
// else's personal one; an over-long name and too many columns are refused
// in German with nothing saved.
func TestSavedViews(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		for _, u := range []struct{ email, role string }{{"anna@example.com", "staff"}, {"ben@example.com", "staff"}, {"mia@example.com", "manager"}} {
			a.user(u.email, u.role)
		}
		annaID := a.db.Client.User.Query().Where(user.Email("anna@example.com")).OnlyIDX(ctx)
		if err := crm.SetLocale(ctx, a.db.Client, annaID, locale.German); err != nil {
			t.Fatal(err)
		}
		fs := viewFields(t, a.db)
		viewContacts(t, a.db, fs)
		anna := a.browser()
		anna.login("anna@example.com")

		list := url.Values{"cf.embargo_time.any": {"Noon"}, "sort": {"reach"},
			"cols": {"name", "region", "tags", "cf.circulation", "cf.birthday", "bogus", "cf.press_pass", "region"}}
		p := anna.get("/contacts?" + list.Encode())
		wantStatus(t, p, http.StatusOK)
		for sel, want := range map[string]string{
			`[data-testid="col-region"]`: "Region", `[data-testid="column-circulation"]`: "Auflage",
			`[data-testid="column-press_pass"]`: "Presseausweis", `[data-testid="column-birthday"]`: "Geburtstag",
			`[data-testid="saved-views"] h2`: "Ansichten", `[data-testid="save-view"] button`: "Ansicht speichern",
			`[data-testid="column-picker"] summary`: "Spalten", `[data-testid="no-views"]`: "Noch keine gespeicherten Ansichten. Wählen Sie Filter, Sortierung und Spalten und speichern Sie sie als Ansicht.",
		} {
			if got := p.text(sel); got != want {
				t.Errorf("%s reads %q, want %q", sel, got, want)
			}
		}
		if n := p.doc.Find(`[data-testid="contacts"] thead th`).Length(); n != 6 {
			t.Errorf("%d headings, want the name and 5 chosen columns", n)
		}
		if p.doc.Find(`[data-testid="col-kind"]`).Length() != 0 {
			t.Error("a column not chosen is shown")
		}
		first := p.doc.Find(`[data-testid="contact-row"]`).First()
		for sel, want := range map[string]string{`[data-testid="cell-circulation"]`: "1.234,5", `[data-testid="cell-birthday"]`: "24. Dez. 2026",
			`[data-testid="cell-press_pass"]`: "ja", `[data-testid="val-region"]`: "München", `[data-testid="val-tags"]`: "Presse, VIP"} {
			if got := strings.TrimSpace(first.Find(sel).Text()); got != want {
				t.Errorf("first row %s = %q, want %q", sel, got, want)
			}
		}
		if _, on := p.doc.Find(`[data-testid="pick-cf.circulation"]`).Attr("checked"); !on {
			t.Error("the picker does not tick a shown column")
		}
		if _, on := p.doc.Find(`[data-testid="pick-kind"]`).Attr("checked"); on {
			t.Error("the picker ticks a hidden column")
		}
		listed := rowIDs(p)

		// Save: what is stored is the canonical query, not what was sent.
		query, _ := p.doc.Find(`[data-testid="save-view"] input[name="query"]`).Attr("value")
		p = anna.post("/views", url.Values{"name": {"  Mittags-Presse "}, "query": {query}})
		wantStatus(t, p, http.StatusSeeOther)
		v := a.db.Client.SavedView.Query().Where(savedview.Name("Mittags-Presse")).OnlyX(ctx)
		const canonical = "cf.embargo_time.any=Noon&cols=name&cols=region&cols=tags&cols=cf.circulation&cols=cf.birthday&cols=cf.press_pass&sort=reach"
		if v.Query != canonical || v.Shared || v.OwnerID != annaID {
			t.Errorf("saved %q shared=%v owner %d; want %q, personal, Anna's", v.Query, v.Shared, v.OwnerID, canonical)
		}
		// A messy URL of the same list saves the same query.
		messy := url.Values{"cols": {"name,region", "tags", "cf.circulation,cf.birthday,cf.press_pass,zzz"}, "sort": {"reach"},
			"cf.embargo_time.any": {" Noon "}, "after": {"xyz"}, "kind": {""}}
		wantStatus(t, anna.post("/views", url.Values{"name": {"Zweite"}, "query": {messy.Encode()}, "shared": {"1"}}), http.StatusSeeOther)
		if q := a.db.Client.SavedView.Query().Where(savedview.Name("Zweite")).OnlyX(ctx).Query; q != canonical {
			t.Errorf("messy URL saved as %q", q)
		}

		// Open: the same people in the same order as the resolver's.
		opened := anna.get(p.header.Get("Location"))
		wantStatus(t, opened, http.StatusOK)
		sels := crm.NewSelections(a.db.Client, a.db.Dialect, nil, nil, nil)
		res, err := sels.Resolve(ctx, crm.Selection{Filter: schema.SegmentFilter{Custom: []schema.CustomFilter{{Key: "embargo_time", Any: []string{"Noon"}}}}, Sort: crm.SortReach}, false)
		if err != nil {
			t.Fatal(err)
		}
		if got := rowIDs(opened); !slices.Equal(got, res.All) || !slices.Equal(got, listed) || len(got) != 3 {
			t.Errorf("opened view lists %v, the original URL %v, the resolver %v", got, listed, res.All)
		}
		if got := opened.text(`[data-testid="cell-circulation"]`); !strings.HasPrefix(got, "1.234,5") {
			t.Errorf("opened view's circulation column %q", got)
		}
		if got := anna.get(fmt.Sprintf("/views/%d", v.ID)); got.status != http.StatusSeeOther || got.header.Get("Location") != p.header.Get("Location") {
			t.Errorf("/views/%d: %d to %q", v.ID, got.status, got.header.Get("Location"))
		}

		// Bounded input, refused in German with the form as it was and nothing saved.
		before := a.db.Client.SavedView.Query().CountX(ctx)
		p = anna.post("/views", url.Values{"name": {strings.Repeat("x", 81)}, "query": {query}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if got := p.text(`[data-testid="error-name"]`); got != "Benennen Sie die Ansicht (höchstens 80 Zeichen)." {
			t.Errorf("long name: %q", got)
		}
		if got, _ := p.doc.Find(`[data-testid="save-view"] input[name="name"]`).Attr("value"); got != strings.Repeat("x", 81) {
			t.Errorf("the typed name is lost: %q", got)
		}
		thirteen := url.Values{"cols": append([]string{"name"}, append(slices.Clone(crm.BuiltinColumns[:11]), "cf.circulation", "cf.birthday")...)}
		p = anna.post("/views", url.Values{"name": {"Breit"}, "query": {thirteen.Encode()}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if got := p.text(`[data-testid="error-cols"]`); got != "Wählen Sie höchstens 12 Spalten." {
			t.Errorf("too many columns: %q", got)
		}
		if n := a.db.Client.SavedView.Query().CountX(ctx); n != before {
			t.Errorf("%d views after refusals, want %d", n, before)
		}
		p = anna.get("/contacts?" + thirteen.Encode())
		wantStatus(t, p, http.StatusOK)
		if n := p.doc.Find(`[data-testid="contacts"] thead th`).Length(); n != 13 || p.text(`[data-testid="columns-problem"]`) != "Wählen Sie höchstens 12 Spalten." {
			t.Errorf("13 columns asked: %d headings, %q", n, p.text(`[data-testid="columns-problem"]`))
		}

		// Others: Ben shares one; personal ones are private.
		ben := a.browser()
		ben.login("ben@example.com")
		ben.get("/contacts")
		wantStatus(t, ben.post("/views", url.Values{"name": {"Alle mit Presseausweis"}, "shared": {"1"}, "query": {"cf.press_pass.yes=true"}}), http.StatusSeeOther)
		bens := a.db.Client.SavedView.Query().Where(savedview.Name("Alle mit Presseausweis")).OnlyX(ctx)
		annas := fmt.Sprintf("/views/%d", v.ID)
		wantStatus(t, ben.get(annas), http.StatusNotFound)
		wantStatus(t, ben.post(annas, url.Values{"name": {"Gestohlen"}}), http.StatusNotFound)
		wantStatus(t, ben.post(annas+"/delete", url.Values{}), http.StatusNotFound)
		if got := ben.get("/contacts").text(`[data-testid="saved-views"] ul`); strings.Contains(got, "Mittags-Presse") || !strings.Contains(got, "Zweite") {
			t.Errorf("Ben sees %q: Anna's personal view, or not her shared one", got)
		}
		p = anna.get("/contacts")
		var names []string
		p.doc.Find(`[data-testid="view-link"]`).Each(func(_ int, s *goquery.Selection) { names = append(names, s.Text()) })
		if want := []string{"Mittags-Presse", "Zweite", "Alle mit Presseausweis"}; !slices.Equal(names, want) {
			t.Errorf("Anna's views %q, want her own first, then the team's: %q", names, want)
		}
		if got := p.text(`[data-testid="view-owner"]`); got != "geteilt von Test staff" {
			t.Errorf("shared view's owner %q", got)
		}
		wantStatus(t, anna.get(fmt.Sprintf("/views/%d", bens.ID)), http.StatusSeeOther)
		wantStatus(t, anna.post(fmt.Sprintf("/views/%d/delete", bens.ID), url.Values{}), http.StatusForbidden)

		mia := a.browser()
		mia.login("mia@example.com")
		mia.get("/contacts")
		wantStatus(t, mia.post(annas+"/delete", url.Values{}), http.StatusNotFound)
		wantStatus(t, mia.post(fmt.Sprintf("/views/%d", bens.ID), url.Values{"name": {"Presseausweis (Team)"}}), http.StatusSeeOther)
		if got := a.db.Client.SavedView.GetX(ctx, bens.ID).Name; got != "Presseausweis (Team)" {
			t.Errorf("manager's rename: %q", got)
		}

		// The owner renames and deletes; both are audited.
		anna.get("/contacts")
		wantStatus(t, anna.post(annas, url.Values{"name": {"Mittag"}}), http.StatusSeeOther)
		wantStatus(t, anna.post(annas, url.Values{"name": {strings.Repeat("y", 81)}}), http.StatusUnprocessableEntity)
		p = anna.post(annas+"/delete", url.Values{})
		wantStatus(t, p, http.StatusSeeOther)
		if a.db.Client.SavedView.Query().Where(savedview.ID(v.ID)).ExistX(ctx) {
			t.Error("deleted view still there")
		}
		events := a.db.Client.AuditEvent.Query().Where(auditevent.Entity(crm.EntitySavedView), auditevent.EntityID(v.ID)).
			Order(ent.Asc(auditevent.FieldID)).AllX(ctx)
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		if !slices.Equal(actions, []string{"create", "update", "delete"}) {
			t.Errorf("audit of the view: %v", actions)
		}
		wantStatus(t, anna.get(annas), http.StatusNotFound)
	})
}

// rowIDs are the contact ids of a list page's rows, in order.
func rowIDs(p page) []int {
	var out []int
	p.doc.Find(`[data-testid="contact-row"] input[data-testid="bulk-tick"]`).Each(func(_ int, s *goquery.Selection) {
		id, _ := strconv.Atoi(s.AttrOr("value", ""))
		out = append(out, id)
	})
	return out
}

// viewFields defines a choice, a number, a date and a yes/no field.
func viewFields(t *testing.T, d *db.DB) []crm.CustomField {
	t.Helper()
	var out []crm.CustomField
	for _, f := range []crm.CustomField{
		{Type: crm.FieldChoice, LabelEN: "Embargo time", LabelDE: "Sperrfrist", Choices: []string{"Morning", "Noon"}},
		{Type: crm.FieldNumber, LabelEN: "Circulation", LabelDE: "Auflage"},
		{Type: crm.FieldDate, LabelEN: "Birthday", LabelDE: "Geburtstag"},
		{Type: crm.FieldBool, LabelEN: "Press pass", LabelDE: "Presseausweis"},
	} {
		f.Entity = crm.EntityContact
		got, err := crm.CreateCustomField(context.Background(), d.Client, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, got)
	}
	return out
}

// viewContacts writes five contacts, three at noon; the one of most reach
// has every value.
func viewContacts(t *testing.T, d *db.DB, fs []crm.CustomField) {
	t.Helper()
	ws := make([]crm.ContactWrite, 5)
	for i := range ws {
		in := crm.ContactInput{FirstName: "Person", LastName: fmt.Sprint(i), Kind: "journalist", Stage: "engaged", Region: "Berlin",
			LawfulBasis: "legitimate_interest", ConsentState: "none", Custom: schema.CustomValues{fs[0].Key: []string{"Noon", "Morning"}[i%2]}}
		ws[i] = crm.ContactWrite{In: in}
	}
	top := &ws[4].In
	top.FirstName, top.LastName, top.Region, top.Tags = "Jürgen", "Müller", "München", []string{"VIP", "Presse"}
	top.Custom[fs[1].Key], top.Custom[fs[2].Key], top.Custom[fs[3].Key] = 1234.5, "2026-12-24", true
	top.Channels = []crm.ChannelInput{{Platform: "x", Handle: "jmueller", Followers: 50_000}}
	w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
	if err := db.WithTx(context.Background(), d.Client, func(ctx context.Context, tx *ent.Tx) error {
		_, err := w.Write(ctx, tx, ws, crm.WriteOptions{Trusted: true})
		return err
	}); err != nil {
		t.Fatal(err)
	}
}
