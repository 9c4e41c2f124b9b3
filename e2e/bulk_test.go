package e2e

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/tag"
)

// TestBulkTagAndUndo: in a real browser, a staff member filters the
// contact list, chooses "add tag" for all matching, reads the preview,
// confirms, sees the result and undoes it; the database follows each step.
func TestBulkTagAndUndo(t *testing.T) {
	exe := browserPath(t)
	a := startApp(t)
	a.user(t, "leonie@example.com", "Leonie Schäfer", crm.RoleStaff, password)
	ctx := context.Background()
	for i, name := range []string{"Anna Berger", "Jonas Weber", "Mia Schulz", "Paul Wagner"} {
		region := "Hamburg"
		if i == 3 {
			region = "Köln"
		}
		if _, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{FirstName: name[:4], LastName: name[5:], Region: region, Stage: "engaged"}); err != nil {
			t.Fatal(err)
		}
	}
	tagged := func() int {
		return a.db.Client.Contact.Query().Where(contact.HasTagsWith(tag.Name("Pressereise Sylt"))).CountX(ctx)
	}
	b := newBrowser(t, exe, a.url)
	b.signIn("leonie@example.com", password)
	b.open("/contacts?region=Hamburg")
	wantText(t, "all button", b.text(`[data-testid="bulk-all"]`), "All 3 matching")
	b.do("choose add tag", chromedp.SetValue(chromedp.CSS(`[data-testid="bulk-action"]`), "add_tag"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="bulk-value"]`), "Pressereise Sylt"))
	b.navigate("all matching", chromedp.Click(chromedp.CSS(`[data-testid="bulk-all"]`)))
	wantText(t, "preview", b.text(`[data-testid="bulk-summary"]`), "3 of 3 contacts will change.")
	b.screenshot("bulk-01-preview")
	b.navigate("confirm", chromedp.Click(chromedp.CSS(`[data-testid="bulk-confirm-button"]`)))
	wantText(t, "result", b.text(`[data-testid="bulk-result"]`), "3 of 3 done: 3 changed, 0 unchanged.")
	if n := tagged(); n != 3 {
		t.Fatalf("%d tagged after the bulk change, want 3", n)
	}
	b.navigate("undo", chromedp.Click(chromedp.CSS(`[data-testid="bulk-undo-button"]`)))
	wantText(t, "status", b.text(`[data-testid="bulk-status"]`), "Status: Undone")
	b.screenshot("bulk-02-undone")
	if n := tagged(); n != 0 {
		t.Fatalf("%d tagged after the undo, want 0", n)
	}
}
