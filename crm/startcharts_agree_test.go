package crm_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/user"
)

// TestStartPageAgreesWithCounts loads the demo on both databases and
// compares every figure of the start page, as the handler reads it (with a
// Lookups cache, twice: cold and cached) and without a cache, for a staff
// member and for a manager, with the same figures counted independently: the
// rows read one by one and counted in Go. After writes that move the team's
// totals the next page shows the last counts (stale-while-revalidate) with
// the person's own lists exact and, once the refresh it started ended
// (Lookups.Wait), every new figure.
func TestStartPageAgreesWithCounts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := t.Context()
		now := time.Now().UTC()
		if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: 300, Now: now}); err != nil {
			t.Fatal(err)
		}
		// Stage moves this month besides the demo's: one a contact owned by
		// the manager, one back and forth, one that is not a move.
		c := d.Client.Contact.Query().Order(ent.Asc("id")).FirstX(ctx)
		for i, mv := range [][2]any{{"aware", "engaged"}, {"engaged", "aware"}, {"engaged", "engaged"}, {"supporter", "advocate"}} {
			d.Client.AuditEvent.Create().SetAction(crm.ActionUpdate).SetEntity(crm.EntityContact).SetEntityID(c.ID + i).
				SetAt(now.Add(-time.Duration(i) * time.Minute)).SetChanges(map[string][2]any{"stage": mv}).SaveX(ctx)
		}
		l := crm.NewLookups(d.Client, time.Minute)
		for _, email := range []string{"leonie.schaefer@rapport.test", "katrin.vogel@rapport.test"} {
			u := d.Client.User.Query().Where(user.Email(email)).OnlyX(ctx)
			manager := u.Role == crm.RoleManager
			load := func(l *crm.Lookups) startFigures {
				t.Helper()
				s, w, err := crm.LoadStartPage(ctx, d.Client, l, u.ID, manager, now)
				if err != nil {
					t.Fatal(err)
				}
				mine, team, err := crm.LoadStartChartsFor(ctx, d.Client, l, u.ID, manager, now)
				if err != nil {
					t.Fatal(err)
				}
				return startFigures{Contacts: s.Contacts, Stale: s.Stale, Interactions30: s.Interactions, Due: w.DueCount,
					MyStale: w.StaleCount, Mine: chartFigures(mine), Team: chartFigures(team)}
			}
			want := countStartPage(t, d.Client, u.ID, manager, now)
			for _, cache := range []struct {
				name string
				l    *crm.Lookups
			}{{"uncached", nil}, {"cold", l}, {"cached", l}} {
				if g, w := fmt.Sprintf("%+v", load(cache.l)), fmt.Sprintf("%+v", want); g != w {
					t.Errorf("%s, %s:\n got %s\nwant %s", email, cache.name, g, w)
				}
			}
			if want.Mine.PerWeek == "map[]" || (manager && (want.Team.Stale == "[]" || want.Team.Moves == "" || want.Team.Advocates == "")) {
				t.Errorf("%s: the demo left a chart empty, the comparison proves little: %+v", email, want)
			}

			// Writes that move the team's totals: an interaction of u's and
			// a stage change of one of u's contacts. The next page shows the
			// last totals (and the person's own lists as they are now) and
			// starts one refresh; once it ended, every figure agrees again.
			mineC := d.Client.Contact.Query().Where(contact.OwnerID(u.ID), contact.StageEQ(contact.StageAware)).FirstX(ctx)
			if _, err := crm.LogInteraction(ctx, d.Client, u.ID, crm.InteractionInput{ContactIDs: []int{mineC.ID}, Type: "call",
				Direction: "outbound", Subject: "Anruf", Sentiment: "neutral", OccurredAt: now.Add(-time.Minute)}); err != nil {
				t.Fatal(err)
			}
			if err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
				return tx.Contact.UpdateOneID(mineC.ID).SetStage(contact.StageEngaged).Exec(ctx)
			}); err != nil {
				t.Fatal(err)
			}
			after := countStartPage(t, d.Client, u.ID, manager, now)
			// The page's counts are the last ones (the charts may already be
			// the new: the counts' refresh reads them first).
			got, lagging := load(l), want
			got.Mine, got.Team = charted{}, charted{}
			lagging.Mine, lagging.Team, lagging.Due, lagging.MyStale = charted{}, charted{}, after.Due, after.MyStale
			if g, w := fmt.Sprintf("%+v", got), fmt.Sprintf("%+v", lagging); g != w {
				t.Errorf("%s, right after the writes (the last counts, own lists exact):\n got %s\nwant %s", email, g, w)
			}
			l.Wait()
			if g, w := fmt.Sprintf("%+v", load(l)), fmt.Sprintf("%+v", after); g != w {
				t.Errorf("%s, after the refresh:\n got %s\nwant %s", email, g, w)
			}
			if after.Mine.PerWeek == want.Mine.PerWeek || after.Mine.Stages == want.Mine.Stages {
				t.Errorf("%s: the writes did not move the charts, the refresh proves little", email)
			}
		}
	})
}

