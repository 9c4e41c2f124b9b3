package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	ical "github.com/emersion/go-ical"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/notify"
	"github.com/rapport-crm/rapport/ent/user"
)

// TestUnsubscribeWithoutSignIn: the link of a mail works for a visitor with
// no session; the page asks first (a GET changes nothing), its button and a
// mail client's RFC 8058 one-click POST (no form token) unsubscribe; a link
// changed by hand is 404.
func TestUnsubscribeWithoutSignIn(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("staff@example.com", "staff")
		u := a.db.Client.User.Query().Where(user.Email("staff@example.com")).OnlyX(ctx)
		tok, err := notify.UnsubscribeToken(ctx, a.db.Client, u.ID, notify.Digest)
		if err != nil {
			t.Fatal(err)
		}
		b := a.browser()
		p := b.get("/unsubscribe/" + tok)
		if p.status != http.StatusOK || p.text(`[data-testid="unsubscribe"] p`) != "Stop sending staff@example.com these mails: Morning digest of my follow-ups?" {
			t.Fatalf("unsubscribe page: %d %q", p.status, p.text(`[data-testid="unsubscribe"] p`))
		}
		if on, _ := notify.Wanted(ctx, a.db.Client, u.ID); !slices.Contains(on, notify.Digest) {
			t.Fatal("a GET unsubscribed")
		}
		res, err := http.Post(a.srv.URL+"/unsubscribe/"+tok, "application/x-www-form-urlencoded", strings.NewReader("List-Unsubscribe=One-Click"))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("one-click POST: %d", res.StatusCode)
		}
		if on, _ := notify.Wanted(ctx, a.db.Client, u.ID); slices.Contains(on, notify.Digest) || len(on) != len(notify.Kinds)-1 {
			t.Errorf("after the one-click POST the user receives %v", on)
		}
		p = b.get("/unsubscribe/" + tok)
		if got := p.text(`[data-testid="unsubscribed"]`); got != "staff@example.com no longer receives: Morning digest of my follow-ups." {
			t.Errorf("after unsubscribing: %q", got)
		}
		forged := strings.Replace(tok, notify.Digest, notify.ExportFinished, 1)
		if p := b.get("/unsubscribe/" + forged); p.status != http.StatusNotFound {
			t.Errorf("a forged token: %d", p.status)
		}
		if p := b.post("/unsubscribe/"+forged, url.Values{}); p.status != http.StatusNotFound {
			t.Errorf("a forged token's POST: %d", p.status)
		}
		if on, _ := notify.Wanted(ctx, a.db.Client, u.ID); !slices.Contains(on, notify.ExportFinished) {
			t.Error("the forged token unsubscribed")
		}
	})
}

// TestAccountNotificationChoices: /account shows the kinds checked as chosen and saves them.
func TestAccountNotificationChoices(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		b := a.browser()
		b.login("staff@example.com")
		p := b.post("/account/notifications", url.Values{"kinds": {notify.Digest, notify.ImportFinished}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("save: %d", p.status)
		}
		p = b.get("/account")
		var checked []string
		p.doc.Find(`[data-testid="notify-form"] input[name="kinds"][checked]`).Each(func(_ int, s *goquery.Selection) {
			v, _ := s.Attr("value")
			checked = append(checked, v)
		})
		if strings.Join(checked, ",") != "digest,import_finished" {
			t.Errorf("checked on /account: %v", checked)
		}
	})
}

