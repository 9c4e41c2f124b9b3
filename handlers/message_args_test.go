package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
)

// TestMessagesWithValues: a refusal that names a record is translated as
// one catalogue entry with the name filled in, and a name that looks like a
// template stays text (a message built with Sprintf put the name into the
// ID, which the German page ran as a template: a nested {{range}} in a form
// field exhausted the server's memory).
func TestMessagesWithValues(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		name := "{{range 100}}{{range 1000}}X{{end}}{{end}}"
		c, err := crm.CreateContact(context.Background(), a.db.Client, crm.ContactInput{FirstName: "Ada", LastName: name, Stage: "supporter"})
		if err != nil {
			t.Fatal(err)
		}
		b := a.browser()
		b.login("staff@example.com")
		path := fmt.Sprintf("/contacts/%d/nominations", c.ID)
		wantStatus(t, b.postIn(path, "de", url.Values{"reason": {"Empfiehlt uns"}}), http.StatusSeeOther)
		p := b.postIn(path, "de", url.Values{"reason": {"noch einmal"}})
		wantStatus(t, p, http.StatusConflict)
		want := "Für Ada " + name + " gibt es schon eine offene Nominierung; sie wartet auf die Entscheidung eines Managers."
		if got := p.text(`[data-testid="error-page"] p`); !strings.HasPrefix(got, want) {
			t.Errorf("German conflict: %.200q, want %q", got, want)
		}
		p = b.postIn(path, "en", url.Values{"reason": {"again"}})
		want = "Ada " + name + " has an open nomination already; it is waiting for a manager's decision."
		if got := p.text(`[data-testid="error-page"] p`); !strings.HasPrefix(got, want) {
			t.Errorf("English conflict: %.200q, want %q", got, want)
		}
		p = b.postIn(fmt.Sprintf("/contacts/%d/nominations", a.person("Other", "supporter")), "de",
			url.Values{"reason": {"x"}, "links": {"ftp://x/{{range 3}}AB{{end}}"}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if got := p.text(`[data-testid="error-links"]`); !strings.HasPrefix(got, "Jeder Link muss eine Webadresse sein, die mit http:// oder https:// beginnt (höchstens 500 Zeichen).") {
			t.Errorf("link error: %q", got)
		}
	})
}
