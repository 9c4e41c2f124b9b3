package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/labstack/echo/v4"
	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/webhook"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/handlers"
	"github.com/rapport-crm/rapport/search"
)

// The API's speed goals (issue 17), on a database of its own (PostgreSQL,
// RAPPORT_BENCH_API_CONTACTS contacts, default 5,000; never the shared
// dataset): the API list of 100 contacts against the HTML list page in the
// same run, the cost of /metrics' middleware, and a webhook's delay after
// its commit.

func apiContacts() int {
	if n, err := strconv.Atoi(os.Getenv("RAPPORT_BENCH_API_CONTACTS")); err == nil && n > 0 {
		return n
	}
	return 5000
}

// apiDataset fills a fresh database of dia through the contact writer and
// indexes it (its own index, never the shared dataset's).
func apiDataset(b *testing.B, dia string) (*db.DB, *search.Service) {
	b.Helper()
	ctx := context.Background()
	d := dbtest.Open(b, dia, nil)
	w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
	regions, kinds := []string{"München", "Berlin", "Hamburg", "Köln"}, []string{"journalist", "blogger", "creator", "analyst"}
	for start := 0; start < apiContacts(); start += 1000 {
		var ws []crm.ContactWrite
		for i := start; i < min(start+1000, apiContacts()); i++ {
			in := crm.ContactInput{Kind: kinds[i%4], FirstName: fmt.Sprintf("Vorname%d", i), LastName: fmt.Sprintf("Nachname%05d", i),
				City: regions[i%4], Region: regions[i%4], Title: "Redakteurin", Topics: []string{"IT"}, Tags: []string{"Presse"},
				Emails: []crm.EmailInput{{Address: fmt.Sprintf("p%d@example.de", i)}}, Outlets: []crm.OutletRole{{Outlet: fmt.Sprintf("Medium %d", i%50)}}}
			if err := in.Check(); err != nil {
				b.Fatal(err)
			}
			ws = append(ws, crm.ContactWrite{In: in})
		}
		if err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
			_, err := w.Write(ctx, tx, ws, crm.WriteOptions{})
			return err
		}); err != nil {
			b.Fatal(err)
		}
	}
	if err := crm.EnsureStages(ctx, d.Client); err != nil {
		b.Fatal(err)
	}
	if err := ensureBenchUser(ctx, d); err != nil {
		b.Fatal(err)
	}
	idx, err := search.Open(ctx, search.Options{Dir: b.TempDir(), Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect})
	if err != nil {
		b.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = idx.Run(runCtx) }()
	b.Cleanup(func() { stop(); <-done; idx.Close() })
	return d, idx
}

// loadResult is a closed-loop run: requests per second and latency quantiles.
type loadResult struct {
	rps      float64
	p50, p99 time.Duration
	errors   int
}

// closedLoop sends GET url with header from workers clients for d.
func closedLoop(url, header, value string, workers int, d time.Duration) loadResult {
	var mu sync.Mutex
	var lat []time.Duration
	errs := 0
	tr := &http.Transport{MaxIdleConnsPerHost: workers}
	defer tr.CloseIdleConnections()
	end := time.Now().Add(d)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cl := &http.Client{Transport: tr}
			var mine []time.Duration
			bad := 0
			for time.Now().Before(end) {
				req, _ := http.NewRequest("GET", url, nil)
				req.Header.Set(header, value)
				t0 := time.Now()
				res, err := cl.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, res.Body)
					res.Body.Close()
					if res.StatusCode != 200 {
						bad++
					}
				} else {
					bad++
				}
				mine = append(mine, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, mine...)
			errs += bad
			mu.Unlock()
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	q := func(p float64) time.Duration { return lat[int(p*float64(len(lat)-1))] }
	return loadResult{rps: float64(len(lat)) / d.Seconds(), p50: q(.5), p99: q(.99), errors: errs}
}

// fixedRate holds rate requests/s for d with vegeta and returns p99 and errors.
func fixedRate(url, header, value string, rate int, d time.Duration) (time.Duration, float64, int) {
	tgt := vegeta.NewStaticTargeter(vegeta.Target{Method: "GET", URL: url, Header: http.Header{header: {value}}})
	atk := vegeta.NewAttacker(vegeta.KeepAlive(true), vegeta.Workers(32))
	var m vegeta.Metrics
	for r := range atk.Attack(tgt, vegeta.Rate{Freq: rate, Per: time.Second}, d, "api") {
		m.Add(r)
	}
	m.Close()
	return m.Latencies.P99, m.Rate, len(m.Errors)
}

