package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/handlers"
)

// TestCampaignLoop: a manager builds a campaign from a segment, pitches 50
// people, marks replies, adds coverage by pasting the URL of a (local) page,
// opens the report and downloads its XLSX, whose numbers match the database.
func TestCampaignLoop(t *testing.T) {
	exe := browserPath(t)
	article := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprint(w, `<html><head><meta property="og:title" content="Hamburg testet die Vorsorge-App"><meta property="og:site_name" content="Hamburger Abendblatt"><meta property="article:published_time" content="2026-12-01T07:00:00Z"></head><body></body></html>`)
	}))
	defer article.Close()
	cfg := handlers.DefaultConfig
	cfg.FetchPrivate = true
	a := startAppWith(t, cfg)
	u := a.user(t, email, userName, crm.RoleManager, password)
	ctx := crm.WithActor(t.Context(), crm.Actor{UserID: u.ID, Name: userName, Role: crm.RoleManager})
	for i := range 52 {
		region := "Hamburg"
		if i >= 50 {
			region = "Berlin"
		}
		if _, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{FirstName: "Redakteurin", LastName: fmt.Sprint("Nord ", i),
			Region: region, Emails: []crm.EmailInput{{Address: fmt.Sprintf("nord%d@example.de", i)}}}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := crm.SaveSegment(ctx, a.db.Client, 0, crm.SegmentInput{Name: "Presse Hamburg", Selection: crm.Selection{Filter: schema.SegmentFilter{Regions: []string{"Hamburg"}}}}); err != nil {
		t.Fatal(err)
	}
	b := newBrowser(t, exe, a.url)
	b.signIn(email, password)
	b.open("/campaigns")
	b.do("name a client", chromedp.SetValue(chromedp.CSS(`#f-name`), "Hanse Gesundheitskasse"))
	b.navigate("add the client", chromedp.Click(chromedp.CSS(`[data-testid="new-client"] button`)))
	b.navigate("open the new-campaign form", chromedp.Click(chromedp.CSS(`[data-testid="new-campaign"]`)))
	b.do("fill the campaign", chromedp.SetValue(chromedp.CSS(`#f-brand`), fmt.Sprint(a.db.Client.Brand.Query().OnlyIDX(t.Context()))),
		chromedp.SetValue(chromedp.CSS(`#f-name`), "Vorsorge-App"),
		chromedp.SetValue(chromedp.CSS(`#f-key_messages`), "Kostenlos für Versicherte"))
	b.navigate("create the campaign", chromedp.Click(chromedp.CSS(`[data-testid="campaign-form"] button[type="submit"]`)))
	wantContains(t, "campaign page", b.location(), "/campaigns/")
	b.do("choose the segment", chromedp.SetValue(chromedp.CSS(`#f-segment`), fmt.Sprint(a.db.Client.Segment.Query().OnlyIDX(t.Context()))))
	b.navigate("freeze the segment", chromedp.Click(chromedp.CSS(`[data-testid="freeze-segment"] button`)))
	wantText(t, "targets", b.text(`[data-testid="funnel-targets"]`), "50")
	b.navigate("pitch the list", chromedp.Click(chromedp.CSS(`[data-testid="pitch-all"]`)))
	wantContains(t, "pitched", b.text(`[data-testid="funnel-pitched"]`), "50")
	eval[bool](b, "select five", `(document.querySelectorAll('[data-testid="target-row"] input[type=checkbox]').forEach((c, i) => { c.checked = i < 5 }), true)`)
	b.do("choose interested", chromedp.SetValue(chromedp.CSS(`#f-bulk-status`), "interested"))
	b.navigate("mark replies", chromedp.Click(chromedp.CSS(`[data-testid="bulk-status"]`)))
	wantContains(t, "replied", b.text(`[data-testid="funnel-replied"]`), "5")
	author := a.db.Client.Contact.Query().Where(contact.Region("Hamburg")).Order(contact.ByID()).FirstIDX(t.Context())
	b.do("paste the URL", chromedp.SetValue(chromedp.CSS(`#f-url`), article.URL+"/vorsorge?utm_source=newsletter"))
	b.navigate("read the page", chromedp.Click(chromedp.CSS(`[data-testid="coverage-fetch"]`)))
	title := eval[string](b, "title read", `document.querySelector('#f-title').value`)
	wantText(t, "title from the page", title, "Hamburg testet die Vorsorge-App")
	b.do("name the author and reach", chromedp.SetValue(chromedp.CSS(`#f-authors`), fmt.Sprint(author)),
		chromedp.SetValue(chromedp.CSS(`#f-reach`), "120000"))
	b.navigate("save the coverage", chromedp.Click(chromedp.CSS(`[data-testid="coverage-save"]`)))
	wantContains(t, "pieces", b.text(`[data-testid="pieces"]`), "Hamburg testet die Vorsorge-App", "Hamburger Abendblatt")
	b.navigate("open the report", chromedp.Click(chromedp.CSS(`[data-testid="open-report"]`)))
	wantText(t, "report pitched", b.text(`[data-testid="rf-pitched"]`), "50")
	wantText(t, "report pieces", b.text(`[data-testid="rf-pieces"]`), "1")
	b.screenshot("campaign-report")

	dir := t.TempDir()
	progress := chromedp.Events(b.ctx, cdpbrowser.DownloadProgress)
	b.do("allow downloads", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true)})
		return err
	}))
	done := make(chan string, 1)
	go func() {
		for ev, err := range progress {
			if err != nil {
				return
			}
			if ev.State == cdpbrowser.DownloadProgressStateCompleted {
				done <- filepath.Join(dir, ev.GUID)
				return
			}
		}
	}()
	b.do("download the XLSX", chromedp.Click(chromedp.CSS(`[data-testid="report-xlsx"]`)))
	var file string
	select {
	case file = <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("the download did not complete within 20 s")
	}
	data, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer data.Close()
	x, err := excelize.OpenReader(data)
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("Funnel")
	if err != nil {
		t.Fatal(err)
	}
	cid := a.db.Client.Campaign.Query().OnlyIDX(t.Context())
	q := a.db.Client.CampaignTarget.Query().Where(campaigntarget.CampaignID(cid))
	want := map[string]int{
		"Targets": q.Clone().CountX(t.Context()),
		"Pitched": q.Clone().Where(campaigntarget.PitchedAtNotNil()).CountX(t.Context()),
		"Replied": q.Clone().Where(campaigntarget.RepliedAtNotNil()).CountX(t.Context()),
		"Covered": q.Clone().Where(campaigntarget.StatusEQ(campaigntarget.StatusCovered)).CountX(t.Context()),
		"Pieces":  a.db.Client.CoverageItem.Query().CountX(t.Context()),
	}
	seen := 0
	for _, r := range rows {
		if w, ok := want[r[0]]; ok {
			seen++
			if len(r) < 2 || r[1] != fmt.Sprint(w) {
				t.Errorf("XLSX %s = %v, database %d", r[0], r, w)
			}
		}
	}
	if seen != len(want) || want["Pitched"] != 50 || want["Replied"] != 5 || want["Covered"] != 1 {
		t.Errorf("XLSX rows %v, database %v", rows, want)
	}
	if s := strings.Join(rows[0], "|"); s != "Step|People|Rate %" {
		t.Errorf("header %q", s)
	}
}