// startFigures are a start page's numbers, as text for comparing.
type startFigures struct {
	Contacts, Stale, Interactions30, Due, MyStale int
	Mine, Team                                    charted
}

type charted struct{ PerWeek, Stages, Moves, Stale, Advocates, Coverage string }

func chartFigures(c *crm.StartCharts) charted {
	if c == nil {
		return charted{}
	}
	var out charted
	out.PerWeek = fmt.Sprint(c.PerWeek)
	for _, s := range c.Stages {
		out.Stages += fmt.Sprintf("%s=%d ", s.Stage, s.Count)
		if s.Entered+s.Left > 0 {
			out.Moves += fmt.Sprintf("%s+%d-%d ", s.Stage, s.Entered, s.Left)
		}
	}
	out.Stale = fmt.Sprint(c.Stale)
	for i := range c.Months {
		if c.Gained[i]+c.Lost[i] > 0 {
			out.Advocates += fmt.Sprintf("%s+%d-%d ", c.Months[i].Format("2006-01"), c.Gained[i], c.Lost[i])
		}
	}
	out.Coverage = fmt.Sprint(c.Coverage)
	return out
}

// countStartPage counts the start page's figures from the rows themselves.
func countStartPage(t *testing.T, client *ent.Client, userID int, manager bool, now time.Time) startFigures {
	t.Helper()
	ctx := t.Context()
	day := now.Truncate(24 * time.Hour)
	monday := day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7))
	first := monday.AddDate(0, 0, -7*(crm.StartWeeks-1))
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	users := map[int]string{}
	for _, u := range client.User.Query().AllX(ctx) {
		users[u.ID] = u.Name
	}
	contacts := client.Contact.Query().AllX(ctx)
	owner := map[int]int{}
	var f startFigures
	engaged := crm.AtLeast(crm.Engaged)
	for _, c := range contacts {
		if c.OwnerID != nil {
			owner[c.ID] = *c.OwnerID
		}
		f.Contacts++
		if c.TouchDueAt != nil && c.TouchDueAt.Before(now) {
			f.Stale++
			if c.OwnerID != nil && *c.OwnerID == userID && slices.Contains(engaged, string(c.Stage)) {
				f.MyStale++
			}
		}
	}
	for _, i := range client.Interaction.Query().AllX(ctx) {
		if !i.OccurredAt.Before(now.Add(-crm.DashboardWindow)) {
			f.Interactions30++
		}
	}
	endOfDay := day.Add(24 * time.Hour)
	for _, tk := range client.Task.Query().AllX(ctx) {
		if tk.AssigneeID != nil && *tk.AssigneeID == userID && tk.DoneAt == nil && tk.DueAt.Before(endOfDay) {
			f.Due++
		}
	}
	count := func(of int) charted {
		mine := func(id *int) bool { return of == 0 || (id != nil && *id == of) }
		var ch charted
		perWeek := map[string][]int{}
		for _, i := range client.Interaction.Query().AllX(ctx) {
			if w := int(i.OccurredAt.UTC().Sub(first) / (7 * 24 * time.Hour)); !i.OccurredAt.Before(first) && w < crm.StartWeeks && mine(i.AuthorID) {
				if perWeek[string(i.Type)] == nil {
					perWeek[string(i.Type)] = make([]int, crm.StartWeeks)
				}
				perWeek[string(i.Type)][w]++
			}
		}
		ch.PerWeek = fmt.Sprint(perWeek)
		stages := map[string]int{}
		stale := map[string]int{}
		for _, c := range contacts {
			if mine(c.OwnerID) {
				stages[string(c.Stage)]++
			}
			if c.TouchDueAt != nil && c.TouchDueAt.Before(now) {
				name := ""
				if c.OwnerID != nil {
					name = users[*c.OwnerID]
				}
				stale[name]++
			}
		}
		entered, left := map[string]int{}, map[string]int{}
		events := client.AuditEvent.Query().Where(auditevent.Action(crm.ActionUpdate), auditevent.Entity(crm.EntityContact),
			auditevent.AtGTE(month), auditevent.AtLT(month.AddDate(0, 1, 0))).AllX(ctx)
		for _, e := range events {
			mv, ok := e.Changes["stage"]
			if o, hasOwner := owner[*e.EntityID]; !ok || mv[0] == mv[1] || (of != 0 && (!hasOwner || o != of)) {
				continue
			}
			left[fmt.Sprint(mv[0])]++
			entered[fmt.Sprint(mv[1])]++
		}
		for _, st := range []string{"unknown", "aware", "engaged", "supporter", "advocate"} {
			ch.Stages += fmt.Sprintf("%s=%d ", st, stages[st])
			if entered[st]+left[st] > 0 {
				ch.Moves += fmt.Sprintf("%s+%d-%d ", st, entered[st], left[st])
			}
		}
		if of == 0 {
			var s []crm.OwnerCount
			for name, n := range stale {
				s = append(s, crm.OwnerCount{Owner: name, Count: n})
			}
			slices.SortFunc(s, func(a, b crm.OwnerCount) int {
				if a.Count != b.Count {
					return b.Count - a.Count
				}
				return cmpString(a.Owner, b.Owner)
			})
			ch.Stale = fmt.Sprint(s)
		} else {
			ch.Stale = "[]"
		}
		gained, lost := map[string]int{}, map[string]int{}
		for _, n := range client.Nomination.Query().AllX(ctx) {
			o, hasOwner := owner[n.ContactID]
			if n.Status != "approved" || n.DecidedAt == nil || (of != 0 && (!hasOwner || o != of)) {
				continue
			}
			at := n.DecidedAt.UTC()
			if at.Before(month.AddDate(0, -(crm.StartMonths-1), 0)) || !at.Before(month.AddDate(0, 1, 0)) {
				continue
			}
			if n.Kind == "demote" {
				lost[at.Format("2006-01")]++
			} else {
				gained[at.Format("2006-01")]++
			}
		}
		for i := crm.StartMonths - 1; i >= 0; i-- {
			m := month.AddDate(0, -i, 0).Format("2006-01")
			if gained[m]+lost[m] > 0 {
				ch.Advocates += fmt.Sprintf("%s+%d-%d ", m, gained[m], lost[m])
			}
		}
		cov := map[string]*crm.KindCount{}
		for _, k := range client.CoverageItem.Query().AllX(ctx) {
			if k.PublishedAt.Before(month) || !k.PublishedAt.Before(month.AddDate(0, 1, 0)) || !mine(k.CreatedByID) {
				continue
			}
			if cov[string(k.Kind)] == nil {
				cov[string(k.Kind)] = &crm.KindCount{Kind: string(k.Kind)}
			}
			cov[string(k.Kind)].Count++
			if k.Reach != nil {
				cov[string(k.Kind)].Reach += *k.Reach
			}
		}
		var ks []crm.KindCount
		for _, k := range cov {
			ks = append(ks, *k)
		}
		slices.SortFunc(ks, func(a, b crm.KindCount) int {
			if a.Count != b.Count {
				return b.Count - a.Count
			}
			return cmpString(a.Kind, b.Kind)
		})
		ch.Coverage = fmt.Sprint(ks)
		return ch
	}
	f.Mine = count(userID)
	if manager {
		f.Team = count(0)
	}
	return f
}

func cmpString(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
