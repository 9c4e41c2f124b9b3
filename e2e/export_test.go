package e2e

import (
	"bytes"
	"context"
	"encoding/csv"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/crm"
)

// TestExcelGermanDownload: a staff member exports the contact list as
// "Excel (Deutsch)" in the browser and gets a file Excel opens correctly:
// BOM, semicolons, umlauts exact, formula payloads neutralised, and nobody
// who must not be contacted.
func TestExcelGermanDownload(t *testing.T) {
	exe := browserPath(t)
	a := startApp(t)
	a.user(t, email, userName, crm.RoleStaff, password)
	for _, in := range []crm.ContactInput{
		{FirstName: "Jürgen", LastName: "Müller-Lüdenscheidt", City: "München", Emails: []crm.EmailInput{{Address: "jm@example.de"}}},
		{FirstName: "Greta", LastName: "Nein", DoNotContact: true, Emails: []crm.EmailInput{{Address: "greta@example.de"}}},
		{FirstName: "Eva", LastName: "=HYPERLINK(\"http://evil.example\")", Emails: []crm.EmailInput{{Address: "eva@example.de"}}},
	} {
		if _, err := crm.CreateContact(t.Context(), a.db.Client, in); err != nil {
			t.Fatal(err)
		}
	}
	b := newBrowser(t, exe, a.url)
	b.signIn(email, password)
	b.open("/contacts")
	b.navigate("open the export form", chromedp.Click(chromedp.CSS(`[data-testid="export-selection"]`)))
	wantText(t, "contacts to export", b.text(`[data-testid="export-count"]`), "2")
	wantContains(t, "left out", b.text(`[data-testid="export-excluded"]`), "1 marked do-not-contact")
	b.do("choose Excel (Deutsch) and a purpose",
		chromedp.Click(chromedp.CSS(`[data-testid="format-excel-de"]`)),
		chromedp.SendKeys(chromedp.CSS(`#f-purpose`), "Einladung Pressekonferenz"))
	b.navigate("start the export", chromedp.Click(chromedp.CSS(`[data-testid="start-export"]`)))
	wantText(t, "exported rows", b.text(`[data-testid="export-rows"]`), "2")
	b.screenshot("export-ready")

	dir := t.TempDir()
	progress := chromedp.Events(b.ctx, cdpbrowser.DownloadProgress)
	b.do("allow downloads", chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: new(true)})
		return err
	}))
	b.do("download", chromedp.Click(chromedp.CSS(`[data-testid="download"]`)))
	var file string
	deadline := time.After(20 * time.Second)
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
	select {
	case file = <-done:
	case <-deadline:
		t.Fatal("the download did not complete within 20 s")
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no UTF-8 BOM: Excel would show mojibake (%q…)", data[:min(20, len(data))])
	}
	r := csv.NewReader(bytes.NewReader(data[3:]))
	r.Comma = ';'
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatalf("not a semicolon CSV: %v", err)
	}
	if len(recs) != 3 {
		t.Fatalf("%d records, want header and 2 rows: %q", len(recs), recs)
	}
	all := string(data)
	wantContains(t, "file", all, "Jürgen;Müller-Lüdenscheidt", `'=HYPERLINK(""http://evil.example"")`)
	if strings.Contains(all, "Greta") {
		t.Error("a do-not-contact person is in the file")
	}
}
