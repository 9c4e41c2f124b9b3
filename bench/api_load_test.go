package bench

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/handlers"
)

// BenchmarkAPILoad is issue 17's API goal as a short loopback load run on
// both databases: parallel HTTP clients (8 per core) GET the API list of
// 100 contacts, one contact, and, in the same run, the HTML list page (the
// alternative a user has). Each sub-benchmark's req/s is requests answered
// per second of wall time; ns/op is its inverse.
func BenchmarkAPILoad(b *testing.B) {
	for _, dia := range dbtest.Dialects {
		b.Run(dbtest.Name(dia), func(b *testing.B) {
			d, idx := apiDataset(b, dia)
			ctx := context.Background()
			u := d.Client.User.Query().Where(user.Email(httpUser)).OnlyX(ctx)
			tok, _, err := crm.NewAPITokens(d.Client, nil).Create(ctx, u.ID, crm.TokenInput{Name: "bench", Scope: crm.ScopeRead})
			if err != nil {
				b.Fatal(err)
			}
			one := d.Client.Contact.Query().Order(contact.ByID()).FirstIDX(ctx)
			log := slog.New(slog.NewTextHandler(io.Discard, nil))
			cfg := handlers.Config{SessionIdle: time.Hour, SessionMax: time.Hour, MaxBodyBytes: 1 << 20, Search: idx, APIRate: -1}
			base, stop, err := listen(handlers.New(d, cfg, log))
			if err != nil {
				b.Fatal(err)
			}
			defer stop()
			cookies, err := signIn(base, httpUser, httpPassword)
			if err != nil {
				b.Fatal(err)
			}
			bearer := "Bearer " + tok
			for _, w := range []struct{ name, path, header, value string }{
				{"api_list100", "/api/v1/contacts?limit=100&kind=journalist", "Authorization", bearer},
				{"api_contact", fmt.Sprintf("/api/v1/contacts/%d", one), "Authorization", bearer},
				{"html_list", "/contacts?kind=journalist", "Cookie", cookies},
			} {
				b.Run(w.name, func(b *testing.B) { loadParallel(b, base+w.path, w.header, w.value) })
			}
		})
	}
}

// loadParallel GETs url from 8 clients per core until b.N requests are
// answered, and reports the rate; any answer but 200 fails the benchmark.
func loadParallel(b *testing.B, url, header, value string) {
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	cl := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	b.SetParallelism(8)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest("GET", url, nil)
			req.Header.Set(header, value)
			res, err := cl.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Errorf("%s: %s", url, res.Status)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
}
