package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent/auditevent"
)

type apiCampaignT struct {
	ID      int    `json:"id"`
	Version int    `json:"version"`
	Name    string `json:"name"`
	Client  string `json:"client"`
	Status  string `json:"status"`
	Goal    string `json:"goal"`
	Owner   string `json:"owner"`
}

type apiTargetsT struct {
	Data []struct {
		ContactID int    `json:"contact_id"`
		Name      string `json:"name"`
		Status    string `json:"status"`
		Excluded  string `json:"excluded"`
	} `json:"data"`
	Total      int            `json:"total"`
	ByStatus   map[string]int `json:"by_status"`
	NextCursor string         `json:"next_cursor"`
}

// campaignAPI is a client, anna's and bob's staff tokens, mia's manager token, and 20 people of München (the first do-not-contact).
type campaignAPI struct {
	anna, bob, mia *apiClient
	client         int
	people         []int
}

func newCampaignAPI(t *testing.T, a *app) campaignAPI {
	t.Helper()
	a.user("anna@example.com", "staff")
	a.user("bob@example.com", "staff")
	a.user("mia@example.com", "manager")
	ctx := context.Background()
	ids := seedPeople(t, a.db, 20)
	a.db.Client.Contact.UpdateOneID(ids[0]).SetDoNotContact(true).ExecX(db.SelfRecorded(ctx))
	b := a.db.Client.Brand.Create().SetName("Bergwerk Outdoor GmbH").SaveX(ctx)
	return campaignAPI{anna: a.api(a.token("anna@example.com", crm.ScopeWrite)), bob: a.api(a.token("bob@example.com", crm.ScopeWrite)),
		mia: a.api(a.token("mia@example.com", crm.ScopeWrite)), client: b.ID, people: ids}
}

// TestAPICampaignLifecycle: create, read, optimistic locking, the page's
// status change through the same write, the per-record rules (another staff
// member sees nothing) and the audit trail.
func TestAPICampaignLifecycle(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		s := newCampaignAPI(t, a)
		bad := s.anna.do("POST", "/api/v1/campaigns", map[string]any{"name": "", "starts_at": "2026-11-01T00:00:00Z"})
		wantAPI(t, bad, http.StatusUnprocessableEntity)
		if f := problemFields(t, bad); !f["client_id"] || !f["name"] {
			t.Errorf("field errors %v, want client_id and name", f)
		}
		r := s.anna.do("POST", "/api/v1/campaigns", map[string]any{"client_id": s.client, "name": "Herbst am Berg",
			"starts_at": "2026-11-01T00:00:00Z", "key_messages": []string{"recycelt", "made in Bayern"}})
		wantAPI(t, r, http.StatusCreated)
		var c apiCampaignT
		r.json(t, &c)
		self := fmt.Sprintf("/api/v1/campaigns/%d", c.ID)
		if c.Name != "Herbst am Berg" || c.Client != "Bergwerk Outdoor GmbH" || c.Status != "planned" || c.Owner != "Test staff" ||
			r.header.Get("Location") != self || r.header.Get("ETag") != `"1"` {
			t.Fatalf("created %+v, Location %q, ETag %q", c, r.header.Get("Location"), r.header.Get("ETag"))
		}

		// Another staff member neither sees nor changes it; a manager sees it.
		wantAPI(t, s.bob.do("GET", self, nil), http.StatusNotFound)
		wantAPI(t, s.bob.do("PATCH", self, map[string]any{"name": "x"}, "If-Match", `"1"`), http.StatusNotFound)
		var list struct {
			Data []apiCampaignT `json:"data"`
		}
		s.bob.do("GET", "/api/v1/campaigns", nil).json(t, &list)
		if len(list.Data) != 0 {
			t.Errorf("bob lists %+v", list.Data)
		}
		s.mia.do("GET", "/api/v1/campaigns?status=planned", nil).json(t, &list)
		if len(list.Data) != 1 || list.Data[0].Name != "Herbst am Berg" {
			t.Errorf("mia lists %+v", list.Data)
		}

		// Optimistic locking: 428 without If-Match, 412 when stale, then the save.
		patch := map[string]any{"status": "running", "goal": "Wanderschuhe bekannt machen"}
		wantAPI(t, s.anna.do("PATCH", self, patch), http.StatusPreconditionRequired)
		wantAPI(t, s.anna.do("PATCH", self, patch, "If-Match", `"7"`), http.StatusPreconditionFailed)
		p := s.anna.do("PATCH", self, patch, "If-Match", `"1"`)
		wantAPI(t, p, http.StatusOK)
		p.json(t, &c)
		if c.Status != "running" || c.Goal != "Wanderschuhe bekannt machen" || c.Name != "Herbst am Berg" || p.header.Get("ETag") != `"2"` {
			t.Fatalf("patched %+v ETag %q", c, p.header.Get("ETag"))
		}
		wantAPI(t, s.anna.do("PATCH", self, map[string]any{"status": "done"}, "If-Match", `"1"`), http.StatusPreconditionFailed)
		ev, err := a.db.Client.AuditEvent.Query().Where(auditevent.Entity("campaign"), auditevent.EntityID(c.ID), auditevent.Action("update")).Only(context.Background())
		if err != nil || ev.ActorName != "Test staff" || ev.Changes["status"][1] != "running" || ev.Changes["goal"] == [2]any{} {
			t.Fatalf("audit %+v, %v", ev, err)
		}

		// The page's status button writes through the same path: a new version.
		page := a.browser()
		page.login("anna@example.com")
		page.get(self[len("/api/v1"):])
		wantStatus(t, page.post(self[len("/api/v1"):]+"/status", url.Values{"status": {"done"}}), http.StatusSeeOther)
		g := s.anna.do("GET", self, nil)
		g.json(t, &c)
		if c.Status != "done" || g.header.Get("ETag") != `"3"` {
			t.Errorf("after the page's change %+v ETag %q", c, g.header.Get("ETag"))
		}
		wantAPI(t, s.anna.do("PATCH", self, map[string]any{"status": "running"}, "If-Match", `"2"`), http.StatusPreconditionFailed)

		// A read token may not change anything; the report is for managers.
		ro := a.api(a.token("anna@example.com", crm.ScopeRead))
		wantAPI(t, ro.do("PATCH", self, map[string]any{"name": "x"}, "If-Match", `"3"`), http.StatusForbidden)
		wantAPI(t, s.anna.do("GET", self+"/report", nil), http.StatusForbidden)
		wantAPI(t, s.mia.do("GET", self+"/report", nil), http.StatusOK)
	})
}

// problemFields are the fields a problem document names.
func problemFields(t *testing.T, r apiResponse) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	if errs, ok := r.problem(t)["errors"].([]any); ok {
		for _, e := range errs {
			out[e.(map[string]any)["field"].(string)] = true
		}
	}
	return out
}
