package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/crm"
)

// TestAdvocateReview: a staff member nominates a contact with evidence from
// the timeline and a link; a manager finds it in the review queue and
// approves it; the contact is an advocate and its page shows the history —
// in a real browser with a clean console (no CSP violations from charts).
func TestAdvocateReview(t *testing.T) {
	exe := browserPath(t)
	a := startApp(t)
	staff := a.user(t, "leonie@example.com", "Leonie Schäfer", crm.RoleStaff, password)
	a.user(t, "katrin@example.com", "Katrin Vogel", crm.RoleManager, password)
	ctx := crm.WithActor(context.Background(), crm.Actor{UserID: staff.ID, Name: staff.Name, Role: string(staff.Role)})
	c, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{FirstName: "Jana", LastName: "Krüger", Stage: "supporter",
		Region: "Hamburg", Topics: []string{"Gesundheit"}, Channels: []crm.ChannelInput{{Platform: "youtube", Handle: "janakrueger", Followers: 48000}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := crm.LogInteraction(ctx, a.db.Client, staff.ID, crm.InteractionInput{ContactIDs: []int{c.ID}, Type: "coverage",
		Direction: "inbound", Sentiment: "positive", OccurredAt: time.Now().Add(-48 * time.Hour), Subject: "Video-Review unserer App"}); err != nil {
		t.Fatal(err)
	}
	contactURL := fmt.Sprintf("/contacts/%d", c.ID)
	b := newBrowser(t, exe, a.url)

	b.signIn("leonie@example.com", password)
	b.open(contactURL)
	wantContains(t, "health explanation", b.text(`[data-testid="health-explanation"]`), "last touch 2 days ago, cadence 30")
	if n := b.count(`[data-testid="chart-interactions"] rect.bar`); n != 24 {
		t.Errorf("interaction chart has %d bars, want 24", n)
	}
	b.do("open the nominate form", chromedp.Click(chromedp.CSS(`[data-testid="nominate-open"]`)))
	b.do("fill in the nomination",
		chromedp.SendKeys(chromedp.CSS(`[data-testid="nominate-form"] #f-reason`), "Empfiehlt uns ungefragt – zwei Videos in drei Monaten."),
		chromedp.Click(chromedp.CSS(`[data-testid="evidence-choices"] input[type="checkbox"]`)),
		chromedp.SendKeys(chromedp.CSS(`[data-testid="nominate-form"] #f-links`), "https://youtube.com/watch?v=abc"))
	b.screenshot("advocates-01-nominate")
	b.navigate("send the nomination", chromedp.Click(chromedp.CSS(`[data-testid="nominate"]`)))
	wantText(t, "flash", b.text(`[data-testid="flash"]`), "Nomination sent to the managers for review.")
	wantText(t, "status", b.text(`[data-testid="nomination-status"]`), "Open")

	b.navigate("sign out", chromedp.Click(chromedp.CSS(`.me form button`)))
	b.signIn("katrin@example.com", password)
	wantContains(t, "dashboard nominations", b.text(`[data-testid="open-nominations"]`), "Jana Krüger")
	b.navigate("open the advocates", chromedp.Click(chromedp.CSS(`[data-testid="nav-advocates"]`)))
	b.navigate("open the review queue", chromedp.Click(chromedp.CSS(`[data-testid="review-link"]`)))
	wantContains(t, "review item", b.text(`[data-testid="review-item"]`), "Jana Krüger", "Empfiehlt uns ungefragt",
		"Video-Review unserer App", "https://youtube.com/watch?v=abc", "48,000", "Leonie Schäfer")
	b.do("comment", chromedp.SendKeys(chromedp.CSS(`[data-testid="decision-form"] #f-comment`), "Passt."))
	b.screenshot("advocates-02-review")
	b.navigate("approve", chromedp.Click(chromedp.CSS(`[data-testid="approve"]`)))
	wantText(t, "flash", b.text(`[data-testid="flash"]`), "Approved: Jana Krüger.")
	if n := b.count(`[data-testid="review-item"]`); n != 0 {
		t.Errorf("%d items left in the queue, want none", n)
	}

	b.open("/advocates")
	wantContains(t, "advocate list", b.text(`[data-testid="advocates"]`), "Jana Krüger", "Hamburg", "Gesundheit", "YouTube")
	b.open(contactURL)
	wantText(t, "stage", b.text(`[data-testid="stage"]`), "Advocate")
	wantContains(t, "history", b.text(`[data-testid="advocacy"]`), "Approved", "Katrin Vogel approved", "Passt.")
	b.screenshot("advocates-03-approved")
}
