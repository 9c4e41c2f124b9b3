package handlers_test

import (
	"context"
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
)

// TestTimelineWordsOnThePage (issue 19, item 4): the contact page's timeline
// filter finds old notes, far beyond the newest five the index holds, by
// stem, folding and compound, and renders them.
func TestTimelineWordsOnThePage(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("anna@example.com", "staff")
		c, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{FirstName: "Eva", LastName: "Roth"})
		if err != nil {
			t.Fatal(err)
		}
		notes := [][2]string{
			{"Reise nach Wien", "Plant eine Pressereise."},
			{"Treffen", "Termin in München verschoben."},
			{"", "Die Gesundheitsbloggerin möchte ein Testgerät."},
		}
		for range 8 { // newer than the three above
			notes = append(notes, [2]string{"Rückfrage", "Bittet um Bildmaterial."})
		}
		anna := a.db.Client.User.Query().OnlyX(ctx).ID
		at := time.Now().AddDate(0, -1, 0)
		for i, n := range notes {
			_, err := crm.LogInteraction(ctx, a.db.Client, anna, crm.InteractionInput{ContactIDs: []int{c.ID}, Type: "email",
				Direction: "outbound", Sentiment: "neutral", OccurredAt: at.Add(time.Duration(i) * time.Hour), Subject: n[0], Body: n[1]})
			if err != nil {
				t.Fatal(err)
			}
		}
		b := a.browser()
		b.login("anna@example.com")
		for q, want := range map[string]string{
			"Reisen":     "Reise nach Wien Plant eine Pressereise.",
			"muenchen":   "Treffen Termin in München verschoben.",
			"Blogger":    "Die Gesundheitsbloggerin möchte ein Testgerät.",
			"Testgeräte": "Die Gesundheitsbloggerin möchte ein Testgerät.",
		} {
			p := b.get(fmt.Sprintf("/contacts/%d?%s", c.ID, url.Values{"t_q": {q}}.Encode()))
			entries := p.doc.Find(`[data-testid="timeline-entry"]`)
			if entries.Length() != 1 {
				t.Errorf("t_q=%s: %d entries, want 1", q, entries.Length())
				continue
			}
			subject, body := entries.Find(`div[dir="auto"] strong`).Text(), entries.Find("p.body").Text()
			if got := fmt.Sprintf("%s %s", subject, body); subject != "" && got != want || subject == "" && body != want {
				t.Errorf("t_q=%s: rendered %q / %q, want %q", q, subject, body, want)
			}
		}
		p := b.get(fmt.Sprintf("/contacts/%d?t_q=Segelflug", c.ID))
		if p.doc.Find(`[data-testid="timeline-none"]`).Length() != 1 {
			t.Error("a word in no note: the timeline does not say nothing matches")
		}
	})
}
