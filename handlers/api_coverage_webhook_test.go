package handlers_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm/webhook"
)

// TestAPICoverageWebhook: a local receiver subscribed to coverage.added gets
// one signed delivery per coverage item added through the API, with and
// without authors, made from the durable change record; its link reads the
// piece through the API.
func TestAPICoverageWebhook(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		s := newCampaignAPI(t, a)
		svc := webhook.New(a.db.Client, webhook.Options{AllowPrivate: true, Timeout: 2 * time.Second})
		if _, err := svc.Dispatch(t.Context()); err != nil { // the position starts at the newest event
			t.Fatal(err)
		}
		var mu sync.Mutex
		var got []webhook.Payload
		var secret string
		rc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			mu.Lock()
			defer mu.Unlock()
			if !webhook.Verify(secret, r.Header.Get(webhook.HeaderTimestamp), r.Header.Get(webhook.HeaderSignature), body, time.Now(), 5*time.Minute) {
				t.Errorf("delivery with a bad signature: %s", body)
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			var p webhook.Payload
			if err := json.Unmarshal(body, &p); err != nil || p.Type != r.Header.Get(webhook.HeaderEvent) {
				t.Errorf("payload %s (%v)", body, err)
			}
			got = append(got, p)
			w.WriteHeader(http.StatusNoContent)
		}))
		defer rc.Close()
		hook, err := svc.Create(t.Context(), webhook.Input{URL: rc.URL + "/hook", Events: []string{webhook.CoverageAdded, webhook.InteractionLogged}})
		if err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		secret = hook.Secret
		mu.Unlock()

		var c apiCampaignT
		s.anna.do("POST", "/api/v1/campaigns", map[string]any{"client_id": s.client, "name": "Herbst am Berg", "starts_at": "2026-11-01T00:00:00Z"}).json(t, &c)
		base := fmt.Sprintf("/api/v1/campaigns/%d/coverage", c.ID)
		first := s.anna.do("POST", base, map[string]any{"title": "Ohne Autor", "published_at": "2026-11-20T08:00:00Z"})
		wantAPI(t, first, http.StatusCreated)
		second := s.anna.do("POST", base, map[string]any{"title": "Mit Autorin", "published_at": "2026-11-21T08:00:00Z", "author_ids": []int{s.people[3]}})
		wantAPI(t, second, http.StatusCreated)

		if _, err := svc.Dispatch(t.Context()); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Deliver(t.Context()); err != nil {
			t.Fatal(err)
		}
		mu.Lock()
		defer mu.Unlock()
		if len(got) != 2 {
			t.Fatalf("deliveries %+v, want two coverage.added", got)
		}
		slices.SortFunc(got, func(x, y webhook.Payload) int { return x.ID - y.ID }) // in order per contact only
		for i, want := range []struct {
			link     string
			contacts []int
		}{{first.header.Get("Location"), nil}, {second.header.Get("Location"), []int{s.people[3]}}} {
			if p := got[i]; p.Type != webhook.CoverageAdded || p.Link != want.link || !slices.Equal(p.ContactIDs, want.contacts) || p.Actor != "Test staff" {
				t.Errorf("delivery %d: %+v, want coverage.added %s for %v", i, p, want.link, want.contacts)
			}
		}
		var piece struct {
			Title string `json:"title"`
		}
		s.anna.do("GET", got[1].Link, nil).json(t, &piece)
		if piece.Title != "Mit Autorin" {
			t.Errorf("the link reads %+v", piece)
		}
	})
}
