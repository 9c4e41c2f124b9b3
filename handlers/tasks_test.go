package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/ent/task"
	"github.com/rapport-crm/rapport/locale"
)

// TestFollowUps: a follow-up is scheduled from the contact page, listed on
// /tasks and the dashboard, completed by logging an interaction that also
// schedules the next one, and marked done by hand.
func TestFollowUps(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		a.user("ben@example.com", "staff")
		id := a.person("Followed", "engaged")
		b := a.browser()
		b.login("anna@example.com")
		b.get(fmt.Sprintf("/contacts/%d", id))
		path := fmt.Sprintf("/contacts/%d/tasks", id)

		p := b.post(path, url.Values{"task_title": {""}, "task_due": {""}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if p.text(`[data-testid="error-task_title"]`) == "" || p.text(`[data-testid="error-task_due"]`) == "" {
			t.Error("no field errors for an empty follow-up")
		}
		today := time.Now().UTC().Format("2006-01-02")
		wantStatus(t, b.post(path, url.Values{"task_title": {"Send the sample"}, "task_due": {today}}), http.StatusSeeOther)

		p = b.get("/tasks")
		// The filter names the status (Offen), not the verb (Öffnen).
		if got := b.getIn("/tasks", "de").text(`[data-testid="tasks-open"]`); got != "Offen" {
			t.Errorf("German open filter %q, want Offen", got)
		}
		if !strings.Contains(p.text(`[data-testid="tasks"]`), "Send the sample") {
			t.Errorf("/tasks lacks the follow-up: %q", p.text("main"))
		}
		p = b.get("/")
		if !strings.Contains(p.text(`[data-testid="my-followups"]`), "Send the sample") {
			t.Errorf("dashboard lacks the follow-up due today: %q", p.text(`[data-testid="my-followups"]`))
		}
		other := a.browser()
		other.login("ben@example.com")
		if strings.Contains(other.get("/tasks").text("main"), "Send the sample") {
			t.Error("someone else's follow-up is in my list")
		}
		if !strings.Contains(other.get("/tasks?who=all").text("main"), "Send the sample") {
			t.Error("the team list lacks the follow-up")
		}

		p = b.get(fmt.Sprintf("/contacts/%d", id))
		if p.doc.Find(`input[name="complete_follow_up"]`).Length() != 1 {
			t.Fatal("the interaction form offers no completion of the open follow-up")
		}
		p = b.post(fmt.Sprintf("/contacts/%d/interactions", id), url.Values{"type": {"call"}, "subject": {"Sample sent"},
			"occurred_at": {time.Now().Add(-time.Minute).Format("2006-01-02T15:04")}, "complete_follow_up": {"1"}, "next_in_days": {"14"}})
		wantStatus(t, p, http.StatusSeeOther)
		ts := a.db.Client.Task.Query().Where(task.ContactID(id)).Order(task.ByID()).AllX(t.Context())
		if len(ts) != 2 || ts[0].DoneAt == nil || ts[0].DoneByInteractionID == nil || ts[1].DoneAt != nil {
			t.Fatalf("after logging: %d tasks, first done %v", len(ts), ts[0].DoneAt)
		}
		if d := time.Until(ts[1].DueAt); d < 13*24*time.Hour || d > 15*24*time.Hour {
			t.Errorf("next follow-up due in %v, want about 14 days", d)
		}
		if !strings.Contains(b.get("/tasks?status=done").text("main"), "Send the sample") {
			t.Error("done list lacks the completed follow-up")
		}

		p = b.post(fmt.Sprintf("/contacts/%d/interactions", id), url.Values{"type": {"call"}, "subject": {"x"},
			"occurred_at": {time.Now().Format("2006-01-02T15:04")}, "next_in_days": {"soon"}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if p.text(`[data-testid="error-next_in_days"]`) == "" {
			t.Error("a non-number of days is accepted")
		}

		b.get("/tasks")
		p = b.post(fmt.Sprintf("/tasks/%d/done", ts[1].ID), url.Values{"back": {"/tasks"}})
		wantStatus(t, p, http.StatusSeeOther)
		if loc := p.header.Get("Location"); loc != "/tasks" {
			t.Errorf("done redirects to %q", loc)
		}
		if a.db.Client.Task.GetX(t.Context(), ts[1].ID).DoneAt == nil {
			t.Error("task not done")
		}
		wantStatus(t, b.post("/tasks/999999/done", url.Values{}), http.StatusNotFound)
	})
}

// TestContactHealthAndCharts: the contact page explains the health score,
// flags a stale relationship and draws the charts, within the query budget
// (TestContactPageQueryCount).
func TestContactHealthAndCharts(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("anna@example.com", "staff")
		id := a.person("Healthy", "supporter")
		b := a.browser()
		b.login("anna@example.com")
		p := b.get(fmt.Sprintf("/contacts/%d", id))
		wantStatus(t, p, http.StatusOK)
		if got := p.text(`[data-testid="health-explanation"]`); !strings.Contains(got, "never in touch, cadence 30") {
			t.Errorf("explanation %q", got)
		}
		old := time.Now().AddDate(0, 0, -94).Format("2006-01-02T15:04")
		wantStatus(t, b.post(fmt.Sprintf("/contacts/%d/interactions", id), url.Values{"type": {"email"}, "subject": {"Old"},
			"occurred_at": {old}}), http.StatusSeeOther)
		p = b.get(fmt.Sprintf("/contacts/%d", id))
		if got := p.text(`[data-testid="health-explanation"]`); !strings.Contains(got, "last touch 94 days ago, cadence 30") || !strings.Contains(got, "−25") {
			t.Errorf("explanation %q", got)
		}
		if p.doc.Find(`[data-testid="stale-flag"]`).Length() != 1 {
			t.Error("a contact 94 days past a 30-day cadence is not flagged stale")
		}
		c := a.db.Client.Contact.GetX(t.Context(), id)
		if shown := p.text(`[data-testid="health-card"] [data-testid="health"]`); shown != fmt.Sprint(c.Health) {
			t.Errorf("page shows health %s, stored %d", shown, c.Health)
		}
		bars := p.doc.Find(`[data-testid="chart-interactions"] rect.bar`)
		if bars.Length() != 24 {
			t.Errorf("%d bars, want 24 months", bars.Length())
		}
		total := 0
		bars.Each(func(_ int, s *goquery.Selection) {
			var n int
			v, _ := s.Attr("data-value")
			fmt.Sscan(v, &n)
			total += n
		})
		if total != 1 {
			t.Errorf("bars add up to %d interactions, want 1", total)
		}
		de := locale.With(t.Context(), locale.Get(locale.German))
		month := time.Now().AddDate(0, 0, -94)
		gp := b.getIn(fmt.Sprintf("/contacts/%d", id), "de")
		var titles []string
		gp.doc.Find(`[data-testid="chart-interactions"] rect.bar title`).Each(func(_ int, s *goquery.Selection) { titles = append(titles, s.Text()) })
		if want := locale.Month(de, month) + ": 1"; !slices.Contains(titles, want) {
			t.Errorf("German bar titles %q lack %q", titles, want)
		}
		ticks := gp.text(`[data-testid="chart-interactions"] text.tick`)
		if strings.Contains(ticks, "Jan ") || !strings.Contains(ticks, "Jan. ") && !strings.Contains(ticks, "Dez. ") && !strings.Contains(ticks, "Okt. ") {
			t.Errorf("German month ticks read %q", ticks)
		}
		if strings.Contains(p.body, "style=") {
			t.Error("the page has an inline style attribute, which the CSP blocks")
		}
		if p.doc.Find(`[data-testid="chart-followers"]`).Length() != 0 {
			t.Error("a follower chart without history")
		}

		// Follower history: a channel whose count changes gets a line.
		in := crm.ContactInput{FirstName: "Test", LastName: "Channel", Channels: []crm.ChannelInput{{Platform: "youtube", Handle: "chan", Followers: 1000}}}
		ch, err := crm.CreateContact(t.Context(), a.db.Client, in)
		if err != nil {
			t.Fatal(err)
		}
		in.Version, in.Channels[0].Followers = 1, 2500
		if _, err := crm.UpdateContact(t.Context(), a.db.Client, ch.ID, in); err != nil {
			t.Fatal(err)
		}
		p = b.get(fmt.Sprintf("/contacts/%d", ch.ID))
		line := p.doc.Find(`[data-testid="chart-followers"] polyline`)
		if pts, _ := line.Attr("points"); line.Length() != 1 || len(strings.Fields(pts)) < 2 {
			t.Errorf("follower chart: %d lines, points %q", line.Length(), pts)
		}
		ticks = b.getIn(fmt.Sprintf("/contacts/%d", ch.ID), "de").text(`[data-testid="chart-followers"] text.tick`)
		if want := "2.500" + locale.Month(de, time.Now()); !strings.Contains(ticks, want) {
			t.Errorf("German follower chart ticks %q, want the top 2.500 and %q", ticks, locale.Month(de, time.Now()))
		}
	})
}
