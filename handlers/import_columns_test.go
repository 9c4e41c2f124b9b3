package handlers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestImportColumnReport: the preview says how many of the columns that
// hold data are mapped and lists each unmapped one with its values and a
// suggested field; the result names what was ignored; a known export is
// recognised and mapped whole.
func TestImportColumnReport(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		b := a.browser()
		b.login("staff@example.com")
		b.get("/imports/new")
		csv := "Vorname,Nachname,E-Mail,Lieblingsfarbe,Leer,Zweitmail\nMiriam,Klein,miriam@example.com,Blau,,mk@example.org\nJonas,Brandt,jonas@example.com,Grün,,\n"
		p := b.upload("/imports", "liste.csv", []byte(csv))
		wantStatus(t, p, http.StatusSeeOther)
		show := p.header.Get("Location")
		p = b.get(show)
		if got := p.text(`[data-testid="column-count"]`); got != "3 of 5 columns that hold data are mapped." {
			t.Errorf("column count %q", got)
		}
		rows := p.doc.Find(`[data-testid="unmapped-column"]`)
		if rows.Length() != 2 {
			t.Fatalf("%d unmapped columns listed, want 2: %q", rows.Length(), p.text(`[data-testid="unmapped-columns"]`))
		}
		first := rows.First().Text()
		if !strings.Contains(first, "Lieblingsfarbe") || !strings.Contains(first, "Blau · Grün") || !strings.Contains(first, "Note line") {
			t.Errorf("first unmapped column row %q", first)
		}
		if second := rows.Last().Text(); !strings.Contains(second, "Zweitmail") || !strings.Contains(second, "E-mail (work)") {
			t.Errorf("second unmapped column row %q", second)
		}
		form := mappingForm(p)
		wantStatus(t, b.post(show+"/dry-run", form), http.StatusSeeOther)
		runQueued(t, a.db)
		wantStatus(t, b.post(show+"/run", url.Values{}), http.StatusSeeOther)
		runQueued(t, a.db)
		p = b.get(show)
		if got := p.text(`[data-testid="outcomes"] [data-testid="unmapped-columns"]`); !strings.Contains(got, "Lieblingsfarbe") || !strings.Contains(p.text(`[data-testid="outcomes"]`), "These columns were ignored") {
			t.Errorf("result does not name the ignored columns: %q", p.text(`[data-testid="outcomes"]`))
		}

		p = b.upload("/imports", "contacts.csv", importFile(t, "layouts/google.csv"))
		p = b.get(p.header.Get("Location"))
		if got := p.text(`[data-testid="column-layout"]`); got != "Recognised: Google Contacts." {
			t.Errorf("layout %q", got)
		}
		if got := p.text(`[data-testid="column-count"]`); got != "20 of 20 columns that hold data are mapped." {
			t.Errorf("google column count %q", got)
		}
	})
}
