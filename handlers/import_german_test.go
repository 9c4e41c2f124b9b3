package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// TestImportInGerman: the mapping page says its fields, encodings,
// delimiters and the file's type in German, and the dry run says the rows'
// problems in German with the values as the file had them.
func TestImportInGerman(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		b := a.browser()
		b.login("staff@example.com")
		b.get("/imports/new")
		csv := "Vorname;Nachname;E-Mail;Follower;X\nÄnne;Beispiel;aenne@example.;abc;@aenne\nBert;Muster;bert@example.com;12x;@bert\n"
		p := b.upload("/imports", "presse.csv", []byte(csv))
		wantStatus(t, p, http.StatusSeeOther)
		show := p.header.Get("Location")
		p = b.getIn(show, "de")
		wantStatus(t, p, http.StatusOK)
		options := func(sel string) string {
			var out []string
			p.doc.Find(sel + " option").Each(func(_ int, s *goquery.Selection) { out = append(out, s.Text()) })
			return strings.Join(out, "|")
		}
		fields := options("#f-col-0")
		for _, want := range []string{"— ignorieren —", "Rapport-ID", "Vorname", "Titel / Position", "E-Mail (geschäftlich)", "X / Twitter-Follower"} {
			if !strings.Contains(fields, want) {
				t.Errorf("the field choices lack %q: %s", want, fields)
			}
		}
		for _, english := range []string{"— ignore —", "First name", "Title / position", "X / Twitter followers"} {
			if strings.Contains(fields, english) {
				t.Errorf("the field choices say %q in English: %s", english, fields)
			}
		}
		if got := options("#f-encoding"); !strings.Contains(got, "UTF-16 (Little Endian)") || !strings.Contains(got, "Windows-1252 (Excel, Westeuropa)") {
			t.Errorf("encodings %q", got)
		}
		if got := options("#f-delimiter"); !strings.Contains(got, "Komma ,") || !strings.Contains(got, "Semikolon ;") || !strings.Contains(got, "Tabulator") {
			t.Errorf("delimiters %q", got)
		}
		if got := p.text(`[data-testid="import-format"]`); got != "CSV" {
			t.Errorf("the file's type reads %q, want CSV", got)
		}
		wantStatus(t, b.post(show+"/dry-run", mappingForm(p)), http.StatusSeeOther)
		runQueued(t, a.db)
		p = b.getIn(show, "de")
		rows := p.text(`[data-testid="outcome-table"]`)
		for _, want := range []string{
			"E-Mail: Keine E-Mail-Adresse: aenne@example. Follower: „abc“ ist keine Zahl; Follower bleiben bei 0.",
			"Follower: „12x“ ist keine Zahl; Follower bleiben bei 0.",
		} {
			if !strings.Contains(rows, want) {
				t.Errorf("the dry run's rows lack %q:\n%s", want, rows)
			}
		}
		if strings.Contains(rows, "is not a number") || strings.Contains(rows, "Not an e-mail") {
			t.Errorf("the dry run's rows say English:\n%s", rows)
		}
		if en := b.getIn(show, "en").text(`[data-testid="outcome-table"]`); !strings.Contains(en, "Follower: “12x” is not a number; followers left at 0.") {
			t.Errorf("in English the rows read:\n%s", en)
		}
	})
}
