package crm_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/coverageitem"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/nomination"
	"github.com/rapport-crm/rapport/views"
	"github.com/rapport-crm/rapport/views/pages"
)

// chartNow is a Wednesday: the week began on Monday 14 December.
var chartNow = time.Date(2026, 12, 16, 10, 0, 0, 0, time.UTC)

// chartFixture writes two users' interactions, contacts, stage moves,
// nominations and coverage around chartNow; it returns Anna's id.
func chartFixture(t *testing.T, client *ent.Client) int {
	t.Helper()
	var id int
	if err := db.WithTx(t.Context(), client, func(ctx context.Context, tx *ent.Tx) error {
		id = chartRows(ctx, tx.Client())
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return id
}

func chartRows(ctx context.Context, c *ent.Client) int {
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }
	anna := c.User.Create().SetEmail("anna@example.com").SetName("Anna").SetPasswordHash("x").SaveX(ctx)
	bernd := c.User.Create().SetEmail("bernd@example.com").SetName("Bernd").SetPasswordHash("x").SaveX(ctx)
	for _, i := range []struct {
		typ    interaction.Type
		when   time.Time
		author int
	}{
		{"call", at(12, 15, 9), anna.ID}, {"email", at(12, 15, 10), anna.ID}, {"call", at(12, 14, 0), anna.ID},
		{"email", at(12, 7, 12), anna.ID}, {"meeting", at(12, 7, 12), bernd.ID},
		{"call", at(9, 28, 0), anna.ID}, {"call", at(9, 27, 23), anna.ID}, // the first week's start; the day before: out
	} {
		c.Interaction.Create().SetType(i.typ).SetOccurredAt(i.when).SetAuthorID(i.author).SaveX(ctx)
	}
	past, later := at(12, 1, 0), at(12, 30, 0)
	mk := func(name string, owner *int, stage contact.Stage, due time.Time) int {
		return c.Contact.Create().SetFirstName(name).SetNillableOwnerID(owner).SetStage(stage).SetTouchDueAt(due).SaveX(ctx).ID
	}
	c1 := mk("Carla", &anna.ID, contact.StageAware, past)
	c2 := mk("Dirk", &anna.ID, contact.StageEngaged, later)
	c3 := mk("Emil", &bernd.ID, contact.StageAdvocate, past)
	mk("Frida", nil, contact.StageUnknown, past)
	for _, e := range []struct {
		id       int
		old, new string
		when     time.Time
	}{{c2, "aware", "engaged", at(12, 10, 8)}, {c3, "supporter", "advocate", at(12, 11, 8)}, {c2, "unknown", "aware", at(11, 20, 8)}} {
		c.AuditEvent.Create().SetAction(crm.ActionUpdate).SetEntity(crm.EntityContact).SetEntityID(e.id).SetAt(e.when).
			SetChanges(map[string][2]any{"stage": {e.old, e.new}}).SaveX(ctx)
	}
	c.AuditEvent.Create().SetAction(crm.ActionUpdate).SetEntity(crm.EntityContact).SetEntityID(c1).SetAt(at(12, 2, 8)).
		SetChanges(map[string][2]any{"city": {"Köln", "Bonn"}}).SaveX(ctx) // no stage: not a move
	c.Nomination.Create().SetContactID(c3).SetKind(nomination.KindPromote).SetReason("r").SetStatus(nomination.StatusApproved).
		SetDecidedAt(at(12, 11, 9)).SaveX(ctx)
	c.Nomination.Create().SetContactID(c1).SetKind(nomination.KindDemote).SetReason("r").SetStatus(nomination.StatusApproved).
		SetDecidedAt(at(10, 5, 9)).SaveX(ctx)
	c.Nomination.Create().SetContactID(c1).SetKind(nomination.KindPromote).SetReason("r").SetStatus(nomination.StatusOpen).SaveX(ctx)
	brand := c.Brand.Create().SetName("Marke").SaveX(ctx)
	camp := c.Campaign.Create().SetBrandID(brand.ID).SetName("Herbst").SetStartsAt(at(11, 1, 0)).SaveX(ctx)
	c.CoverageItem.Create().SetCampaignID(camp.ID).SetTitle("A").SetPublishedAt(at(12, 3, 0)).SetReach(1000).SetCreatedByID(anna.ID).SaveX(ctx)
	c.CoverageItem.Create().SetCampaignID(camp.ID).SetTitle("B").SetPublishedAt(at(12, 5, 0)).SetCreatedByID(bernd.ID).SaveX(ctx)
	c.CoverageItem.Create().SetCampaignID(camp.ID).SetTitle("C").SetPublishedAt(at(11, 30, 23)).SetKind(coverageitem.KindPodcast).SetCreatedByID(anna.ID).SaveX(ctx)
	return anna.ID
}

// TestStartCharts reads Anna's and the team's charts at a fixed clock on
// both databases and checks the numbers, then the rendered start page.
func TestStartCharts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		anna := chartFixture(t, d.Client)
		mine, team, err := crm.LoadStartChartsFor(t.Context(), d.Client, nil, anna, true, chartNow)
		if err != nil {
			t.Fatal(err)
		}
		weeks := func(pairs ...int) []int {
			w := make([]int, crm.StartWeeks)
			for i := 0; i < len(pairs); i += 2 {
				w[pairs[i]] = pairs[i+1]
			}
			return w
		}
		want := map[string]map[string][]int{
			"mine": {"call": weeks(0, 1, 11, 2), "email": weeks(10, 1, 11, 1)},
			"team": {"call": weeks(0, 1, 11, 2), "email": weeks(10, 1, 11, 1), "meeting": weeks(10, 1)},
		}
		for name, c := range map[string]*crm.StartCharts{"mine": mine, "team": team} {
			if got := c.Weeks[0].Format(time.DateOnly) + ".." + c.Weeks[11].Format(time.DateOnly); got != "2026-09-28..2026-12-14" {
				t.Errorf("%s weeks %s", name, got)
			}
			if fmt.Sprint(c.PerWeek) != fmt.Sprint(want[name]) {
				t.Errorf("%s per week %v, want %v", name, c.PerWeek, want[name])
			}
		}
		stages := func(c *crm.StartCharts) string {
			var out []string
			for _, s := range c.Stages {
				out = append(out, fmt.Sprintf("%s %d +%d -%d", s.Stage, s.Count, s.Entered, s.Left))
			}
			return strings.Join(out, ", ")
		}
		if got, w := stages(mine), "unknown 0 +0 -0, aware 1 +0 -1, engaged 1 +1 -0, supporter 0 +0 -0, advocate 0 +0 -0"; got != w {
			t.Errorf("my stages %s, want %s", got, w)
		}
		if got, w := stages(team), "unknown 1 +0 -0, aware 1 +0 -1, engaged 1 +1 -0, supporter 0 +0 -1, advocate 1 +1 -0"; got != w {
			t.Errorf("team stages %s, want %s", got, w)
		}
		if mine.Stale != nil || fmt.Sprint(team.Stale) != "[{ 1} {Anna 1} {Bernd 1}]" {
			t.Errorf("stale mine %v team %v", mine.Stale, team.Stale)
		}
		if fmt.Sprint(mine.Gained, mine.Lost, team.Gained, team.Lost) != "[0 0 0 0 0 0] [0 0 0 1 0 0] [0 0 0 0 0 1] [0 0 0 1 0 0]" {
			t.Errorf("advocates mine +%v -%v team +%v -%v", mine.Gained, mine.Lost, team.Gained, team.Lost)
		}
		if fmt.Sprint(mine.Coverage) != "[{article 1 1000}]" || fmt.Sprint(team.Coverage) != "[{article 2 1000}]" {
			t.Errorf("coverage mine %v team %v", mine.Coverage, team.Coverage)
		}

		var buf bytes.Buffer
		p := pages.DashboardProps{Meta: views.PageMeta{Title: "Dashboard", UserName: "Anna", UserRole: "manager"}, Mine: mine, Team: team, Now: chartNow}
		if err := pages.Dashboard(p).Render(t.Context(), &buf); err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		row := func(sel string) []string {
			var out []string
			doc.Find(sel).Each(func(_ int, s *goquery.Selection) {
				var cells []string
				s.Children().Each(func(_ int, c *goquery.Selection) {
					if text := strings.TrimSpace(c.Text()); text != "" {
						cells = append(cells, text)
					}
				})
				out = append(out, strings.Join(cells, " "))
			})
			return out
		}
		if got := row(`[data-testid="chart-team-weekly-table"] tbody tr`); len(got) != 12 || got[0] != "Sep 28 1 0 0 1" || got[11] != "Dec 14 2 1 0 3" {
			t.Errorf("team weekly table rows %q", got)
		}
		if got := row(`[data-testid="chart-team-weekly-table"] thead tr`); !slices.Equal(got, []string{"Week Call E-mail Meeting Total"}) {
			t.Errorf("team weekly table head %q", got)
		}
		if got := row(`[data-testid="chart-mine-stages-row"]`); !slices.Contains(got, "Engaged 1 this month: +1 in, −0 out") {
			t.Errorf("my stage rows %q", got)
		}
		if got := row(`[data-testid="chart-team-stale-row"]`); !slices.Equal(got, []string{"No owner 1", "Anna 1", "Bernd 1"}) {
			t.Errorf("team stale rows %q", got)
		}
		if got := row(`[data-testid="chart-team-coverage-row"]`); !slices.Equal(got, []string{"Article 2 reach 1,000"}) {
			t.Errorf("team coverage rows %q", got)
		}
		if got := row(`[data-testid="chart-team-advocates-row"]`); !slices.Equal(got, []string{"Oct 2026 lost 1", "Dec 2026 gained 1"}) {
			t.Errorf("team advocate rows %q", got)
		}
	})
}