func BenchmarkAPIList(b *testing.B) {
	d, idx := apiDataset(b, dialect.Postgres)
	ctx := context.Background()
	u := d.Client.User.Query().Where(user.Email(httpUser)).OnlyX(ctx)
	tok, _, err := crm.NewAPITokens(d.Client, nil).Create(ctx, u.ID, crm.TokenInput{Name: "bench", Scope: crm.ScopeRead})
	if err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	base := handlers.Config{SessionIdle: time.Hour, SessionMax: time.Hour, MaxBodyBytes: 1 << 20, Search: idx, APIRate: -1}
	withMetrics := base
	withMetrics.Metrics = handlers.NewMetrics(d.SQL, idx)
	plain, stopPlain, err := listen(handlers.New(d, base, log))
	if err != nil {
		b.Fatal(err)
	}
	defer stopPlain()
	metered, stopMetered, err := listen(handlers.New(d, withMetrics, log))
	if err != nil {
		b.Fatal(err)
	}
	defer stopMetered()
	cookies, err := signIn(plain, httpUser, httpPassword)
	if err != nil {
		b.Fatal(err)
	}
	const list = "/api/v1/contacts?limit=100&kind=journalist"
	const page = "/contacts?kind=journalist" // 50 rows a page, the page's own size
	bearer := "Bearer " + tok
	for range b.N {
		step, workers := 4*time.Second, 8
		var api, apiM, html []loadResult
		for range 2 { // interleaved, so that drift of the shared machine hits all three alike
			api = append(api, closedLoop(plain+list, "Authorization", bearer, workers, step))
			apiM = append(apiM, closedLoop(metered+list, "Authorization", bearer, workers, step))
			html = append(html, closedLoop(plain+page, "Cookie", cookies, workers, step))
		}
		best := func(rs []loadResult) loadResult {
			return slices.MaxFunc(rs, func(a, c loadResult) int { return int(a.rps - c.rps) })
		}
		a, m, h := best(api), best(apiM), best(html)
		b.ReportMetric(a.rps, "api_list100_req/s")
		b.ReportMetric(float64(a.p99.Microseconds())/1000, "api_list100_p99_ms")
		b.ReportMetric(h.rps, "html_list_req/s")
		b.ReportMetric(float64(h.p99.Microseconds())/1000, "html_list_p99_ms")
		b.ReportMetric(m.rps, "api_list100_metrics_req/s")
		b.ReportMetric(100*(a.rps-m.rps)/a.rps, "metrics_cost_%")
		p99, got, nerr := fixedRate(plain+list, "Authorization", bearer, 2000, 5*time.Second)
		b.ReportMetric(float64(p99.Microseconds())/1000, "api_at_2000rps_p99_ms")
		b.ReportMetric(got, "api_at_2000rps_achieved")
		fmt.Fprintf(os.Stderr, "bench/api: %d contacts; closed loop (%d workers): API list of 100 %.0f req/s p50 %v p99 %v (errors %d), "+
			"with metrics %.0f req/s p99 %v; HTML list %.0f req/s p99 %v; vegeta at 2000/s: p99 %v, achieved %.0f/s, %d errors\n",
			apiContacts(), workers, a.rps, a.p50, a.p99, a.errors, m.rps, m.p99, h.rps, h.p99, p99, got, nerr)
	}
}

// BenchmarkWebhookDelay: contacts written at a steady pace, each created
// event delivered to a local receiver by the server's webhook loop (every
// 250 ms, as `rapport serve` runs it); the delay is the receiver's clock
// minus the audit event's time (taken just before the commit).
func BenchmarkWebhookDelay(b *testing.B) {
	d := dbtest.Open(b, dialect.Postgres, nil)
	ctx := context.Background()
	var mu sync.Mutex
	var delays []time.Duration
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var p webhook.Payload
		_ = json.NewDecoder(r.Body).Decode(&p)
		at, _ := time.Parse("2006-01-02T15:04:05.000Z", p.OccurredAt)
		mu.Lock()
		delays = append(delays, time.Since(at))
		mu.Unlock()
		w.WriteHeader(http.StatusNoContent)
	}))
	defer recv.Close()
	svc := webhook.New(d.Client, webhook.Options{AllowPrivate: true})
	if _, err := svc.Create(ctx, webhook.Input{URL: recv.URL, Events: []string{webhook.ContactCreated}}); err != nil {
		b.Fatal(err)
	}
	if _, err := svc.Dispatch(ctx); err != nil {
		b.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); svc.Run(runCtx, 250*time.Millisecond) }()
	const n = 200
	for range b.N {
		for i := range n {
			if _, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{Kind: "blogger", LastName: fmt.Sprintf("Hook%d", i)}); err != nil {
				b.Fatal(err)
			}
			time.Sleep(20 * time.Millisecond) // ~50 writes a second
		}
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
			mu.Lock()
			k := len(delays)
			mu.Unlock()
			if k >= n*(b.N) {
				break
			}
		}
	}
	stop()
	<-done
	mu.Lock()
	defer mu.Unlock()
	slices.Sort(delays)
	if len(delays) < n {
		b.Fatalf("%d of %d delivered", len(delays), n)
	}
	p := func(q float64) time.Duration { return delays[int(q*float64(len(delays)-1))] }
	b.ReportMetric(float64(p(.5).Milliseconds()), "webhook_p50_ms")
	b.ReportMetric(float64(p(.95).Milliseconds()), "webhook_p95_ms")
	fmt.Fprintf(os.Stderr, "bench/webhook: %d deliveries, delay after commit p50 %v p95 %v max %v\n", len(delays), p(.5), p(.95), delays[len(delays)-1])
}

// BenchmarkMetricsMiddleware is what /metrics' middleware adds to one
// request, without the network and the database: the same echo route with
// and without it. Its ns/op against a request's time (BenchmarkAPIList) is
// the share /metrics costs.
func BenchmarkMetricsMiddleware(b *testing.B) {
	for _, with := range []bool{false, true} {
		b.Run(map[bool]string{false: "without", true: "with"}[with], func(b *testing.B) {
			e := echo.New()
			if with {
				e.Use(handlers.NewMetrics(nil, nil).Middleware)
			}
			e.GET("/api/v1/contacts/:id", func(c echo.Context) error { return c.NoContent(http.StatusOK) })
			req := httptest.NewRequest("GET", "/api/v1/contacts/42", nil)
			b.ReportAllocs()
			for b.Loop() {
				e.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
