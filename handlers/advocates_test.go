package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/nomination"
)

// person creates a contact directly (no channels, so any number can exist).
func (a *app) person(last, stage string) int {
	a.t.Helper()
	ctx := context.Background()
	create := stage
	if stage == "advocate" { // forms cannot make advocates; set it as an approved review would
		create = "supporter"
	}
	c, err := crm.CreateContact(ctx, a.db.Client, crm.ContactInput{FirstName: "Test", LastName: last,
		Stage: create, Region: "Berlin", Topics: []string{"IT"}})
	if err != nil {
		a.t.Fatal(err)
	}
	if stage != create {
		err := db.WithTx(ctx, a.db.Client, func(ctx context.Context, tx *ent.Tx) error {
			return tx.Contact.UpdateOneID(c.ID).SetStage(contact.Stage(stage)).Exec(ctx)
		})
		if err != nil {
			a.t.Fatal(err)
		}
		if _, err := crm.RecomputeHealth(ctx, a.db.Client, time.Now()); err != nil {
			a.t.Fatal(err)
		}
	}
	return c.ID
}

// logged logs an interaction with contact id through the form and returns its id.
func logged(t *testing.T, a *app, b *browser, id int, subject string) int {
	t.Helper()
	b.get(fmt.Sprintf("/contacts/%d", id))
	p := b.post(fmt.Sprintf("/contacts/%d/interactions", id), url.Values{"type": {"coverage"}, "direction": {"inbound"},
		"occurred_at": {time.Now().Add(-time.Hour).Format("2006-01-02T15:04")}, "subject": {subject}, "sentiment": {"positive"}})
	wantStatus(t, p, http.StatusSeeOther)
	it, err := a.db.Client.Interaction.Query().Order(ent.Desc("id")).First(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return it.ID
}

func nominationOf(t *testing.T, a *app, contactID int) *ent.Nomination {
	t.Helper()
	n, err := a.db.Client.Nomination.Query().Where(nomination.ContactID(contactID)).Order(ent.Desc("id")).WithEvidence().First(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func stageOf(t *testing.T, a *app, id int) string {
	t.Helper()
	return string(a.db.Client.Contact.GetX(t.Context(), id).Stage)
}

// TestNominationWorkflow: staff nominate with evidence; managers ask for more
// information, the nominator adds it, another decision approves; the contact
// becomes an advocate and the history shows on the contact page.
func TestNominationWorkflow(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		a.user("manager@example.com", "manager")
		id := a.person("Nominee", "supporter")
		staff := a.browser()
		staff.login("staff@example.com")
		ev := logged(t, a, staff, id, "Glowing review of our app")

		path := fmt.Sprintf("/contacts/%d/nominations", id)
		p := staff.post(path, url.Values{"reason": {"Keeps recommending us"}, "links": {"javascript:alert(1)"}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if p.text(`[data-testid="error-links"]`) == "" {
			t.Error("a javascript: link is not refused with a field error")
		}
		if v := p.text(`textarea[name="reason"]`); v != "Keeps recommending us" {
			t.Errorf("reason not kept: %q", v)
		}
		p = staff.post(path, url.Values{"reason": {"Keeps recommending us"}, "evidence": {fmt.Sprint(ev)},
			"links": {"https://example.com/review\r\nhttps://example.com/post"}})
		wantStatus(t, p, http.StatusSeeOther)
		n := nominationOf(t, a, id)
		if n.Status != nomination.StatusOpen || len(n.Edges.Evidence) != 1 || len(n.EvidenceLinks) != 2 {
			t.Fatalf("nomination %+v, evidence %d", n, len(n.Edges.Evidence))
		}
		wantStatus(t, staff.post(path, url.Values{"reason": {"again"}}), http.StatusConflict)

		// Staff cannot decide.
		decide := fmt.Sprintf("/nominations/%d/decision", n.ID)
		p = staff.post(decide, url.Values{"decision": {"approve"}})
		wantStatus(t, p, http.StatusForbidden)

		mgr := a.browser()
		mgr.login("manager@example.com")
		p = mgr.get("/advocates/review")
		wantStatus(t, p, http.StatusOK)
		item := p.text(`[data-testid="review-item"]`)
		for _, want := range []string{"Test Nominee", "Keeps recommending us", "Glowing review of our app", "https://example.com/review"} {
			if !strings.Contains(item, want) {
				t.Errorf("review item lacks %q:\n%s", want, item)
			}
		}
		p = mgr.post(decide, url.Values{"decision": {"needs_info"}})
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if p.text(`[data-testid="error-comment"]`) == "" {
			t.Error("asking for information without saying what: no field error")
		}
		wantStatus(t, mgr.post(decide, url.Values{"decision": {"needs_info"}, "comment": {"Which outlets?"}}), http.StatusSeeOther)
		if n := nominationOf(t, a, id); n.Status != nomination.StatusNeedsInfo {
			t.Fatalf("status %s, want needs_info", n.Status)
		}
		p = staff.get(fmt.Sprintf("/contacts/%d", id))
		if got := p.text(`[data-testid="nomination-status"]`); got != "Needs information" {
			t.Errorf("contact page status %q", got)
		}
		wantStatus(t, staff.post(fmt.Sprintf("/nominations/%d/info", n.ID), url.Values{"info": {"Heise and t3n"}}), http.StatusSeeOther)

		wantStatus(t, mgr.post(decide, url.Values{"decision": {"approve"}, "comment": {"Convincing."}}), http.StatusSeeOther)
		if got := stageOf(t, a, id); got != "advocate" {
			t.Errorf("stage %s after approval, want advocate", got)
		}
		wantStatus(t, mgr.post(decide, url.Values{"decision": {"reject"}, "comment": {"late"}}), http.StatusConflict)

		p = staff.get(fmt.Sprintf("/contacts/%d", id))
		hist := p.text(`[data-testid="advocacy"]`)
		for _, want := range []string{"Approved", "asked for more information", "Which outlets?", "approved", "Convincing.", "Heise and t3n"} {
			if !strings.Contains(hist, want) {
				t.Errorf("contact history lacks %q:\n%s", want, hist)
			}
		}
		if p.text(`[data-testid="stage"]`) != "Advocate" {
			t.Errorf("stage badge %q", p.text(`[data-testid="stage"]`))
		}
		p = mgr.get("/advocates")
		if !strings.Contains(p.text(`[data-testid="advocates"]`), "Test Nominee") {
			t.Error("the approved advocate is not on /advocates")
		}
		audits := a.db.Client.AuditEvent.Query().Where(auditevent.Entity(crm.EntityNomination)).CountX(t.Context())
		if audits != 5 { // create, needs_info, info, approve — plus the refused ones write nothing
			t.Logf("nomination audit events: %d", audits)
		}
		if audits < 4 {
			t.Errorf("%d audit events of the nomination, want at least 4", audits)
		}
	})
}

// TestNominationRejectAndSelfDecision: a rejection keeps the stage; a manager
// cannot decide their own nomination, another can.
func TestNominationRejectAndSelfDecision(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("m1@example.com", "manager")
		a.user("m2@example.com", "manager")
		id := a.person("Candidate", "engaged")
		m1, m2 := a.browser(), a.browser()
		m1.login("m1@example.com")
		m2.login("m2@example.com")
		m1.get(fmt.Sprintf("/contacts/%d", id))
		wantStatus(t, m1.post(fmt.Sprintf("/contacts/%d/nominations", id), url.Values{"reason": {"My own favourite"}}), http.StatusSeeOther)
		n := nominationOf(t, a, id)
		decide := fmt.Sprintf("/nominations/%d/decision", n.ID)

		p := m1.post(decide, url.Values{"decision": {"approve"}})
		wantStatus(t, p, http.StatusForbidden)
		if !strings.Contains(p.text(`[data-testid="error-page"]`), "another manager") {
			t.Errorf("self-approval refused without a clear message: %q", p.text(`[data-testid="error-page"]`))
		}
		if p := m1.get("/advocates/review"); p.doc.Find(`[data-testid="own-nomination"]`).Length() != 1 {
			t.Error("the queue offers a manager a decision on their own nomination")
		}
		m2.get("/advocates/review")
		wantStatus(t, m2.post(decide, url.Values{"decision": {"reject"}, "comment": {"Not yet: one article only."}}), http.StatusSeeOther)
		if got := stageOf(t, a, id); got != "engaged" {
			t.Errorf("stage %s after rejection, want engaged", got)
		}
		if n := nominationOf(t, a, id); n.Status != nomination.StatusRejected || n.DecidedAt == nil {
			t.Errorf("nomination %s decided %v", n.Status, n.DecidedAt)
		}
		// After a rejection a new nomination may be made.
		wantStatus(t, m1.post(fmt.Sprintf("/contacts/%d/nominations", id), url.Values{"reason": {"Second try"}}), http.StatusSeeOther)
	})
}

// TestDemotion: an advocate is proposed for demotion and, once approved,
// moves to supporter.
func TestDemotion(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("staff@example.com", "staff")
		a.user("m@example.com", "manager")
		id := a.person("Former", "advocate")
		s, m := a.browser(), a.browser()
		s.login("staff@example.com")
		m.login("m@example.com")
		p := s.get(fmt.Sprintf("/contacts/%d", id))
		if kind, _ := p.doc.Find(`[data-testid="nominate-form"] input[name="kind"]`).Attr("value"); kind != "demote" {
			t.Fatalf("nominate form kind %q for an advocate, want demote", kind)
		}
		wantStatus(t, s.post(fmt.Sprintf("/contacts/%d/nominations", id), url.Values{"kind": {"demote"}, "reason": {"Moved to a competitor"}}), http.StatusSeeOther)
		m.get("/advocates/review")
		wantStatus(t, m.post(fmt.Sprintf("/nominations/%d/decision", nominationOf(t, a, id).ID), url.Values{"decision": {"approve"}}), http.StatusSeeOther)
		if got := stageOf(t, a, id); got != crm.DemoteTo {
			t.Errorf("stage %s after demotion, want %s", got, crm.DemoteTo)
		}
	})
}

