package handlers_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/followersnapshot"
	"github.com/rapport-crm/rapport/locale"
)

// postIn is post with an Accept-Language.
func (b *browser) postIn(path, lang string, form url.Values) page {
	b.t.Helper()
	form.Set("_csrf", b.csrf)
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept-Language", lang)
	return b.do(req)
}

// TestChannelFiguresPages: a manager records figures by hand (a negative
// number is refused in German with the typed values kept), imports a
// German figures file (row errors in German, the good rows recorded), and
// the channel's weekly table, the region × topic page and the XLSX show
// the numbers and dates in the user's language, equal to independent SQL
// sums; staff read the figures but record nothing; the menu links them.
func TestChannelFiguresPages(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("m@example.com", "manager")
		a.user("s@example.com", "staff")
		ctx := t.Context()
		health := a.db.Client.Topic.Create().SetName("Gesundheit").SaveX(ctx)
		ch, err := crm.NewOwnedChannels(a.db.Client).Save(ctx, 0, crm.OwnedChannelInput{Platform: "x", Handle: "klinik_hh", Region: "Hamburg", TopicID: health.ID})
		if err != nil {
			t.Fatal(err)
		}
		id := strconv.Itoa(ch.ID)
		monday := crm.WeekStart(time.Now())
		lastWeek := monday.AddDate(0, 0, -7)
		de := locale.With(context.Background(), locale.Get(locale.German))

		m := a.browser()
		m.login("m@example.com")
		m.get("/channels/" + id + "/figures")
		bad := m.postIn("/channels/"+id+"/figures", "de", url.Values{"at": {monday.Format(time.DateOnly)}, "followers": {"-5"}})
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		if v := bad.doc.Find(`input[name="followers"]`).AttrOr("value", ""); v != "-5" {
			t.Errorf("the form lost the followers: %q", v)
		}
		if got := bad.text(`[data-testid="figure-form"]`); !strings.Contains(got, "Follower sind eine Zahl, 0 oder mehr.") {
			t.Errorf("German field error missing: %q", got)
		}
		wantStatus(t, m.post("/channels/"+id+"/figures", url.Values{"at": {lastWeek.Format(time.DateOnly)}, "followers": {"12.000"}}), http.StatusSeeOther)

		file := "Datum;Kanal;Plattform;Follower;Interaktionen\n" +
			monday.Format("02.01.2006") + ";@Klinik_HH;X;12.500;3.127\n" +
			"31.02.2026;klinik_hh;x;100;\n" +
			monday.Format("02.01.2006") + ";klinik_hh;x;-7;\n" +
			monday.Format("02.01.2006") + ";unbekannt;x;5;\n"
		m.get("/channels/figures/import")
		plan := m.uploadCoverage("/channels/figures/import", "zahlen.csv", file, "de")
		wantStatus(t, plan, http.StatusOK)
		if plan.text(`[data-testid="fi-new"]`) != "1" || plan.text(`[data-testid="fi-errors"]`) != "3" {
			t.Errorf("plan counts: %q", plan.text(`[data-testid="fi-counts"]`))
		}
		var problems []string
		plan.doc.Find(`[data-testid="fi-problems"]`).Each(func(_ int, s *goquery.Selection) { problems = append(problems, strings.TrimSpace(s.Text())) })
		want := []string{"", "Schreiben Sie das Datum als", "Follower sind eine Zahl, 0 oder mehr. (-7)", "Kein eigener Kanal und kein Kanal eines Kontakts hat diesen Namen. (unbekannt)"}
		for i, w := range want {
			if i >= len(problems) || (w == "" && problems[i] != "") || !strings.Contains(problems[i], w) {
				t.Errorf("row %d problems %q, want %q", i+2, problems, w)
			}
		}
		f := url.Values{"mode": {"import"}}
		plan.doc.Find(`[data-testid="fi-plan"] input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) { f.Set(s.AttrOr("name", ""), s.AttrOr("value", "")) })
		plan.doc.Find(`[data-testid="fi-plan"] select`).Each(func(_ int, s *goquery.Selection) {
			f.Set(s.AttrOr("name", ""), s.Find("option[selected]").AttrOr("value", ""))
		})
		wantStatus(t, m.post("/channels/figures/import", f), http.StatusSeeOther)
		if n := a.db.Client.FollowerSnapshot.Query().Where(followersnapshot.OwnedChannelID(ch.ID)).CountX(ctx); n != 2 {
			t.Fatalf("%d readings, want 2 (one typed, one imported)", n)
		}

		var sumEngagement, readings int64
		if err := a.db.SQL.QueryRowContext(ctx, `SELECT COALESCE(SUM(engagement), 0), COUNT(*) FROM follower_snapshots WHERE owned_channel_id = $1 AND at >= $2 AND at < $3`,
			ch.ID, monday, monday.AddDate(0, 0, 7)).Scan(&sumEngagement, &readings); err != nil {
			t.Fatal(err)
		}
		for _, path := range []string{"/channels/" + id + "/figures?weeks=4", "/channels/figures?region=Hamburg&topic=Gesundheit&weeks=4"} {
			p := m.getIn(path, "de")
			row := p.doc.Find(`[data-testid="figures-week"][data-week="` + monday.Format(time.DateOnly) + `"]`)
			got := []string{row.Find(`[data-testid="week-start"]`).Text(), row.Find(`[data-testid="week-followers"]`).Text(),
				row.Find(`[data-testid="week-gained"]`).Text(), row.Find(`[data-testid="week-engagement"]`).Text()}
			wantRow := []string{locale.Date(de, monday), "12.500", "+500", locale.Number(de, sumEngagement)}
			if strings.Join(got, "|") != strings.Join(wantRow, "|") || readings != 1 || sumEngagement != 3127 {
				t.Errorf("%s this week: %q, want %q (SQL: %d readings)", path, got, wantRow, readings)
			}
			if n := p.doc.Find(`[data-testid="figures-week"]`).Length(); n != 4 {
				t.Errorf("%s: %d weeks, want 4", path, n)
			}
			if p.doc.Find(`[data-testid="chart-figures-followers"] polyline`).Length() != 1 {
				t.Errorf("%s: no follower chart", path)
			}
			if ticks := p.text(`[data-testid="chart-figures-followers"] text.tick`); !strings.Contains(ticks, locale.Month(de, monday)) {
				t.Errorf("%s: the follower chart's ticks %q lack %q", path, ticks, locale.Month(de, monday))
			}
			if top := p.doc.Find(`[data-testid="chart-figures-engagement"] text.tick`).First().Text(); top != "3.127" {
				t.Errorf("%s: the engagement chart's top reads %q, want 3.127", path, top)
			}
		}

		x := m.getIn("/channels/figures.xlsx?channel="+id+"&weeks=2", "de")
		wantStatus(t, x, http.StatusOK)
		xf, err := excelize.OpenReader(bytes.NewReader([]byte(x.body)))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := xf.GetRows(xf.GetSheetName(0))
		if len(rows) != 3 || strings.Join(rows[0], "|") != "Woche ab|Beiträge|Follower|Follower-Zuwachs|Engagement|Impressionen|Erwähnungen" ||
			strings.Join(rows[2][:5], "|") != locale.Date(de, monday)+"|0|12500|500|3127" {
			t.Errorf("xlsx rows %q", rows)
		}

		nav := m.get("/channels")
		for _, tid := range []string{"nav-channel-matrix", "nav-figures", "nav-keywords"} {
			if nav.doc.Find(`[data-testid="`+tid+`"]`).Length() != 1 {
				t.Errorf("manager's menu lacks %s", tid)
			}
		}
		s := a.browser()
		s.login("s@example.com")
		sp := s.get("/channels/" + id + "/figures")
		wantStatus(t, sp, http.StatusOK)
		if sp.doc.Find(`[data-testid="figure-form"]`).Length() != 0 || sp.doc.Find(`[data-testid="nav-keywords"]`).Length() != 0 {
			t.Error("staff see the figures form or the keyword alerts link")
		}
		wantStatus(t, s.post("/channels/"+id+"/figures", url.Values{"at": {monday.Format(time.DateOnly)}, "followers": {"1"}}), http.StatusForbidden)
	})
}
