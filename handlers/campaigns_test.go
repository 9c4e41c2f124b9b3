package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/ent/participation"
	"github.com/rapport-crm/rapport/handlers"
)

// seedPeople creates n contacts (Presse 0 … n-1, region München) with an
// e-mail address each and returns their ids.
func seedPeople(t *testing.T, d *db.DB, n int) []int {
	t.Helper()
	var ids []int
	err := db.WithTx(context.Background(), d.Client, func(ctx context.Context, tx *ent.Tx) error {
		bulk := make([]*ent.ContactCreate, n)
		for i := range bulk {
			bulk[i] = tx.Contact.Create().SetFirstName("Presse").SetLastName(fmt.Sprint(i)).SetRegion("München")
		}
		cs, err := tx.Contact.CreateBulk(bulk...).Save(ctx)
		if err != nil {
			return err
		}
		mails := make([]*ent.ContactEmailCreate, n)
		for i, c := range cs {
			ids = append(ids, c.ID)
			mails[i] = tx.ContactEmail.Create().SetContactID(c.ID).SetAddress(fmt.Sprintf("presse%d@example.de", i))
		}
		return tx.ContactEmail.CreateBulk(mails...).Exec(ctx)
	})
	if err != nil {
		t.Fatal(err)
	}
	return ids
}

func joinIDs(ids []int) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = fmt.Sprint(id)
	}
	return strings.Join(s, ", ")
}

