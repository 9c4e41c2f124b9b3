package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent/campaigntarget"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/tag"
)

// TestBulkTagAndUndo: in a real browser, a staff member filters the
// contact list, chooses "add tag" for all matching, reads the preview,
// confirms, sees the result and undoes it; the database follows each step.
// On her campaign's target list the same bar previews "this page", and its
// ticks choose whom the status button (form=, formaction=) changes.
func TestBulkTagAndUndo(t *testing.T) {
	exe := browserPath(t)
	a := startApp(t)
	leonie := a.user(t, "leonie@example.com", "Leonie Schäfer", crm.RoleStaff, password)
	ctx := context.Background()
	var ids []int
	for i, name := range []string{"Anna Berger", "Jonas Weber", "Mia Schulz", "Paul Wagner"} {
		region := "Hamburg"
		if i == 3 {
			region = "Köln"
		}
		c, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{FirstName: name[:4], LastName: name[5:], Region: region, Stage: "engaged"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID)
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

	cid := campaignOf(t, a, leonie.ID, ids[:3])
	b.open(fmt.Sprintf("/campaigns/%d", cid))
	b.do("choose add tag", chromedp.SetValue(chromedp.CSS(`[data-testid="bulk-action"]`), "add_tag"),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="bulk-value"]`), "Pressereise Sylt"))
	b.navigate("this page", chromedp.Click(chromedp.CSS(`[data-testid="bulk-page"]`)))
	wantText(t, "targets preview", b.text(`[data-testid="bulk-summary"]`), "3 of 3 contacts will change.")
	b.open(fmt.Sprintf("/campaigns/%d", cid))
	b.do("tick one target", chromedp.Click(chromedp.CSS(`[data-testid="target-row"] [data-testid="bulk-tick"]`)),
		chromedp.SetValue(chromedp.CSS(`#f-bulk-status`), "interested"))
	b.navigate("set its status", chromedp.Click(chromedp.CSS(`[data-testid="bulk-status"]`)))
	if n := a.db.Client.CampaignTarget.Query().Where(campaigntarget.StatusEQ(campaigntarget.StatusInterested)).CountX(ctx); n != 1 {
		t.Fatalf("%d targets interested, want the one ticked", n)
	}
}

// campaignOf makes a campaign owned by owner with the contacts ids as its
// targets, as the campaign pages would, and returns its id.
func campaignOf(t *testing.T, a *app, owner int, ids []int) int {
	t.Helper()
	ctx, now := db.SelfRecorded(context.Background()), time.Now()
	br := a.db.Client.Brand.Create().SetName("Nordsee Tourismus").SaveX(ctx)
	c := a.db.Client.Campaign.Create().SetBrandID(br.ID).SetName("Sylt im Herbst").SetStartsAt(now).SetOwnerID(owner).SaveX(ctx)
	for _, id := range ids {
		a.db.Client.CampaignTarget.Create().SetCampaignID(c.ID).SetContactID(id).SetAddedAt(now).SetStatusAt(now).ExecX(ctx)
	}
	return c.ID
}
