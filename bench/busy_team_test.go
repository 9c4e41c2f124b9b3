package bench

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/interaction"
)

// The busy team (issue 20): busySessions signed-in people with no think
// time, each request one of five kinds in these shares, against the real
// server on loopback for busyDuration (RAPPORT_BENCH_BUSY_DURATION).
const busySessions = 40

var busyMix = []struct {
	kind  string
	share int // percent
}{{"list", 30}, {"contact", 25}, {"search", 20}, {"edit", 10}, {"log", 15}}

var busyWords = []string{"gesundheit", "münchen", "redaktion", "berlin", "energie", "mode", "reisen", "müller", "schmidt", "podcast"}

func busyDuration() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("RAPPORT_BENCH_BUSY_DURATION")); err == nil && d > 0 {
		return d
	}
	return 20 * time.Second
}

// busySession is one signed-in person: a client with the session's cookies,
// the session's CSRF token and the contacts only it edits (so that every
// acknowledged edit can be checked afterwards).
type busySession struct {
	cl      *http.Client
	base    string
	cookie  string
	csrf    string
	own     []int // contacts this session edits
	titles  map[int]string
	logged  []string // subjects of acknowledged interactions
	lat     map[string][]time.Duration
	errs5xx int
	errs    []string
	rng     *rand.Rand
}

// BenchmarkBusyTeam: 40 sessions without think time on the demo dataset —
// contact list 30 %, contact page 25 %, search 20 %, edit form + save 10 %,
// logging an interaction 15 % — reporting requests/s and p95 per kind. It
// fails on any 5xx and when an acknowledged write is missing afterwards.
func BenchmarkBusyTeam(b *testing.B) {
	s := startHTTP(b)
	ctx := context.Background()
	ids, err := s.db.Client.Contact.Query().Order(contact.ByID()).Limit(4000).IDs(ctx)
	if err != nil || len(ids) < busySessions*10 {
		b.Fatalf("need contacts: %d, %v", len(ids), err)
	}
	for b.Loop() {
		sessions := make([]*busySession, busySessions)
		for i := range sessions {
			ss, err := newBusySession(s.app, i, ids)
			if err != nil {
				b.Fatal(err)
			}
			sessions[i] = ss
		}
		win := startBusyWindow(s.db)
		stop := time.Now().Add(busyDuration())
		start := time.Now()
		var wg sync.WaitGroup
		for _, ss := range sessions {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for time.Now().Before(stop) {
					ss.one(ids)
				}
			}()
		}
		wg.Wait()
		elapsed := time.Since(start)
		goSec, pgSec := win.stop()
		all := map[string][]time.Duration{}
		total, fivexx := 0, 0
		var errs []string
		for _, ss := range sessions {
			for k, l := range ss.lat {
				all[k] = append(all[k], l...)
				total += len(l)
			}
			fivexx += ss.errs5xx
			errs = append(errs, ss.errs...)
		}
		b.ReportMetric(float64(total)/elapsed.Seconds(), "req/s")
		for _, m := range busyMix {
			l := all[m.kind]
			if len(l) == 0 {
				continue
			}
			slices.Sort(l)
			// The whole distribution: a p95 alone hides whether a kind is slow or its tail is long.
			q := func(p float64) int64 { return l[int(float64(len(l)-1)*p)].Milliseconds() }
			fmt.Printf("busy-dist %s: n=%d p50=%d p75=%d p90=%d p95=%d p99=%d max=%d ms\n", m.kind, len(l), q(0.5), q(0.75), q(0.9), q(0.95), q(0.99), q(1))
			b.ReportMetric(float64(l[int(float64(len(l)-1)*0.95)].Microseconds())/1000, m.kind+"-p95-ms")
		}
		b.ReportMetric(float64(fivexx), "5xx")
		// CPU per request: this process (server and load generator) and PostgreSQL.
		b.ReportMetric(goSec*1000/float64(total), "go-cpu-ms/req")
		b.ReportMetric(pgSec*1000/float64(total), "pg-cpu-ms/req")
		fmt.Printf("busy-result: %.1f req/s, %d requests, %d 5xx, %d failed\n", float64(total)/elapsed.Seconds(), total, fivexx, len(errs))
		if len(errs) > 0 {
			b.Errorf("%d requests failed, first: %s", len(errs), errs[0])
		}
		checkBusyWrites(b, s, sessions)
	}
}

func newBusySession(base string, i int, ids []int) (*busySession, error) {
	cookie, err := signIn(base, httpUser, httpPassword)
	if err != nil {
		return nil, err
	}
	ss := &busySession{cl: &http.Client{Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		base: base, cookie: cookie, titles: map[int]string{}, lat: map[string][]time.Duration{}, rng: rand.New(rand.NewPCG(uint64(i), 7))}
	for j := i; j < len(ids); j += busySessions {
		ss.own = append(ss.own, ids[j])
	}
	body, _, err := ss.do(http.MethodGet, "/contacts", nil)
	if err != nil {
		return nil, err
	}
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		return nil, fmt.Errorf("no CSRF token after sign-in")
	}
	ss.csrf = m[1]
	return ss, nil
}

