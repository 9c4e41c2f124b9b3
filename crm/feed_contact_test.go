package crm

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/contact"
)

// testPost is an item of a test feed.
type testPost struct {
	guid, title string
	at          time.Time
}

// rssItems is an RSS feed of the posts.
func rssItems(posts []testPost) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>T</title>`)
	for _, p := range posts {
		fmt.Fprintf(&b, `<item><guid>%s</guid><title>%s</title><link>https://blog.example/%s</link><pubDate>%s</pubDate><description>Zu %s</description></item>`,
			p.guid, p.title, p.guid, p.at.UTC().Format(time.RFC1123Z), p.title)
	}
	b.WriteString(`</channel></rss>`)
	return b.String()
}

// serveFeed serves body as a feed at every path.
func serveFeed(t testing.TB, body func() string) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, body()) }))
	t.Cleanup(srv.Close)
	return srv
}

// contactWithFeed creates a contact with a blog channel carrying the feed at url.
func contactWithFeed(t testing.TB, d *db.DB, first, handle, url string) int {
	t.Helper()
	ctx := context.Background()
	id, err := NewContactWriter(d.Client, d.Dialect, nil, nil).Create(ctx, ContactInput{FirstName: first, LastName: "Blog",
		Channels: []ChannelInput{{Platform: "blog", Handle: handle, Feed: url}}})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// TestPostsOnTheContactTimeline: a contact channel's posts are on the
// contact's timeline among the interactions by date, paged across both
// kinds without a gap or a repeat; a filter shows interactions only; the
// posts of this month count in the health score, stored and on the card.
func TestPostsOnTheContactTimeline(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		now := time.Now().UTC().Truncate(time.Second)
		posts := []testPost{{"p1", "Nachhaltige Mode im Test", now.Add(-2 * time.Hour)},
			{"p2", "Sustainable fashion tested", now.Add(-4 * time.Hour)}, {"p3", "Herbstbericht", now.AddDate(0, 0, -40)}}
		srv := serveFeed(t, func() string { return rssItems(posts) })
		id := contactWithFeed(t, d, "Jana", "jana.example", srv.URL+"/jana.xml")
		author := d.Client.User.Create().SetEmail("a@example.com").SetName("Anna").SetPasswordHash("x").SetRole("staff").SaveX(ctx)
		for _, in := range []struct {
			subject string
			at      time.Time
		}{{"Anruf", now.Add(-time.Hour)}, {"Treffen", now.Add(-3 * time.Hour)}, {"Mail", now.AddDate(0, 0, -50)}} {
			_, err := LogInteractionMany(ctx, d.Client, author.ID, InteractionInput{ContactIDs: []int{id}, Type: "call", Direction: "outbound",
				OccurredAt: in.at, Subject: in.subject, Sentiment: "neutral"}, ManyOptions{})
			if err != nil {
				t.Fatal(err)
			}
		}
		rep, err := NewFeedPoller(d.Client, d.Dialect, NewFeedFetcher(true, 5*time.Second), nil, "t").PollDue(ctx)
		if err != nil || rep.NewPosts != 3 {
			t.Fatalf("poll: %+v, %v; want 3 new posts", rep, err)
		}

		var got []string
		after := ""
		for page := 0; page < 5; page++ {
			tl, err := LoadActivity(ctx, d.Client, id, TimelineFilter{}, after, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range tl.Entries {
				kind := "i"
				if e.Post {
					kind = "p"
					if len(e.Links) != 1 || !strings.HasPrefix(e.Links[0], "https://blog.example/") {
						t.Errorf("post %q links %v, want its link", e.Subject, e.Links)
					}
				}
				got = append(got, kind+":"+e.Subject)
			}
			if after = tl.Next; after == "" {
				break
			}
		}
		want := "i:Anruf p:Nachhaltige Mode im Test i:Treffen p:Sustainable fashion tested p:Herbstbericht i:Mail"
		if strings.Join(got, " ") != want {
			t.Errorf("timeline\n got %s\nwant %s", strings.Join(got, " "), want)
		}
		tl, err := LoadActivity(ctx, d.Client, id, TimelineFilter{Type: "call"}, "", 20)
		if err != nil || len(tl.Entries) != 3 || tl.LastInteraction().Subject != "Anruf" {
			t.Errorf("filtered timeline %+v, %v; want the 3 interactions only", tl, err)
		}

		thisMonth := 0
		for _, p := range posts {
			if !p.at.Before(monthStart(now)) {
				thisMonth++
			}
		}
		card, err := LoadContactCard(ctx, d.Client, id)
		if err != nil {
			t.Fatal(err)
		}
		var line *HealthLine
		for i, l := range card.Health.Lines {
			if l.Key == "posts" {
				line = &card.Health.Lines[i]
			}
		}
		if line == nil || line.Args["Posts"] != int64(thisMonth) || line.Points != min(5, thisMonth) ||
			line.Text != fmt.Sprintf("posted %d times this month", thisMonth) {
			t.Errorf("health lines %+v, want posted %d times this month", card.Health.Lines, thisMonth)
		}
		if stored := d.Client.Contact.Query().Where(contact.ID(id)).OnlyX(ctx).Health; stored != card.Health.Score {
			t.Errorf("stored health %d, card %d: the poll did not refresh it", stored, card.Health.Score)
		}
	})
}

// TestPostsLine: the posts line of the health score, by count.
func TestPostsLine(t *testing.T) {
	for _, tc := range []struct {
		name  string
		n     int
		text  string
		point int
	}{{"once", 1, "posted once this month", 1}, {"six", 6, "posted 6 times this month", 5}} {
		t.Run(tc.name, func(t *testing.T) {
			l := postsLine(tc.n)
			if l.Text != tc.text || l.Points != tc.point {
				t.Errorf("%d posts: %q %d, want %q %d", tc.n, l.Text, l.Points, tc.text, tc.point)
			}
		})
	}
	r := ComputeHealth(HealthInput{CadenceDays: 30, Created: time.Now()}, time.Now())
	for _, l := range r.Lines {
		if l.Key == "posts" {
			t.Errorf("no posts, yet a posts line %+v", l)
		}
	}
}
