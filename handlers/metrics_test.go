package handlers_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/handlers"
)

func TestMetricsNeedTheTokenAndCountRoutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		cfg := handlers.DefaultConfig
		idx := testSearch(t, d)
		cfg.Search = idx
		cfg.Metrics, cfg.MetricsToken = handlers.NewMetrics(d.SQL, idx.s), "scrape-token-0123456789"
		a := newAppWith(t, d, cfg)
		a.user("staff@example.com", "staff")
		b := a.browser()
		b.login("staff@example.com")
		b.get("/contacts")
		b.get("/contacts/999999")
		scrape := func(tok string) (int, string) {
			req, _ := http.NewRequest("GET", a.srv.URL+"/metrics", nil)
			if tok != "" {
				req.Header.Set("Authorization", "Bearer "+tok)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			body, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(body)
		}
		if st, _ := scrape(""); st != http.StatusUnauthorized {
			t.Errorf("no token: %d", st)
		}
		if st, _ := scrape("wrong-token-wrong-token"); st != http.StatusUnauthorized {
			t.Errorf("wrong token: %d", st)
		}
		st, body := scrape(cfg.MetricsToken)
		if st != http.StatusOK {
			t.Fatalf("scrape: %d", st)
		}
		for _, want := range []string{`rapport_http_requests_total{method="GET",route="/contacts",status="200"} 1`,
			`rapport_http_requests_total{method="GET",route="/contacts/:id",status="404"} 1`,
			`rapport_http_request_duration_seconds_bucket{method="GET",route="/contacts"`,
			"go_sql_max_open_connections", "rapport_search_outbox_depth", "rapport_search_indexer_lag_seconds", "rapport_database_up 1"} {
			if !strings.Contains(body, want) {
				t.Errorf("metrics lack %s", want)
			}
		}
		// Health: alive, and ready (database, migrations, index).
		res, err := http.Get(a.srv.URL + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		var ready map[string]string
		_ = json.NewDecoder(res.Body).Decode(&ready)
		res.Body.Close()
		if res.StatusCode != 200 || ready["database"] != "ok" || ready["migrations"] != "ok" {
			t.Errorf("readyz %d %v", res.StatusCode, ready)
		}
	})
}
