package handlers_test

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func TestSegmentAndExportFlow(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		a.user("max@example.com", "manager")
		b := a.browser()
		b.login("anna@example.com")
		b.get("/contacts/new")
		idFrom(t, b.post("/contacts", contactForm()))
		f := contactForm()
		f.Set("first_name", "Greta")
		f.Set("last_name", "=cmd|' /C calc'!A0")
		f["email"] = []string{"greta@example.de"}
		f["channel_handle"] = []string{"greta_g"}
		f.Set("do_not_contact", "1")
		idFrom(t, b.post("/contacts", f))
		f.Set("first_name", "Hans")
		f["email"] = []string{"hans@example.de"}
		f["channel_handle"] = []string{"hans_h"}
		f.Del("do_not_contact")
		f.Set("last_name", "@SUM(1+1)*cmd|' /C calc'!A0")
		idFrom(t, b.post("/contacts", f))

		p := b.get("/contacts?region=M%C3%BCnchen")
		if p.doc.Find(`[data-testid="save-segment"]`).Length() != 1 {
			t.Fatal("no save-as-segment form on the list")
		}
		form := url.Values{"name": {"München Presse"}, "region": {"München"}, "shared": {"1"}}
		wantStatus(t, b.post("/segments", form), http.StatusSeeOther)
		// Text in a segment goes through the search engine: Mueller finds Müller.
		wantStatus(t, b.post("/segments", url.Values{"name": {"Mueller"}, "q": {"Mueller"}}), http.StatusSeeOther)
		p = b.get("/segments")
		seg := map[string]*goquery.Selection{}
		p.doc.Find(`[data-testid="segment-row"]`).Each(func(_ int, s *goquery.Selection) {
			seg[strings.Fields(s.Find("td").First().Text())[0]] = s
		})
		if len(seg) != 2 || seg["München"].Find(`[data-testid="segment-count"]`).Text() != "3" ||
			seg["Mueller"].Find(`[data-testid="segment-count"]`).Text() != "1" {
			t.Errorf("segment counts: %q, want 3 (München Presse) and 1 (Mueller)", p.text(`[data-testid="segments"]`))
		}
		href, _ := seg["München"].Find(`[data-testid="export-segment"]`).Attr("href")
		p = b.get(href)
		wantStatus(t, p, http.StatusOK)
		if got := p.text(`[data-testid="export-count"]`); got != "2" || !strings.Contains(p.text(`[data-testid="export-excluded"]`), "1 marked do-not-contact") {
			t.Errorf("preview: %q, %q", got, p.text(`[data-testid="export-excluded"]`))
		}
		hidden := url.Values{}
		p.doc.Find(`[data-testid="export-form"] input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) {
			n, _ := s.Attr("name")
			v, _ := s.Attr("value")
			hidden.Add(n, v)
		})
		hidden.Del("_csrf")
		hidden.Set("format", "excel-de")
		hidden["columns"] = []string{"id", "first_name", "last_name", "email", "phones"}
		p = b.post("/exports", hidden)
		wantStatus(t, p, http.StatusUnprocessableEntity) // no purpose
		if p.text(`[data-testid="error-purpose"]`) == "" {
			t.Error("purpose error not shown")
		}
		hidden.Set("purpose", "Einladung Pressekonferenz")
		p = b.post("/exports", hidden)
		wantStatus(t, p, http.StatusSeeOther)
		show := b.get(p.header.Get("Location"))
		if got := show.text(`[data-testid="export-rows"]`); got != "2" {
			t.Errorf("export rows %q", got)
		}
		// In German the format has its name and the status its label.
		de := b.getIn(p.header.Get("Location"), "de")
		if f, st := de.text(`[data-testid="export-format"]`), de.text(`[data-testid="export-status"]`); f != "Excel (Deutsch), CSV mit Semikolon" || st != "Erledigt" {
			t.Errorf("German export page: format %q, status %q", f, st)
		}
		de = b.getIn("/exports", "de")
		if f, st := de.text(`[data-testid="export-format"]`), de.text(`[data-testid="export-row-status"]`); f != "Excel (Deutsch), CSV mit Semikolon" || st != "Erledigt" {
			t.Errorf("German export list: format %q, status %q", f, st)
		}
		dl, _ := show.doc.Find(`[data-testid="download"]`).Attr("href")
		p = b.get(dl)
		wantStatus(t, p, http.StatusOK)
		if cd := p.header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || p.header.Get("Cache-Control") != "no-store" {
			t.Errorf("download headers: %v", p.header)
		}
		body := []byte(p.body)
		if !bytes.HasPrefix(body, []byte("\xEF\xBB\xBF")) {
			t.Fatal("Excel (Deutsch) export lacks its BOM")
		}
		r := csv.NewReader(bytes.NewReader(body[3:]))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 3 {
			t.Fatalf("%d records: %q", len(recs), recs)
		}
		for _, rec := range recs[1:] {
			if strings.Contains(rec[1], "Greta") {
				t.Error("a do-not-contact person was exported")
			}
			for _, cell := range rec {
				if cell != "" && strings.ContainsRune("=+-@", rune(cell[0])) {
					t.Errorf("cell %q would run as a formula", cell)
				}
			}
		}
		if !strings.Contains(p.body, "'@SUM(1+1)") || !strings.Contains(p.body, "'+49 89 1234-567") {
			t.Errorf("payload or phone not neutralised: %s", p.body)
		}
		// The manager sees it in the log; another staff member would not.
		m := a.browser()
		m.login("max@example.com")
		if m.get("/exports").doc.Find(`[data-testid="export-row"]`).Length() != 1 {
			t.Error("manager does not see the team's export")
		}
		if !strings.Contains(m.get("/audit?action=export").text("main"), "Einladung Pressekonferenz") {
			t.Error("export not audited with its purpose")
		}
	})
}

// TestSegmentListsWhatItCounts: a list opened from a segment shows exactly
// the contacts the segment counts, multi-valued filters and "stage or
// better" included.
func TestSegmentListsWhatItCounts(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		for i, stage := range []string{"aware", "engaged", "supporter", "unknown"} {
			a.person(fmt.Sprintf("Person%d", i), stage)
		}
		b := a.browser()
		b.login("anna@example.com")
		p := b.get("/contacts?stage_min=engaged")
		if got := p.text(`[data-testid="total"]`); got != "2 contacts" {
			t.Fatalf("engaged or better: %q, want 2 contacts", got)
		}
		wantStatus(t, b.post("/segments", url.Values{"name": {"Warm"}, "stage_min": {"engaged"}}), http.StatusSeeOther)
		p = b.get("/segments")
		if got := p.text(`[data-testid="segment-count"]`); got != "2" {
			t.Errorf("segment counts %q, want 2", got)
		}
		open, _ := p.doc.Find(`[data-testid="segment-row"] td.actions a`).First().Attr("href")
		if got := b.get(open).text(`[data-testid="total"]`); got != "2 contacts" {
			t.Errorf("the segment's list (%s) shows %q, want 2 contacts", open, got)
		}
		if got := b.get("/contacts?stage=aware&stage=unknown").text(`[data-testid="total"]`); got != "2 contacts" {
			t.Errorf("two stages: %q, want 2 contacts", got)
		}
	})
}
