package demo

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/nomination"
	"github.com/rapport-crm/rapport/ent/task"
)

// shape is what the first dashboard shows of the demo, as shares and signs.
type shape struct {
	Recent30, Stale, DueToday, Overdue, DueThisWeek, NominationsOpen int
	Contacts                                                         int
}

func (s shape) String() string {
	return fmt.Sprintf("%d contacts: %d interactions in 30 days, %d stale (%.0f %%), follow-ups: %d overdue, %d due today, %d due this week; %d nominations waiting",
		s.Contacts, s.Recent30, s.Stale, s.staleShare()*100, s.Overdue, s.DueToday, s.DueThisWeek, s.NominationsOpen)
}

func (s shape) staleShare() float64 { return float64(s.Stale) / float64(s.Contacts) }

// dashboardShape loads the demo at now and reads the dashboard's figures at now.
func dashboardShape(t *testing.T, d *db.DB, now time.Time) shape {
	t.Helper()
	ctx := t.Context()
	if _, err := Load(ctx, d.Client, Options{Contacts: 1000, Seed: 3, Now: now}); err != nil {
		t.Fatal(err)
	}
	dash, err := crm.LoadDashboard(ctx, d.Client, now)
	if err != nil {
		t.Fatal(err)
	}
	day := now.UTC().Truncate(24 * time.Hour)
	open := d.Client.Task.Query().Where(task.DoneAtIsNil())
	s := shape{Contacts: dash.Contacts, Recent30: dash.Interactions, Stale: dash.Stale}
	s.Overdue = open.Clone().Where(task.DueAtLT(now.UTC())).CountX(ctx)
	s.DueToday = open.Clone().Where(task.DueAtGTE(day), task.DueAtLT(day.AddDate(0, 0, 1))).CountX(ctx)
	s.DueThisWeek = open.Clone().Where(task.DueAtGTE(day), task.DueAtLT(day.AddDate(0, 0, 7))).CountX(ctx)
	s.NominationsOpen = d.Client.Nomination.Query().Where(nomination.StatusEQ(nomination.StatusOpen)).CountX(ctx)
	return s
}

// TestDemoLooksAliveWheneverLoaded: the demo loaded today and loaded 60 days
// later shows the same living team on the first dashboard — recent
// interactions, follow-ups overdue, due today and this week, nominations
// waiting, and 10–25 % of the contacts past their cadence. (With the fixed
// date of old, a month later showed 0 interactions and 70 % stale.)
func TestDemoLooksAliveWheneverLoaded(t *testing.T) {
	day := time.Date(2027, 2, 17, 9, 30, 0, 0, time.UTC) // a Wednesday
	dbtest.Each(t, func(t *testing.T, first *db.DB) {
		var shapes []shape
		for k, now := range []time.Time{day, day.AddDate(0, 0, 60)} {
			d := first
			if k > 0 {
				d = dbtest.Open(t, first.Dialect, nil)
			}
			s := dashboardShape(t, d, now)
			t.Logf("loaded at %s: %s", now.Format("2 Jan 2006"), s)
			if s.Contacts != 1000 || s.Recent30 < 300 || s.Overdue == 0 || s.DueToday == 0 || s.DueThisWeek <= s.DueToday || s.NominationsOpen == 0 {
				t.Errorf("loaded at %s, the dashboard is not alive: %s", now.Format("2 Jan 2006"), s)
			}
			if sh := s.staleShare(); sh < 0.10 || sh > 0.25 {
				t.Errorf("loaded at %s, %.0f %% of contacts are past their cadence, want 10–25 %%", now.Format("2 Jan 2006"), sh*100)
			}
			shapes = append(shapes, s)
		}
		a, b := shapes[0], shapes[1]
		if d := a.staleShare() - b.staleShare(); d > 0.03 || d < -0.03 {
			t.Errorf("stale share drifts with the day of loading: %s vs %s", a, b)
		}
		if r := float64(b.Recent30) / float64(a.Recent30); r < 0.8 || r > 1.25 {
			t.Errorf("interactions in 30 days drift with the day of loading: %s vs %s", a, b)
		}
	})
}
