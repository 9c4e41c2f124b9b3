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
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/tag"
	"github.com/rapport-crm/rapport/ent/user"
)

// barForm is the bulk bar of a rendered list as a browser posts it: its
// hidden fields (back, the selection, the page's ids), the ticked ids, and
// the chosen action, value and scope.
func barForm(t *testing.T, p page, action, value, scope string, ticked ...int) url.Values {
	t.Helper()
	bar := p.doc.Find(`form[data-testid="bulk-bar"]`)
	if bar.Length() != 1 {
		t.Fatalf("%d bulk bars on the page", bar.Length())
	}
	f := url.Values{"action": {action}, "value": {value}, "scope": {scope}}
	bar.Find(`input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		if name := s.AttrOr("name", ""); name != "_csrf" {
			f.Add(name, s.AttrOr("value", ""))
		}
	})
	for _, id := range ticked {
		f.Add("ids", strconv.Itoa(id))
	}
	return f
}

// sortedTexts are the texts of sel's matches, sorted.
func sortedTexts(p page, sel string) []string {
	out := strings.Split(texts(p.doc.Find(sel)), "|")
	slices.Sort(out)
	return out
}

// tagsByContact is every contact's tags, sorted, to compare before and after.
func tagsByContact(t *testing.T, a *app) map[int][]string {
	t.Helper()
	cs := a.db.Client.Contact.Query().WithTags().AllX(t.Context())
	out := make(map[int][]string, len(cs))
	for _, c := range cs {
		for _, tg := range c.Edges.Tags {
			out[c.ID] = append(out[c.ID], tg.Name)
		}
		slices.Sort(out[c.ID])
	}
	return out
}

func taggedIDs(t *testing.T, a *app, name string) []int {
	t.Helper()
	ids := a.db.Client.Contact.Query().Where(contact.HasTagsWith(tag.Name(name))).IDsX(t.Context())
	slices.Sort(ids)
	return ids
}

// resolved are the ids the one selection resolver gives sel for the actor
// with email, sorted.
func resolved(t *testing.T, a *app, email string, sel crm.Selection) []int {
	t.Helper()
	u := a.db.Client.User.Query().Where(user.Email(email)).OnlyX(t.Context())
	ctx := crm.WithActor(context.Background(), crm.Actor{UserID: u.ID, Name: u.Name, Role: string(u.Role)})
	r, err := crm.NewSelections(a.db.Client, a.db.Dialect, nil, nil, nil).Resolve(ctx, sel, false)
	if err != nil {
		t.Fatal(err)
	}
	ids := slices.Clone(r.All)
	slices.Sort(ids)
	return ids
}

// TestAdvocatesBulkBar: the advocate list carries the bulk bar of every
// contact list. "All N matching" tags exactly the list's advocates (the
// preview counts and names them and says who is skipped), the undo puts
// every contact's tags back as they were, and the advocate list's own
// actions (assign an owner, move down a stage, never up to advocate) run
// through the same bar.
func TestAdvocatesBulkBar(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("m@example.com", "manager")
		a.user("staff@example.com", "staff")
		eins, zwei, drei := a.person("Eins", "advocate"), a.person("Zwei", "advocate"), a.person("Drei", "advocate")
		vier := a.person("Vier", "supporter") // in Berlin too, but no advocate
		m := a.browser()
		m.login("m@example.com")
		list := m.get("/advocates?sort=health")
		wantStatus(t, list, http.StatusOK)
		if got := list.text(`[data-testid="bulk-all"]`); got != "All 3 matching" {
			t.Fatalf("all button %q", got)
		}
		if n := list.doc.Find(`[data-testid="advocate-row"] [data-testid="bulk-tick"]`).Length(); n != 3 {
			t.Fatalf("%d checkboxes", n)
		}
		wantStatus(t, m.post("/advocates/bulk", url.Values{"action": {"add_tag"}, "ids": {fmt.Sprint(eins)}}), http.StatusNotFound)

		// Drei has the tag already (ticked row), then all matching
		wantStatus(t, m.post("/bulk", barForm(t, list, "add_tag", "Launch 2027", "rows", drei)), http.StatusSeeOther)
		before := tagsByContact(t, a)
		form := barForm(t, list, "add_tag", "Launch 2027", "all")
		p := m.post("/bulk/preview", form)
		wantStatus(t, p, http.StatusOK)
		if got := p.text(`[data-testid="bulk-summary"]`); got != "2 of 3 contacts will change." {
			t.Fatalf("preview %q", got)
		}
		if got := sortedTexts(p, `[data-testid="bulk-sample"] li`); fmt.Sprint(got) != "[Test Eins Test Zwei]" {
			t.Fatalf("will change %v", got)
		}
		if got := p.text(`[data-testid="bulk-skip-sample"]`); got != "Test Drei — already as chosen" {
			t.Fatalf("skipped %q", got)
		}
		p = m.post("/bulk", form)
		wantStatus(t, p, http.StatusSeeOther)
		show := m.get(p.header.Get("Location"))
		if got := show.text(`[data-testid="bulk-result"]`); got != "3 of 3 done: 2 changed, 1 unchanged." {
			t.Fatalf("result %q", got)
		}
		if back := show.doc.Find(`a:contains("Back to the list")`).AttrOr("href", ""); back != "/advocates?sort=health" {
			t.Errorf("back to %q", back)
		}
		want := resolved(t, a, "m@example.com", crm.AdvocateParams{Sort: "health"}.Selection())
		if got := taggedIDs(t, a, "Launch 2027"); fmt.Sprint(got) != fmt.Sprint(want) || slices.Contains(got, vier) {
			t.Fatalf("tagged %v, the advocate list %v", got, want)
		}
		wantStatus(t, m.post(show.doc.Find(`[data-testid="bulk-undo"]`).AttrOr("action", ""), url.Values{}), http.StatusSeeOther)
		if after := tagsByContact(t, a); fmt.Sprint(after) != fmt.Sprint(before) {
			t.Fatalf("after the undo %v, before %v", after, before)
		}

		// the advocate list's own actions, through the one bar
		staffID := a.db.Client.User.Query().Where(user.Email("staff@example.com")).OnlyIDX(t.Context())
		wantStatus(t, m.post("/bulk", barForm(t, list, "set_owner", fmt.Sprint(staffID), "rows", eins, zwei)), http.StatusSeeOther)
		if n := a.db.Client.Contact.Query().Where(contact.OwnerID(staffID)).CountX(t.Context()); n != 2 {
			t.Errorf("%d contacts owned by staff, want 2", n)
		}
		p = m.post("/bulk/preview", barForm(t, list, "set_stage", "advocate", "page"))
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if !strings.Contains(p.text(`form[data-testid="bulk-choose"]`), "Advocates are approved one by one through a nomination.") {
			t.Errorf("bulk promotion: %q", p.text(`form[data-testid="bulk-choose"]`))
		}
		wantStatus(t, m.post("/bulk", barForm(t, list, "set_stage", "supporter", "rows", drei)), http.StatusSeeOther)
		if got := stageOf(t, a, drei); got != "supporter" {
			t.Errorf("stage %s after the bulk move", got)
		}
		if got := m.get("/advocates").text(`[data-testid="bulk-all"]`); got != "All 2 matching" {
			t.Errorf("after the move: %q", got)
		}
	})
}

// TestCampaignTargetsBulk: a campaign's target list carries the bulk bar;
// "this page" of the list filtered by status tags exactly the targets the
// resolver gives for that campaign and status, "all matching" means the
// whole list, and a colleague who may not run the campaign neither sees
// the page nor reaches its targets through the bar.
func TestCampaignTargetsBulk(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("mia@example.com", "manager")
		a.user("anna@example.com", "staff")
		a.user("bob@example.com", "staff")
		ids := seedPeople(t, a.db, 6)
		ctx := t.Context()
		mia, anna, bob := a.browser(), a.browser(), a.browser()
		mia.login("mia@example.com")
		anna.login("anna@example.com")
		bob.login("bob@example.com")
		wantStatus(t, mia.post("/clients", url.Values{"name": {"Bergwerk Outdoor GmbH"}}), http.StatusSeeOther)
		anna.get("/campaigns/new")
		wantStatus(t, anna.post("/campaigns", url.Values{"brand": {fmt.Sprint(a.db.Client.Brand.Query().OnlyIDX(ctx))},
			"name": {"Herbst am Berg"}, "starts_at": {"2026-11-01"}}), http.StatusSeeOther)
		cid := a.db.Client.Campaign.Query().Where(campaign.Name("Herbst am Berg")).OnlyIDX(ctx)
		base := fmt.Sprintf("/campaigns/%d", cid)
		wantStatus(t, anna.post(base+"/targets", url.Values{"ids": {joinIDs(ids[:4])}}), http.StatusSeeOther)
		// two targets replied: the status buttons use the bar's ticks
		show := anna.get(base)
		f := barForm(t, show, "", "", "", ids[1], ids[2])
		f.Set("target_action", "status")
		f.Set("status", "interested")
		wantStatus(t, anna.post(base+"/bulk", f), http.StatusSeeOther)

		list := anna.get(base + "?status=interested")
		wantStatus(t, list, http.StatusOK)
		if got := list.text(`[data-testid="bulk-all"]`); got != "All 2 matching" {
			t.Fatalf("all button %q", got)
		}
		if got := sortedTexts(list, `[data-testid="target-row"] a`); fmt.Sprint(got) != "[Presse 1 Presse 2]" {
			t.Fatalf("rows %v", got)
		}
		form := barForm(t, list, "add_tag", "Herbst", "page")
		p := anna.post("/bulk/preview", form)
		wantStatus(t, p, http.StatusOK)
		if got := p.text(`[data-testid="bulk-summary"]`); got != "2 of 2 contacts will change." {
			t.Fatalf("preview %q", got)
		}
		p = anna.post("/bulk", form)
		wantStatus(t, p, http.StatusSeeOther)
		done := anna.get(p.header.Get("Location"))
		if got := done.text(`[data-testid="bulk-result"]`); got != "2 of 2 done: 2 changed, 0 unchanged." {
			t.Fatalf("result %q", got)
		}
		if back := done.doc.Find(`a:contains("Back to the list")`).AttrOr("href", ""); back != base+"?status=interested#targets" {
			t.Errorf("back to %q", back)
		}
		want := resolved(t, a, "anna@example.com", crm.TargetSelection(cid, "interested"))
		if got := taggedIDs(t, a, "Herbst"); fmt.Sprint(got) != fmt.Sprint(want) || fmt.Sprint(got) != fmt.Sprint(ids[1:3]) {
			t.Fatalf("tagged %v, the resolver %v", got, want)
		}

		// all matching of the unfiltered list: the four targets, not the other two people
		all := barForm(t, anna.get(base), "add_tag", "Zielgruppe", "all")
		if got := anna.post("/bulk/preview", all).text(`[data-testid="bulk-summary"]`); got != "4 of 4 contacts will change." {
			t.Fatalf("all targets: %q", got)
		}
		if exp := anna.get(base).doc.Find(`[data-testid="bulk-export"]`).AttrOr("href", ""); anna.get(exp).text(`[data-testid="export-count"]`) != "4" {
			t.Errorf("export of the targets (%s): %q", exp, anna.get(exp).text(`[data-testid="export-count"]`))
		}

		// bob is not on the campaign: no page, and its selection holds nobody for him
		wantStatus(t, bob.get(base), http.StatusNotFound)
		delete(all, "_csrf") // anna's
		p = bob.post("/bulk/preview", all)
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if !strings.Contains(p.text(`form[data-testid="bulk-choose"]`), "No contact matches the list.") {
			t.Errorf("bob's preview: %q", p.text(`form[data-testid="bulk-choose"]`))
		}
		if got := resolved(t, a, "bob@example.com", crm.TargetSelection(cid, "")); len(got) != 0 {
			t.Errorf("the resolver gives bob %v", got)
		}
		if got := resolved(t, a, "mia@example.com", crm.TargetSelection(cid, "")); fmt.Sprint(got) != fmt.Sprint(ids[:4]) {
			t.Errorf("the resolver gives the manager %v", got)
		}
	})
}
