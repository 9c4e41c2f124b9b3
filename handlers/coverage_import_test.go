package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/campaign"
	"github.com/rapport-crm/rapport/ent/coverageitem"
)

// uploadCoverage posts file as the multipart form of the coverage import, in lang.
func (b *browser) uploadCoverage(path, name, content, lang string) page {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", b.csrf)
	fw, _ := w.CreateFormFile("file", name)
	_, _ = fw.Write([]byte(content))
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	return b.do(req)
}

// planForm is the check's form as the page holds it (hidden file, mapping).
func planForm(p page, mode string) url.Values {
	f := url.Values{"mode": {mode}}
	p.doc.Find(`[data-testid="ci-plan"] input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
		f.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	p.doc.Find(`[data-testid="ci-plan"] select`).Each(func(_ int, s *goquery.Selection) {
		f.Set(s.AttrOr("name", ""), s.Find("option[selected]").AttrOr("value", ""))
	})
	return f
}

const coverageCSV = "Datum;Titel;Medium;Link;Autor;Reichweite;Tonalität\n" +
	"30.11.2026;Wanderschuhe im Test;Abendzeitung;https://az.example/a?utm_source=nl;Presse 1;120.000;positiv\n" +
	"2026-11-28;Bergstiefel für alle;SZ;https://sz.example/b;presse2@example.de;5000;neutral\n" +
	"01.12.2026;Noch einmal;AZ;https://www.az.example/a/;;;\n" +
	"gestern;=1+2;taz;https://taz.example/c;;;\n" +
	"2026-11-29;\"=HYPERLINK(\"\"http://x.example\"\",\"\"klick\"\")\";Blog;https://blog.example/d;Niemand Bekannt;;\n"

// TestCoverageImport: a monitoring export with German headers is mapped by
// guess, checked row by row (names, counts, a duplicate URL, a bad date, an
// unknown author) in English and German, imported through the one coverage
// writer with its authors and an audit entry, and a second import of the same
// file saves nothing; a formula title goes into the report's XLSX as text.
func TestCoverageImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		a := newApp(t, d)
		a.user("mia@example.com", "manager")
		seedPeople(t, d, 3)
		ctx := context.Background()
		mia := a.browser()
		mia.login("mia@example.com")
		wantStatus(t, mia.post("/clients", url.Values{"name": {"Bergwerk Outdoor GmbH"}}), http.StatusSeeOther)
		clientID := d.Client.Brand.Query().OnlyIDX(ctx)
		wantStatus(t, mia.post("/campaigns", url.Values{"brand": {fmt.Sprint(clientID)}, "name": {"Herbst am Berg"},
			"starts_at": {"2026-11-01"}, "status": {"running"}}), http.StatusSeeOther)
		cid := d.Client.Campaign.Query().Where(campaign.Name("Herbst am Berg")).OnlyIDX(ctx)
		base := fmt.Sprintf("/campaigns/%d", cid)
		show := mia.get(base)
		if show.doc.Find(`[data-testid="ci-upload"]`).Length() != 1 {
			t.Fatal("the campaign page has no coverage upload form")
		}

		p := mia.uploadCoverage(base+"/coverage/import", "monitoring.csv", coverageCSV, "")
		if p.status != http.StatusOK {
			t.Fatalf("check: %d %s", p.status, p.text(`[data-testid="ci-error"]`))
		}
		counts := func(p page) string {
			return strings.Join([]string{p.text(`[data-testid="ci-new"]`), p.text(`[data-testid="ci-duplicates"]`),
				p.text(`[data-testid="ci-errors"]`), p.text(`[data-testid="ci-warnings"]`)}, "/")
		}
		if got := counts(p); got != "3/1/1/1" {
			t.Errorf("counts new/duplicates/errors/warnings %s, want 3/1/1/1", got)
		}
		var rows []string
		p.doc.Find(`[data-testid="ci-row"]`).Each(func(_ int, s *goquery.Selection) {
			cell := func(i int) string { return strings.TrimSpace(s.Find("td").Eq(i).Text()) }
			rows = append(rows, strings.Join([]string{cell(0), cell(1), cell(2), cell(3), cell(5), cell(6)}, " | ")+" | "+cell(7))
		})
		want := []string{
			"2 | new | Nov 30, 2026 | Wanderschuhe im Test | Presse 1 | 120,000 | ",
			"3 | new | Nov 28, 2026 | Bergstiefel für alle | Presse 2 | 5,000 | ",
			"4 | duplicate, skipped | Dec 1, 2026 | Noch einmal |  |  | The same web address as an earlier row. (2)",
			"5 | error, skipped |  | =1+2 |  |  | Write the date as 2026-11-30 or 30.11.2026. (gestern)",
			`6 | new | Nov 29, 2026 | =HYPERLINK("http://x.example","klick") |  |  | No contact has this name or address; the piece is saved without this author. (Niemand Bekannt)`,
		}
		if strings.Join(rows, "\n") != strings.Join(want, "\n") {
			t.Errorf("dry run rows:\n%s\nwant:\n%s", strings.Join(rows, "\n"), strings.Join(want, "\n"))
		}
		if n := d.Client.CoverageItem.Query().CountX(ctx); n != 0 {
			t.Fatalf("the check saved %d pieces", n)
		}

		de := mia.uploadCoverage(base+"/coverage/import", "monitoring.csv", coverageCSV, "de-DE,de;q=0.9")
		wantStatus(t, de, http.StatusOK)
		if got := de.text(`[data-testid="ci-row"][data-status="error"] [data-testid="ci-problems"]`); got != "Schreiben Sie das Datum als 2026-11-30 oder 30.11.2026. (gestern)" {
			t.Errorf("German row error %q", got)
		}
		if got := de.text(`[data-testid="ci-row"][data-status="duplicate"] [data-testid="ci-status"]`); got != "doppelt, übersprungen" {
			t.Errorf("German duplicate status %q", got)
		}

		// The skipped rows as CSV, with their problems, formulas neutralised.
		rej := mia.post(base+"/coverage/import", planForm(p, "rejected"))
		wantStatus(t, rej, http.StatusOK)
		wantCSV := "Row,Problem,Datum,Titel,Medium,Link,Autor,Reichweite,Tonalität\n" +
			"4,The same web address as an earlier row. (2),01.12.2026,Noch einmal,AZ,https://www.az.example/a/,,,\n" +
			"5,Write the date as 2026-11-30 or 30.11.2026. (gestern),gestern,'=1+2,taz,https://taz.example/c,,,\n"
		if got := strings.ReplaceAll(strings.TrimPrefix(rej.body, "\uFEFF"), "\r\n", "\n"); got != wantCSV {
			t.Errorf("rejected rows:\n%s\nwant:\n%s", got, wantCSV)
		}

		wantStatus(t, mia.post(base+"/coverage/import", planForm(p, "import")), http.StatusSeeOther)
		show = mia.get(base)
		var pieces []string
		show.doc.Find(`[data-testid="piece-row"]`).Each(func(_ int, s *goquery.Selection) {
			pieces = append(pieces, strings.TrimSpace(s.Find("td").Eq(1).Text())+" / "+strings.TrimSpace(s.Find("td").Eq(4).Text()))
		})
		wantPieces := "Bergstiefel für alle / Presse 2|" + `=HYPERLINK("http://x.example","klick") / |` + "Wanderschuhe im Test / Presse 1" // by publication
		if strings.Join(pieces, "|") != wantPieces {
			t.Errorf("pieces after the import %q, want %q", strings.Join(pieces, "|"), wantPieces)
		}
		if !strings.Contains(show.text(`[role="status"], .flash`), "3 pieces saved, 2 rows skipped") {
			t.Errorf("flash %q", show.text(`[role="status"], .flash`))
		}
		if n := d.Client.AuditEvent.Query().Where(auditevent.Action("import"), auditevent.Entity("campaign")).CountX(ctx); n != 1 {
			t.Errorf("%d import audit entries, want 1", n)
		}
		item := d.Client.CoverageItem.Query().Where(coverageitem.Title("Wanderschuhe im Test")).OnlyX(ctx)
		if item.Reach == nil || *item.Reach != 120000 || item.Sentiment != "positive" || item.PublishedAt.Format("2006-01-02") != "2026-11-30" {
			t.Errorf("saved piece %+v", item)
		}

		again := mia.uploadCoverage(base+"/coverage/import", "monitoring.csv", coverageCSV, "")
		if got := counts(again); got != "0/4/1/0" {
			t.Errorf("second check: counts %s, want 0/4/1/0", got)
		}
		if again.doc.Find(`[data-testid="ci-import"]`).Length() != 0 {
			t.Error("the second check offers to import nothing")
		}

		bad := mia.uploadCoverage(base+"/coverage/import", "x.csv", "Spalte A;Spalte B;Spalte C\n1;2;3\n", "")
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		if got := bad.text(`[data-testid="ci-error"]`); got != "Map a column to the title and one to the publication date." {
			t.Errorf("unmapped file: %q", got)
		}
		big := mia.uploadCoverage(base+"/coverage/import", "big.csv", "Titel;Datum\n"+strings.Repeat("Ein Titel;2026-11-30\n", 1001), "")
		if got := big.text(`[data-testid="ci-error"]`); got != "The file has more than 1,000 rows. Split it and import the parts." {
			t.Errorf("too many rows: %q", got)
		}

		x := mia.get(base + "/report.xlsx")
		wantStatus(t, x, http.StatusOK)
		f, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
		if err != nil {
			t.Fatal(err)
		}
		rows2, _ := f.GetRows("Pieces")
		for i, r := range rows2 {
			if len(r) > 1 && strings.HasPrefix(r[1], "=HYPERLINK") {
				cell := fmt.Sprintf("B%d", i+1)
				if formula, _ := f.GetCellFormula("Pieces", cell); formula != "" {
					t.Errorf("the imported title is a formula in the XLSX: %q", formula)
				}
			}
		}
	})
}
