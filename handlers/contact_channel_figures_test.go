package handlers_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/socialprofile"
	"github.com/rapport-crm/rapport/handlers"
)

// TestContactChannelFigures: a figures file with a newer reading of a
// contact's channel moves the channel's count on the contact page
// ("12.345" in German) and the contact's reach, in the search index (the
// reach sort puts the contact first now) and the list, with the import's
// sentence in the contact's history; an older reading (a backfill) leaves
// it. The reading's engagement moves the channel's engagement rate on the
// contact page ("1,0 % Engagement": 120 of 12.345), an older one leaves it.
// The channel's figures page, linked from the contact's channel row,
// shows the readings in the weekly table and the chart, and staff, who may
// edit the contact, record a reading there that moves the count and the
// rate too.
func TestContactChannelFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clk := &clock{now: time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)} // the contacts are saved at 9:00, a day's readings are at noon
		cfg := handlers.DefaultConfig
		cfg.Now = clk.Now
		a := newAppWith(t, d, cfg)
		a.user("m@example.com", "manager")
		a.user("s@example.com", "staff")
		ctx := t.Context()
		s := a.browser()
		s.login("s@example.com")
		s.get("/contacts/new")
		f := contactForm()
		f.Set("last_name", "Müller")
		f["channel_followers"] = []string{"10.000", "800", ""}
		id := idFrom(t, s.post("/contacts", f))
		other := contactForm()
		other.Set("first_name", "Zora")
		other.Set("last_name", "Zander")
		other["channel_platform"], other["channel_handle"], other["channel_followers"] = []string{"youtube"}, []string{"zander"}, []string{"12.000"}
		other["email"] = []string{"zander@example.de"}
		idFrom(t, s.post("/contacts", other))
		x := a.db.Client.SocialProfile.Query().Where(socialprofile.PlatformEQ(socialprofile.PlatformX), socialprofile.HandleNEQ("zander")).OnlyX(ctx)
		figures := fmt.Sprintf("/contacts/%s/channels/%d/figures", id, x.ID)

		reachOrder := func() string {
			var names []string
			s.get("/search?sort=reach&kind=journalist").doc.Find(`[data-testid="search-hit"] .hit-name`).Each(func(_ int, h *goquery.Selection) {
				names = append(names, strings.Fields(h.Text())[1])
			})
			return strings.Join(names, " ")
		}
		if got := reachOrder(); got != "Zander Müller" {
			t.Fatalf("search by reach before: %q", got)
		}

		today := clk.Now()
		lastWeek := today.AddDate(0, 0, -7)
		m := a.browser()
		m.login("m@example.com")
		importFigures(t, m, "zahlen.csv", "Datum;Kanal;Plattform;Follower;Interaktionen\n"+
			today.Format("02.01.2006")+";@JMueller_SZ;X;12.345;120\n"+
			lastWeek.Format("02.01.2006")+";jmueller_sz;x;11.000;80\n")

		cp := s.getIn("/contacts/"+id, "de")
		if got := cp.text(`[data-testid="channels"] li:first-child [data-testid="channel-followers"]`); !strings.HasPrefix(got, "12.345 ") {
			t.Errorf("contact page: x channel %q, want 12.345 Follower", got)
		}
		if got := cp.text(`[data-testid="reach"]`); got != "13.145" {
			t.Errorf("contact page: reach %q, want 13.145", got)
		}
		engagement := func(lang string) string {
			return s.getIn("/contacts/"+id, lang).text(`[data-testid="channels"] li:first-child [data-testid="channel-engagement"]`)
		}
		if got := cp.text(`[data-testid="channel-engagement"]`); got != "1,0 % Engagement" {
			t.Errorf("contact page: engagement %q, want 1,0 %% Engagement (only the x channel has one)", got)
		}
		if href := cp.doc.Find(`[data-testid="channels"] li:first-child [data-testid="channel-figures"]`).AttrOr("href", ""); href != figures {
			t.Errorf("channel row links %q, want %q", href, figures)
		}
		if got := reachOrder(); got != "Müller Zander" {
			t.Errorf("search by reach after the import: %q, want Müller first", got)
		}
		if got := s.get("/contacts?sort=reach").text(`[data-testid="contact-row"]:first-child td:first-child`); !strings.Contains(got, "Müller") {
			t.Errorf("list by reach starts with %q, want Müller", got)
		}
		if h := s.getIn("/contacts/"+id+"/history", "de").body; !strings.Contains(h, "Kanalzahlen aus zahlen.csv importiert") {
			t.Error("the contact's history lacks the import's sentence")
		}
		ev := a.db.Client.AuditEvent.Query().Where(auditevent.Entity(crm.EntityContact), auditevent.Message("Channel figures imported from {{.File}}")).OnlyX(ctx)
		if ch, _ := json.Marshal(ev.Changes); !strings.Contains(string(ch), "x/jmueller_sz: 10000") || !strings.Contains(string(ch), "x/jmueller_sz: 12345") {
			t.Errorf("audit changes %s, want the channel's count 10000 → 12345", ch)
		}

		importFigures(t, m, "alt.csv", "Datum;Kanal;Plattform;Follower\n"+today.AddDate(0, 0, -14).Format("02.01.2006")+";jmueller_sz;x;9.000\n")
		if got := s.getIn("/contacts/"+id, "de").text(`[data-testid="reach"]`); got != "13.145" {
			t.Errorf("after an older reading: reach %q, want 13.145 kept", got)
		}
		importFigures(t, m, "alt2.csv", "Datum;Kanal;Plattform;Follower;Interaktionen\n"+today.AddDate(0, 0, -21).Format("02.01.2006")+";jmueller_sz;x;9.000;900\n")
		if got := engagement("de"); got != "1,0 % Engagement" {
			t.Errorf("after an older reading: engagement %q, want 1,0 %% kept", got)
		}

		fp := s.getIn(figures+"?weeks=4", "de")
		wantStatus(t, fp, http.StatusOK)
		week := func(at time.Time, tid string) string {
			return fp.text(`[data-testid="figures-week"][data-week="` + crm.WeekStart(at).Format(time.DateOnly) + `"] [data-testid="` + tid + `"]`)
		}
		if got := []string{week(today, "week-followers"), week(today, "week-engagement"), week(lastWeek, "week-followers"), week(lastWeek, "week-engagement")}; strings.Join(got, "|") != "12.345|120|11.000|80" {
			t.Errorf("weekly table %q, want 12.345|120|11.000|80", got)
		}
		if fp.doc.Find(`[data-testid="chart-figures-followers"] polyline`).Length() != 1 || fp.text(`[data-testid="figures-current"]`) != "12.345" {
			t.Errorf("figures page: chart %d, current %q", fp.doc.Find(`[data-testid="chart-figures-followers"] polyline`).Length(), fp.text(`[data-testid="figures-current"]`))
		}
		if got := fp.text(`[data-testid="figures-contact"]`); !strings.Contains(got, "Müller") {
			t.Errorf("figures page names %q, want the contact", got)
		}
		bad := s.postIn(figures, "de", url.Values{"at": {today.Format(time.DateOnly)}, "followers": {"-1"}})
		wantStatus(t, bad, http.StatusUnprocessableEntity)
		if !strings.Contains(bad.text(`[data-testid="figure-form"]`), "Follower sind eine Zahl, 0 oder mehr.") {
			t.Error("no German field error on the contact channel's form")
		}
		wantStatus(t, s.post(figures, url.Values{"at": {today.Format(time.DateOnly)}, "followers": {"12.400"}, "engagement": {"310"}}), http.StatusSeeOther)
		if got := s.getIn("/contacts/"+id, "de").text(`[data-testid="reach"]`); got != "13.200" {
			t.Errorf("after the typed reading: reach %q, want 13.200", got)
		}
		if de, en := engagement("de"), engagement("en"); de != "2,5 % Engagement" || en != "2.5 % engagement" {
			t.Errorf("after the typed reading (310 of 12.400): engagement %q / %q, want 2,5 %% Engagement / 2.5 %% engagement", de, en)
		}
		if n := a.db.Client.AuditEvent.Query().Where(auditevent.Entity(crm.EntityContact), auditevent.Message("Channel figures of {{.Channel}} entered by hand")).CountX(ctx); n != 1 {
			t.Errorf("%d contact events for the typed reading, want 1", n)
		}
		wantStatus(t, s.get(fmt.Sprintf("/contacts/%s/channels/%d/figures", id, x.ID+1000)), http.StatusNotFound)
	})
}

// importFigures uploads a figures file and imports its good rows as b.
func importFigures(t *testing.T, b *browser, name, file string) {
	t.Helper()
	b.get("/channels/figures/import")
	plan := b.uploadCoverage("/channels/figures/import", name, file, "de")
	wantStatus(t, plan, http.StatusOK)
	f := url.Values{"mode": {"import"}}
	plan.doc.Find(`[data-testid="fi-plan"] input[type="hidden"]`).Each(func(_ int, s *goquery.Selection) { f.Set(s.AttrOr("name", ""), s.AttrOr("value", "")) })
	plan.doc.Find(`[data-testid="fi-plan"] select`).Each(func(_ int, s *goquery.Selection) {
		f.Set(s.AttrOr("name", ""), s.Find("option[selected]").AttrOr("value", ""))
	})
	wantStatus(t, b.post("/channels/figures/import", f), http.StatusSeeOther)
}
