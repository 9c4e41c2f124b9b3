package crm

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/feed"
	"github.com/rapport-crm/rapport/ent/feedpost"
)

func rssOf(n int) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>`)
	for i := range n {
		fmt.Fprintf(&b, `<item><guid>post-%d</guid><title>Beitrag %d über Gesundheit</title><link>https://blog.example/p/%d</link><pubDate>Tue, 01 Dec 2026 10:00:00 +0000</pubDate><description>Text %d</description></item>`, i, i, i, i)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// feedServer serves the test feeds by path and counts the requests of each.
type feedServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits map[string]int
}

var feed50 = rssOf(50)

func newFeedServer(t testing.TB) *feedServer {
	s := &feedServer{hits: map[string]int{}}
	big := strings.Repeat("<item><title>x</title></item>", 1<<20/30+1)
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.Path]++
		s.mu.Unlock()
		switch p := r.URL.Path; {
		case p == "/etag.xml":
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			fmt.Fprint(w, rssOf(3))
		case p == "/broken.xml":
			fmt.Fprint(w, `<rss><channel><item><title>x</item>`)
		case p == "/page.html":
			w.Header().Set("Content-Type", "text/html")
			fmt.Fprint(w, `<!DOCTYPE html><html><body>Blog</body></html>`)
		case p == "/huge.xml": // 50 MB, streamed
			fmt.Fprint(w, `<rss><channel>`)
			for range 50 {
				if _, err := fmt.Fprint(w, big); err != nil {
					return
				}
			}
		case p == "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case p == "/slow.xml":
			select {
			case <-time.After(3 * time.Second):
			case <-r.Context().Done():
			}
		case p == "/gone":
			w.WriteHeader(http.StatusGone)
		case strings.HasPrefix(p, "/f/"):
			s.mu.Lock()
			nm := s.hits["notModified"] > 0
			s.mu.Unlock()
			if nm && r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			w.Header().Set("ETag", `"v1"`)
			io.WriteString(w, feed50)
		default:
			fmt.Fprint(w, rssOf(3))
		}
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *feedServer) count(path string) int { s.mu.Lock(); defer s.mu.Unlock(); return s.hits[path] }

// ownedFeed records an owned channel with the feed at url and returns the feed's id.
func ownedFeed(t testing.TB, d *db.DB, handle, url string) int {
	t.Helper()
	ch, err := NewOwnedChannels(d.Client).Save(context.Background(), 0, OwnedChannelInput{Platform: "blog", Handle: handle, Feed: url})
	if err != nil {
		t.Fatal(err)
	}
	return d.Client.Feed.Query().Where(feed.OwnedChannelID(ch.ID)).OnlyIDX(context.Background())
}

// TestFeedPolling: posts are stored once; the second poll is a conditional
// GET answered 304; each bad feed gets its own clear error and a later next
// poll, and the good feeds are read all the same; a contact's channel feed
// gives the contact the posts.
func TestFeedPolling(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		srv := newFeedServer(t)
		now := time.Now().Add(time.Minute).UTC() // the feeds are due from when they were saved
		clock := func() time.Time { return now }
		bad := map[string]string{"/broken.xml": "broken XML", "/page.html": "web page", "/huge.xml": "larger than 5 MB",
			"/loop": "redirects more than 5 times", "/slow.xml": "did not answer in time", "/gone": "status 410"}
		ids := map[string]int{}
		for path := range bad {
			ids[path] = ownedFeed(t, d, strings.Trim(path, "/."), srv.URL+path)
		}
		ids["/etag.xml"] = ownedFeed(t, d, "etag", srv.URL+"/etag.xml")
		w := NewContactWriter(d.Client, d.Dialect, nil, nil)
		cid, err := w.Create(ctx, ContactInput{FirstName: "Jana", LastName: "Blog",
			Channels: []ChannelInput{{Platform: "blog", Handle: "jana.example", Feed: srv.URL + "/jana.xml"}}})
		if err != nil {
			t.Fatal(err)
		}

		p := NewFeedPoller(d.Client, d.Dialect, NewFeedFetcher(true, time.Second), clock, "a")
		rep, err := p.PollDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.Feeds != 8 || rep.Failed != 6 || rep.NewPosts != 6 {
			t.Errorf("first poll %+v, want 8 feeds, 6 failed, 6 new posts", rep)
		}
		for path, want := range bad {
			f := d.Client.Feed.GetX(ctx, ids[path])
			if !strings.Contains(f.LastError, want) || f.Failures != 1 || !f.NextPollAt.After(now) {
				t.Errorf("%s: error %q failures %d next %v, want %q", path, f.LastError, f.Failures, f.NextPollAt, want)
			}
		}
		if n := d.Client.FeedPost.Query().Where(feedpost.ContactID(cid)).CountX(ctx); n != 3 {
			t.Errorf("the contact has %d posts, want 3", n)
		}
		if srv.count("/loop") != 5 {
			t.Errorf("the redirect loop was requested %d times, want 5", srv.count("/loop"))
		}

		now = now.Add(90 * time.Minute) // past the interval, before the failures' backoff
		rep, err = p.PollDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if rep.NotModified != 1 || rep.NewPosts != 0 || rep.Feeds != 2 {
			t.Errorf("second poll %+v, want the 2 good feeds, 1 not modified, nothing new", rep)
		}
		if n := d.Client.FeedPost.Query().CountX(ctx); n != 6 {
			t.Errorf("%d posts after the second poll, want 6 (stored once)", n)
		}
		if f := d.Client.Feed.GetX(ctx, ids["/etag.xml"]); f.Etag != `"v1"` || f.Posts != 3 || f.LastError != "" {
			t.Errorf("etag feed %+v", f)
		}
	})
}

// TestFeedPrivateAddressRefused: without the setting, a feed on loopback is
// not requested and says why.
func TestFeedPrivateAddressRefused(t *testing.T) {
	srv := newFeedServer(t)
	_, err := NewFeedFetcher(false, time.Second)(context.Background(), srv.URL+"/etag.xml", "", "")
	if err == nil || !strings.Contains(err.Error(), "private network") || srv.count("/etag.xml") != 0 {
		t.Errorf("error %v, %d requests; want a refusal and none", err, srv.count("/etag.xml"))
	}
}

// TestFeedLeaseTwoPollers: two pollers (two servers) on one database poll
// every due feed exactly once between them.
func TestFeedLeaseTwoPollers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		srv := newFeedServer(t)
		const n = 40
		for i := range n {
			ownedFeed(t, d, fmt.Sprint("lease", i), fmt.Sprintf("%s/l/%d.xml", srv.URL, i))
		}
		var total atomic.Int64
		var wg sync.WaitGroup
		for _, owner := range []string{"server-a", "server-b"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p := NewFeedPoller(d.Client, d.Dialect, NewFeedFetcher(true, 5*time.Second), nil, owner)
				p.Batch, p.Workers = 5, 4
				rep, err := p.PollDue(context.Background())
				if err != nil {
					t.Error(err)
				}
				total.Add(int64(rep.Feeds))
			}()
		}
		wg.Wait()
		for i := range n {
			if c := srv.count(fmt.Sprintf("/l/%d.xml", i)); c != 1 {
				t.Errorf("feed %d fetched %d times, want 1", i, c)
			}
		}
		if total.Load() != n {
			t.Errorf("the pollers report %d feeds, want %d", total.Load(), n)
		}
		if c := d.Client.FeedPost.Query().CountX(context.Background()); c != 3*n {
			t.Errorf("%d posts, want %d", c, 3*n)
		}
	})
}