// TestStageSettings: an admin renames a stage and changes a cadence; the
// label shows on the contact page and due dates move.
func TestStageSettings(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("admin@example.com", "admin")
		id := a.person("Label", "advocate")
		before := *a.db.Client.Contact.GetX(t.Context(), id).TouchDueAt
		b := a.browser()
		b.login("admin@example.com")
		p := b.get("/settings/stages")
		wantStatus(t, p, http.StatusOK)
		f := url.Values{}
		p.doc.Find(`[data-testid="stages-form"] input[name^="label."], [data-testid="stages-form"] input[name^="cadence."]`).Each(func(_ int, s *goquery.Selection) {
			name, _ := s.Attr("name")
			v, _ := s.Attr("value")
			f.Set(name, v)
		})
		f.Set("label.advocate", "Champion")
		f.Set("cadence.advocate", "0")
		p = b.post("/settings/stages", f)
		wantStatus(t, p, http.StatusUnprocessableEntity)
		if p.text(`[data-testid="error-cadence.advocate"]`) == "" {
			t.Error("cadence 0 accepted")
		}
		f.Set("cadence.advocate", "7")
		wantStatus(t, b.post("/settings/stages", f), http.StatusSeeOther)
		p = b.get(fmt.Sprintf("/contacts/%d", id))
		if got := p.text(`[data-testid="stage"]`); got != "Champion" {
			t.Errorf("stage label %q, want Champion", got)
		}
		after := *a.db.Client.Contact.GetX(t.Context(), id).TouchDueAt
		if d := before.Sub(after); d < 13*24*time.Hour || d > 15*24*time.Hour {
			t.Errorf("due date moved by %v, want 14 days earlier (21 → 7)", d)
		}
	})
}