// TestCalendarFeed: a user makes a calendar address on /account; the feed
// (no sign-in) parses with a second iCalendar library (go-ical) and holds
// the user's open follow-ups and campaign dates with UID and DTSTAMP, long
// text folded and escaped; a new address or turning it off makes the old
// one 404.
func TestCalendarFeed(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("staff@example.com", "staff")
		u := a.db.Client.User.Query().Where(user.Email("staff@example.com")).OnlyX(ctx)
		c, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{Kind: "journalist", FirstName: "Lena", LastName: "Groß"})
		if err != nil {
			t.Fatal(err)
		}
		long := "Send the review copy, the press kit; and the embargo note for the long feature about Berlin's new museum"
		actx := crm.WithActor(ctx, crm.Actor{UserID: u.ID, Name: u.Name, Role: "staff"})
		if _, err := crm.CreateTask(actx, a.db.Client, c.ID, crm.TaskInput{Title: long, Due: "2026-12-07"}); err != nil {
			t.Fatal(err)
		}
		br := a.db.Client.Brand.Create().SetName("Acme").SaveX(ctx)
		emb := time.Date(2026, 12, 10, 9, 0, 0, 0, time.UTC)
		camp := a.db.Client.Campaign.Create().SetBrandID(br.ID).SetName("Winter launch").SetOwnerID(u.ID).
			SetStartsAt(time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)).SetEndsAt(time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC)).
			SetEmbargoUntil(emb).SaveX(ctx)

		b := a.browser()
		b.login("staff@example.com")
		if p := b.post("/account/calendar", url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("make address: %d", p.status)
		}
		tok, _ := crm.CalendarToken(ctx, a.db.Client, u.ID)
		path := "/calendar/" + tok + ".ics"
		if v, _ := b.get("/account").doc.Find(`[data-testid="calendar-url"] input, input[data-testid="calendar-url"]`).Attr("value"); v != a.srv.URL+path {
			t.Errorf("account shows %q; want %q", v, a.srv.URL+path)
		}
		p := a.browser().get(path) // no session
		if p.status != http.StatusOK || !strings.HasPrefix(p.header.Get("Content-Type"), "text/calendar") {
			t.Fatalf("feed: %d %s", p.status, p.header.Get("Content-Type"))
		}
		for _, line := range strings.Split(strings.TrimSuffix(p.body, "\r\n"), "\r\n") {
			if len(line) > 75 {
				t.Errorf("line of %d octets: %q", len(line), line)
			}
		}
		cal, err := ical.NewDecoder(strings.NewReader(p.body)).Decode()
		if err != nil {
			t.Fatalf("parse: %v\n%s", err, p.body)
		}
		events := map[string]ical.Event{}
		for _, e := range cal.Events() {
			uid, _ := e.Props.Text(ical.PropUID)
			events[uid] = e
			if e.Props.Get(ical.PropDateTimeStamp) == nil {
				t.Errorf("%s has no DTSTAMP", uid)
			}
		}
		task := events[taskUID(t, a, u.ID)]
		if s, _ := task.Props.Text(ical.PropSummary); s != long+" – Lena Groß" {
			t.Errorf("follow-up summary %q", s)
		}
		if d := task.Props.Get(ical.PropDateTimeStart); d == nil || d.Value != "20261207" || d.ValueType() != ical.ValueDate {
			t.Errorf("follow-up start %+v", d)
		}
		ce := events["campaign-"+strconv.Itoa(camp.ID)+"@rapport"]
		if s, _ := ce.Props.Text(ical.PropSummary); s != "Campaign: Winter launch" {
			t.Errorf("campaign summary %q", s)
		}
		if end := ce.Props.Get(ical.PropDateTimeEnd); end == nil || end.Value != "20261221" {
			t.Errorf("campaign end %+v (exclusive: the day after)", end)
		}
		embargo := events["embargo-"+strconv.Itoa(camp.ID)+"@rapport"]
		if at, err := embargo.DateTimeStart(time.UTC); err != nil || !at.Equal(emb) {
			t.Errorf("embargo at %v, %v", at, err)
		}
		if p := b.post("/account/calendar", url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("new address: %d", p.status)
		}
		if p := a.browser().get(path); p.status != http.StatusNotFound {
			t.Errorf("old address after a new one: %d", p.status)
		}
		tok, _ = crm.CalendarToken(ctx, a.db.Client, u.ID)
		if p := b.post("/account/calendar/revoke", url.Values{}); p.status != http.StatusSeeOther {
			t.Fatalf("revoke: %d", p.status)
		}
		if p := a.browser().get("/calendar/" + tok + ".ics"); p.status != http.StatusNotFound {
			t.Errorf("revoked address: %d", p.status)
		}
	})
}

func taskUID(t *testing.T, a *app, userID int) string {
	t.Helper()
	id := a.db.Client.Task.Query().FirstIDX(context.Background())
	return "task-" + strconv.Itoa(id) + "@rapport"
}

// TestMailSettings: an admin saves the mail server; the page never shows
// the password back, an empty password field keeps it, the audit trail
// names the change without its value; a wrong port or a missing sender
// re-renders the form with the values (422).
func TestMailSettings(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("admin@example.com", "admin")
		b := a.browser()
		b.login("admin@example.com")
		b.get("/settings/mail")
		form := url.Values{"host": {"127.0.0.1"}, "port": {"25"}, "tls": {"none"}, "user": {"rapport"}, "password": {"s3cret-smtp-pw"},
			"from": {"Rapport <rapport@example.com>"}, "base_url": {"https://rapport.example.com/"}}
		if p := b.post("/settings/mail", form); p.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", p.status, p.text(".field-error, .error"))
		}
		p := b.get("/settings/mail")
		if strings.Contains(p.body, "s3cret-smtp-pw") {
			t.Error("the page shows the password")
		}
		if v, _ := p.doc.Find(`input[name="host"]`).Attr("value"); v != "127.0.0.1" {
			t.Errorf("host %q", v)
		}
		if p.doc.Find(`input[name="clear_password"]`).Length() != 1 {
			t.Error("no way to remove the saved password")
		}
		form.Set("password", "")
		form.Set("port", "587")
		form.Set("tls", "starttls")
		if p := b.post("/settings/mail", form); p.status != http.StatusSeeOther {
			t.Fatalf("second save: %d", p.status)
		}
		st, err := notify.LoadSettings(ctx, a.db.Client, notify.Settings{})
		if err != nil || st.SMTP.Password != "s3cret-smtp-pw" || st.SMTP.Port != 587 || st.SMTP.TLS != "starttls" || st.BaseURL != "https://rapport.example.com" {
			t.Errorf("saved %+v, %v", st, err)
		}
		for _, ev := range a.db.Client.AuditEvent.Query().AllX(ctx) {
			for k, v := range ev.Changes {
				if strings.Contains(fmt.Sprint(v), "s3cret") {
					t.Errorf("audit event %d holds the password in %s", ev.ID, k)
				}
			}
		}
		form.Set("port", "99999")
		form.Set("from", "")
		p = b.post("/settings/mail", form)
		if p.status != http.StatusUnprocessableEntity || p.doc.Find(`[aria-invalid="true"]`).Length() != 2 {
			t.Errorf("invalid form: %d, %d fields marked", p.status, p.doc.Find(`[aria-invalid="true"]`).Length())
		}
		if v, _ := p.doc.Find(`input[name="port"]`).Attr("value"); v != "99999" {
			t.Errorf("the form lost the value: %q", v)
		}
	})
}