// TestCampaignFlow walks the loop through the pages: a client, a campaign,
// a target list by hand, a pitch (not to the do-not-contact person), replies,
// coverage read from a local page, the report and its XLSX; and the
// record-level rules (another staff member sees nothing, staff get no report).
func TestCampaignFlow(t *testing.T) {
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `<html><head><title>ignored</title><meta property="og:title" content="Wanderschuhe aus Bayern"><meta property="og:site_name" content="Abendzeitung"><meta property="article:published_time" content="2026-11-30T08:00:00Z"></head><body>x</body></html>`)
	}))
	defer page.Close()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		cfg := handlers.DefaultConfig
		cfg.FetchPrivate = true
		a := newAppWith(t, d, cfg)
		a.user("mia@example.com", "manager")
		a.user("anna@example.com", "staff")
		a.user("bob@example.com", "staff")
		ids := seedPeople(t, d, 30)
		ctx := context.Background()
		d.Client.Contact.UpdateOneID(ids[0]).SetDoNotContact(true).ExecX(db.SelfRecorded(ctx))

		mia := a.browser()
		mia.login("mia@example.com")
		wantStatus(t, mia.post("/clients", url.Values{"name": {"Bergwerk Outdoor GmbH"}}), http.StatusSeeOther)
		clientID := d.Client.Brand.Query().OnlyIDX(ctx)

		anna := a.browser()
		anna.login("anna@example.com")
		anna.get("/campaigns/new")
		p := anna.post("/campaigns", url.Values{"brand": {fmt.Sprint(clientID)}, "name": {""}, "starts_at": {"2026-11-01"}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		p = anna.post("/campaigns", url.Values{"brand": {fmt.Sprint(clientID)}, "name": {"Herbst am Berg"}, "starts_at": {"2026-11-01"},
			"key_messages": {"recycelt\nmade in Bayern"}, "status": {"running"}})
		wantStatus(t, p, http.StatusSeeOther)
		cid := d.Client.Campaign.Query().Where(campaign.Name("Herbst am Berg")).OnlyIDX(ctx)
		base := fmt.Sprintf("/campaigns/%d", cid)
		anna.get(base)
		wantStatus(t, anna.post(base+"/targets", url.Values{"ids": {"1, x"}}), http.StatusUnprocessableEntity)
		wantStatus(t, anna.post(base+"/targets", url.Values{"ids": {joinIDs(ids)}}), http.StatusSeeOther)
		wantStatus(t, anna.post(base+"/pitch", url.Values{"subject": {"Neue Wanderschuhe"}, "follow_up_days": {"7"}}), http.StatusSeeOther)
		if n := d.Client.Participation.Query().Where(participation.ContactID(ids[0])).CountX(ctx); n != 0 {
			t.Errorf("the do-not-contact person was pitched (%d participations)", n)
		}
		show := anna.get(base)
		if got := show.text(`[data-testid="funnel-pitched"]`); !strings.HasPrefix(got, "29") {
			t.Errorf("funnel pitched %q, want 29", got)
		}
		if !strings.Contains(show.text(`[data-testid="targets"]`), "marked do-not-contact") {
			t.Error("the target list does not say why the do-not-contact person was left out")
		}
		wantStatus(t, anna.post(base+"/bulk", url.Values{"ids": {fmt.Sprint(ids[1]), fmt.Sprint(ids[2])}, "status": {"interested"}, "target_action": {"status"}}), http.StatusSeeOther)
		show = anna.get(base)
		if got := show.text(`[data-testid="count-interested"]`); got != "Interested: 2" && got != "interested: 2" {
			t.Errorf("interested count %q", got)
		}
		// Coverage from the page's metadata, then saved.
		p = anna.post(base+"/coverage", url.Values{"url": {page.URL + "/artikel?utm_source=nl"}, "fetch": {"1"}, "published_at": {""}})
		wantStatus(t, p, http.StatusOK)
		if v, _ := p.doc.Find(`input[name="title"]`).Attr("value"); v != "Wanderschuhe aus Bayern" {
			t.Errorf("title read from the page %q", v)
		}
		form := url.Values{"url": {page.URL + "/artikel?utm_source=nl"}, "title": {"Wanderschuhe aus Bayern"}, "outlet": {"Abendzeitung"},
			"outlet_type": {"newspaper"}, "published_at": {"2026-11-30"}, "kind": {"article"}, "reach": {"120.000"}, "sentiment": {"positive"},
			"authors": {fmt.Sprint(ids[1])}, "key_message": {"recycelt"}}
		wantStatus(t, anna.post(base+"/coverage", form), http.StatusSeeOther)
		form.Set("url", page.URL+"/artikel/")
		if p := anna.post(base+"/coverage", form); p.status != http.StatusUnprocessableEntity ||
			!strings.Contains(p.text(`[data-testid="coverage-error"]`), "Already recorded as “Wanderschuhe aus Bayern” (campaign #") ||
			!strings.Contains(p.body, "This address is on record already.") {
			t.Errorf("duplicate URL: status %d, message %q", p.status, p.text(`[data-testid="coverage-error"]`))
		}
		contactPage := anna.get(fmt.Sprintf("/contacts/%d", ids[1]))
		if !strings.Contains(contactPage.text(`[data-testid="contact-campaigns"]`), "Herbst am Berg") {
			t.Error("the contact page does not show the campaign")
		}
		clientPage := anna.get(fmt.Sprintf("/campaigns?client=%d", clientID))
		if got := clientPage.text(`[data-testid="client-pieces"]`); got != "1" {
			t.Errorf("client's coverage total %q, want 1", got)
		}
		// Record-level rules.
		bob := a.browser()
		bob.login("bob@example.com")
		wantStatus(t, bob.get(base), http.StatusNotFound)
		if strings.Contains(bob.get("/campaigns").body, "Herbst am Berg") {
			t.Error("another staff member sees the campaign in the list")
		}
		wantStatus(t, anna.get(base+"/report"), http.StatusForbidden)
		rep := mia.get(base + "/report")
		wantStatus(t, rep, http.StatusOK)
		if got := rep.text(`[data-testid="rf-pieces"]`); got != "1" {
			t.Errorf("report pieces %q", got)
		}
		if got := rep.text(`[data-testid="rf-reach"]`); got != "120,000" {
			t.Errorf("report reach %q", got)
		}
		x := mia.get(base + "/report.xlsx")
		wantStatus(t, x, http.StatusOK)
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows("Funnel")
		want := [][]string{{"Step", "People", "Rate %"}, {"Targets", "30", "100"}, {"Pitched", "29", "97"}, {"Replied", "2", "7"}, {"Covered", "1", "3"}}
		var sqlPitched, sqlReplied int
		sqlPitched = d.Client.CampaignTarget.Query().Where(campaigntarget.CampaignID(cid), campaigntarget.PitchedAtNotNil()).CountX(ctx)
		sqlReplied = d.Client.CampaignTarget.Query().Where(campaigntarget.CampaignID(cid), campaigntarget.RepliedAtNotNil()).CountX(ctx)
		if fmt.Sprint(sqlPitched) != want[2][1] || fmt.Sprint(sqlReplied) != want[3][1] {
			t.Errorf("database: pitched %d, replied %d; the test expects %v", sqlPitched, sqlReplied, want)
		}
		for i, w := range want {
			if i >= len(rows) || strings.Join(rows[i][:3], "|") != strings.Join(w, "|") {
				t.Errorf("XLSX funnel row %d: %v, want %v", i, rows, w)
				break
			}
		}
	})
}