// do sends one request with the session's cookie and returns the body and status.
func (ss *busySession) do(method, path string, form url.Values) (string, int, error) {
	var rd io.Reader
	if form != nil {
		form.Set("_csrf", ss.csrf)
		rd = strings.NewReader(form.Encode())
	}
	req, _ := http.NewRequest(method, ss.base+path, rd)
	req.Header.Set("Cookie", ss.cookie)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := ss.cl.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return string(b), res.StatusCode, err
}

// one makes one request of a kind drawn by busyMix and records its latency.
// busyOnly, from RAPPORT_BENCH_BUSY_ONLY (e.g. "contact"), makes every
// request one kind, to measure the CPU of each kind alone.
var busyOnly = os.Getenv("RAPPORT_BENCH_BUSY_ONLY")

func (ss *busySession) one(ids []int) {
	n, kind := ss.rng.IntN(100), busyOnly
	for _, m := range busyMix {
		if kind != "" {
			break
		}
		if n < m.share {
			kind = m.kind
			break
		}
		n -= m.share
	}
	start := time.Now()
	status, err := 0, error(nil)
	switch kind {
	case "list":
		_, status, err = ss.do(http.MethodGet, "/contacts?sort=name&region="+url.QueryEscape([]string{"", "München", "Berlin", "Hamburg"}[ss.rng.IntN(4)]), nil)
	case "contact":
		_, status, err = ss.do(http.MethodGet, fmt.Sprintf("/contacts/%d", ids[ss.rng.IntN(len(ids))]), nil)
	case "search":
		_, status, err = ss.do(http.MethodGet, "/search?q="+url.QueryEscape(busyWords[ss.rng.IntN(len(busyWords))]), nil)
	case "edit":
		status, err = ss.edit(ss.own[ss.rng.IntN(len(ss.own))])
	case "log":
		id := ids[ss.rng.IntN(len(ids))]
		subject := fmt.Sprintf("busy %p %d", ss, len(ss.logged))
		_, status, err = ss.do(http.MethodPost, fmt.Sprintf("/contacts/%d/interactions", id), url.Values{"type": {"call"},
			"direction": {"outbound"}, "subject": {subject}, "occurred_at": {time.Now().Format("2006-01-02T15:04")}})
		if err == nil && status == http.StatusSeeOther {
			ss.logged = append(ss.logged, subject)
		}
	}
	ss.lat[kind] = append(ss.lat[kind], time.Since(start))
	switch {
	case err != nil:
		ss.errs = append(ss.errs, fmt.Sprintf("%s: %v", kind, err))
	case status >= 500:
		ss.errs5xx++
		ss.errs = append(ss.errs, fmt.Sprintf("%s: status %d", kind, status))
	case status != http.StatusOK && status != http.StatusSeeOther:
		ss.errs = append(ss.errs, fmt.Sprintf("%s: status %d", kind, status))
	}
}

// edit opens a contact's edit form, changes the title and saves it, as a
// browser would (every field of the form sent back).
func (ss *busySession) edit(id int) (int, error) {
	body, status, err := ss.do(http.MethodGet, fmt.Sprintf("/contacts/%d/edit", id), nil)
	if err != nil || status != http.StatusOK {
		return status, err
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		return 0, err
	}
	action := fmt.Sprintf("/contacts/%d", id)
	form := url.Values{}
	doc.Find(`form[action="` + action + `"]`).Find("input, select, textarea").Each(func(_ int, el *goquery.Selection) {
		name, ok := el.Attr("name")
		if !ok || name == "_csrf" {
			return
		}
		switch typ, _ := el.Attr("type"); {
		case el.Is("select"):
			if v, ok := el.Find("option[selected]").Attr("value"); ok {
				form.Add(name, v)
			}
		case el.Is("textarea"):
			form.Add(name, el.Text())
		case typ == "checkbox" || typ == "radio":
			if _, on := el.Attr("checked"); on {
				v, _ := el.Attr("value")
				form.Add(name, v)
			}
		case typ == "submit" || typ == "button":
		default:
			v, _ := el.Attr("value")
			form.Add(name, v)
		}
	})
	title := fmt.Sprintf("Busy %d", ss.rng.IntN(1_000_000))
	form.Set("title", title)
	_, status, err = ss.do(http.MethodPost, action, form)
	if err == nil && status == http.StatusSeeOther {
		ss.titles[id] = title
	}
	return status, err
}

// checkBusyWrites fails unless every acknowledged write is in the database:
// each session's last saved title of its own contacts, every logged interaction.
func checkBusyWrites(b *testing.B, s *httpServer, sessions []*busySession) {
	ctx := context.Background()
	for _, ss := range sessions {
		for id, title := range ss.titles {
			c, err := s.db.Client.Contact.Get(ctx, id)
			if err != nil || c.Title != title {
				b.Fatalf("contact %d: title %q after an acknowledged save of %q (%v)", id, c.Title, title, err)
			}
		}
		if len(ss.logged) == 0 {
			continue
		}
		n, err := s.db.Client.Interaction.Query().Where(interaction.SubjectIn(ss.logged...)).Count(ctx)
		if err != nil || n != len(ss.logged) {
			b.Fatalf("%d of %d acknowledged interactions stored (%v)", n, len(ss.logged), err)
		}
	}
}
