package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

// TestAPITargetsPitchAndCoverage: a target list from a selection in the
// contact list's language (the do-not-contact person on it, marked, never
// pitched), paging, a pitch, a reply, coverage by a target (covered), a
// duplicate URL (409 naming url), and another staff member's 404s.
func TestAPITargetsPitchAndCoverage(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		s := newCampaignAPI(t, a)
		var c apiCampaignT
		s.anna.do("POST", "/api/v1/campaigns", map[string]any{"client_id": s.client, "name": "Herbst am Berg", "starts_at": "2026-11-01T00:00:00Z"}).json(t, &c)
		base := fmt.Sprintf("/api/v1/campaigns/%d", c.ID)

		wantAPI(t, s.anna.do("POST", base+"/targets", map[string]any{"segment_id": 1, "contact_ids": []int{s.people[1]}}), http.StatusUnprocessableEntity)
		var added struct {
			Added     int            `json:"added"`
			AlreadyOn int            `json:"already_on"`
			Excluded  map[string]int `json:"excluded"`
		}
		r := s.anna.do("POST", base+"/targets", map[string]any{"selection": map[string]string{"region": "München"}})
		wantAPI(t, r, http.StatusOK)
		r.json(t, &added)
		if added.Added != 20 || added.Excluded["do_not_contact"] != 1 {
			t.Fatalf("added %+v", added)
		}
		s.anna.do("POST", base+"/targets", map[string]any{"contact_ids": s.people[:2]}).json(t, &added)
		if added.Added != 0 || added.AlreadyOn != 2 {
			t.Errorf("again by id %+v", added)
		}
		var ts apiTargetsT
		s.anna.do("GET", base+"/targets?limit=15", nil).json(t, &ts)
		if ts.Total != 20 || ts.ByStatus["planned"] != 20 || len(ts.Data) != 15 || ts.NextCursor == "" {
			t.Fatalf("first page: total %d by status %v, %d rows, next %q", ts.Total, ts.ByStatus, len(ts.Data), ts.NextCursor)
		}
		if ts.Data[0].ContactID != s.people[0] || ts.Data[0].Name != "Presse 0" || ts.Data[0].Excluded != "do_not_contact" || ts.Data[1].Excluded != "" {
			t.Errorf("rows %+v", ts.Data[:2])
		}
		first, cursor := ts.Data, ts.NextCursor // opaque: the contact list's keyset cursor
		ts = apiTargetsT{}
		s.anna.do("GET", base+"/targets?limit=15&cursor="+url.QueryEscape(cursor), nil).json(t, &ts)
		if len(ts.Data) != 5 || ts.NextCursor != "" || ts.Data[0].ContactID == first[14].ContactID {
			t.Errorf("second page: %d rows, next %q", len(ts.Data), ts.NextCursor)
		}
		if r := s.anna.do("GET", base+"/targets?cursor=15", nil); r.status != http.StatusUnprocessableEntity {
			t.Errorf("an offset as cursor: %d, want 422", r.status)
		}

		var pitched struct {
			Pitched  int            `json:"pitched"`
			Excluded map[string]int `json:"excluded"`
		}
		r = s.anna.do("POST", base+"/pitch", map[string]any{"subject": "Neue Wanderschuhe", "follow_up_days": 7})
		wantAPI(t, r, http.StatusOK)
		r.json(t, &pitched)
		if pitched.Pitched != 19 || pitched.Excluded["do_not_contact"] != 1 {
			t.Fatalf("pitched %+v", pitched)
		}

		st := s.anna.do("POST", base+"/targets/status", map[string]any{"contact_ids": []int{}, "status": "sold"})
		wantAPI(t, st, http.StatusUnprocessableEntity)
		if f := problemFields(t, st); !f["status"] {
			t.Errorf("field errors %v", f)
		}
		var changed struct {
			Changed       int  `json:"changed"`
			InteractionID *int `json:"interaction_id"`
		}
		s.anna.do("POST", base+"/targets/status", map[string]any{"contact_ids": []int{s.people[2]}, "status": "interested"}).json(t, &changed)
		if changed.Changed != 1 || changed.InteractionID == nil {
			t.Errorf("status %+v", changed)
		}
		ts = apiTargetsT{}
		s.anna.do("GET", base+"/targets?status=interested", nil).json(t, &ts)
		if ts.Total != 1 || len(ts.Data) != 1 || ts.Data[0].Name != "Presse 2" || ts.ByStatus["pitched"] != 18 {
			t.Errorf("interested %+v", ts)
		}

		piece := map[string]any{"title": "Wanderschuhe aus Bayern", "url": "https://www.abendzeitung.de/wandern?utm_source=x", "outlet": "Abendzeitung",
			"published_at": "2026-11-20T08:00:00Z", "reach": 120000, "author_ids": []int{s.people[2]}}
		r = s.anna.do("POST", base+"/coverage", piece)
		wantAPI(t, r, http.StatusCreated)
		var cov struct {
			ID      int    `json:"id"`
			Title   string `json:"title"`
			Reach   int64  `json:"reach"`
			Authors []struct {
				ID   int    `json:"id"`
				Name string `json:"name"`
			} `json:"authors"`
		}
		r.json(t, &cov)
		if cov.Title != "Wanderschuhe aus Bayern" || cov.Reach != 120000 || len(cov.Authors) != 1 || cov.Authors[0].Name != "Presse 2" ||
			r.header.Get("Location") != fmt.Sprintf("/api/v1/coverage/%d", cov.ID) {
			t.Fatalf("coverage %+v Location %q", cov, r.header.Get("Location"))
		}
		dup := s.anna.do("POST", base+"/coverage", map[string]any{"title": "Nochmal", "url": "https://abendzeitung.de/wandern", "published_at": "2026-11-21T08:00:00Z"})
		wantAPI(t, dup, http.StatusConflict)
		if f := problemFields(t, dup); !f["url"] {
			t.Errorf("duplicate: fields %v", f)
		}
		ts = apiTargetsT{}
		s.anna.do("GET", base+"/targets?status=covered", nil).json(t, &ts)
		if ts.Total != 1 || ts.Data[0].ContactID != s.people[2] {
			t.Errorf("covered %+v", ts)
		}
		var list struct {
			Data []struct {
				Title string `json:"title"`
			} `json:"data"`
		}
		s.anna.do("GET", base+"/coverage", nil).json(t, &list)
		if len(list.Data) != 1 || list.Data[0].Title != "Wanderschuhe aus Bayern" {
			t.Errorf("coverage list %+v", list)
		}
		wantAPI(t, s.anna.do("GET", r.header.Get("Location"), nil), http.StatusOK)

		// Records of a campaign bob does not run are not there for him.
		for _, path := range []string{base + "/targets", base + "/coverage", r.header.Get("Location")} {
			wantAPI(t, s.bob.do("GET", path, nil), http.StatusNotFound)
		}
		wantAPI(t, s.bob.do("POST", base+"/pitch", map[string]any{}), http.StatusNotFound)
		wantAPI(t, s.bob.do("POST", base+"/coverage", map[string]any{"title": "x", "published_at": "2026-11-21T08:00:00Z"}), http.StatusNotFound)
	})
}
