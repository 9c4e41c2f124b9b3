package e2e

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/coverageitem"
)

// TestCoverageImportFlow: on a campaign's page a manager uploads a
// monitoring export (German headers, semicolons), sees the check with its
// counts and each row's status (a duplicate address, a bad date, the author
// found by name), saves, and finds the new pieces listed on the campaign
// page with their authors, searchable with the coverage search box; the
// database holds exactly the new pieces.
func TestCoverageImportFlow(t *testing.T) {
	exe := browserPath(t)
	a := startApp(t)
	u := a.user(t, email, userName, crm.RoleManager, password)
	ctx := crm.WithActor(t.Context(), crm.Actor{UserID: u.ID, Name: userName, Role: crm.RoleManager})
	if _, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{FirstName: "Anna", LastName: "Berg",
		Emails: []crm.EmailInput{{Address: "anna.berg@example.de"}}}); err != nil {
		t.Fatal(err)
	}
	svc := crm.NewCampaigns(a.db.Client, a.db.Dialect, crm.NewSelections(a.db.Client, a.db.Dialect, nil, nil, nil), nil)
	brand, err := svc.SaveBrand(ctx, crm.BrandInput{Name: "Bergwerk Outdoor GmbH"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := svc.CreateCampaign(ctx, crm.CampaignInput{BrandID: brand.ID, Name: "Herbst am Berg", Status: "running",
		StartsAt: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "monitoring.csv")
	csv := "Datum;Titel;Medium;Link;Autor;Reichweite;Tonalität\n" +
		"30.11.2026;Wanderschuhe im Test;Abendzeitung;https://az.example/a?utm_source=nl;Anna Berg;120.000;positiv\n" +
		"2026-11-28;Bergstiefel für alle;SZ;https://sz.example/b;anna.berg@example.de;5000;neutral\n" +
		"01.12.2026;Noch einmal;AZ;https://www.az.example/a/;;;\n" +
		"gestern;Ohne Datum;taz;https://taz.example/c;;;\n"
	if err := os.WriteFile(file, []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}

	b := newBrowser(t, exe, a.url)
	b.signIn(email, password)
	page := fmt.Sprintf("/campaigns/%d", c.ID)
	b.open(page)
	wantText(t, "no coverage yet", fmt.Sprint(b.count(`[data-testid="coverage-empty"]`)), "1")
	b.do("choose the file", chromedp.SetUploadFiles(`#ci-file`, []string{file}))
	b.navigate("check the file", chromedp.Click(chromedp.CSS(`[data-testid="ci-check"]`)))
	wantText(t, "new", b.text(`[data-testid="ci-new"]`), "2")
	wantText(t, "duplicates", b.text(`[data-testid="ci-duplicates"]`), "1")
	wantText(t, "errors", b.text(`[data-testid="ci-errors"]`), "1")
	statuses := eval[[]string](b, "row statuses", `[...document.querySelectorAll('[data-testid="ci-row"]')].map(r => r.dataset.status)`)
	wantText(t, "row statuses", strings.Join(statuses, " "), "new new duplicate error")
	wantContains(t, "authors found", strings.Join(b.texts(`[data-testid="ci-authors"]`), "|"), "Anna Berg|Anna Berg")
	if n := a.db.Client.CoverageItem.Query().CountX(t.Context()); n != 0 {
		t.Fatalf("the check saved %d pieces", n)
	}
	b.screenshot("coverage-import-check")
	b.navigate("save the new pieces", chromedp.Click(chromedp.CSS(`[data-testid="ci-import"]`)))
	wantContains(t, "back on the campaign", b.location(), page)
	wantContains(t, "flash", b.text(`[data-testid="flash"]`), "2 pieces saved, 2 rows skipped")
	rows := b.texts(`[data-testid="piece-row"]`)
	if len(rows) != 2 {
		t.Fatalf("%d pieces listed, want 2: %q", len(rows), rows)
	}
	wantContains(t, "pieces", strings.Join(rows, "|"), "Bergstiefel für alle", "Wanderschuhe im Test", "Abendzeitung", "Anna Berg", "120,000")
	if n := a.db.Client.CoverageItem.Query().Where(coverageitem.CampaignID(c.ID)).CountX(t.Context()); n != 2 {
		t.Errorf("%d pieces in the database, want 2", n)
	}
	b.do("search the coverage", chromedp.SetValue(chromedp.CSS(`#f-cq`), "Wanderschuh"))
	b.navigate("run the search", chromedp.Click(chromedp.CSS(`[data-testid="coverage-search-go"]`)))
	wantText(t, "found", strings.Join(b.texts(`[data-testid="piece-row"] td:nth-child(2)`), "|"), "Wanderschuhe im Test")
	wantContains(t, "matches", b.text(`[data-testid="coverage-matches"]`), "1 of 2")
}
