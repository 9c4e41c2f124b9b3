package handlers_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/followersnapshot"
	"github.com/rapport-crm/rapport/ent/interaction"
	"github.com/rapport-crm/rapport/ent/nomination"
	"github.com/rapport-crm/rapport/ent/socialprofile"
	"github.com/rapport-crm/rapport/ent/task"
)

// TestDialectParity loads the same demo seed at the same clock into SQLite
// and PostgreSQL and renders the same pages through the real router: their
// visible text must be the same, clocks and request ids aside. It is the
// test that would have caught "1 Jan 0001" on SQLite.
func TestDialectParity(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Hour)
	load := func(dia string) (*app, *browser) {
		d := dbtest.Open(t, dia, nil)
		if _, err := demo.Load(t.Context(), d.Client, demo.Options{Contacts: 150, Seed: 11, Now: now}); err != nil {
			t.Fatal(err)
		}
		a := newApp(t, d)
		b := a.browser()
		b.get("/login")
		p := b.post("/login", url.Values{"email": {"admin@rapport.test"}, "password": {demo.Password}})
		if p.status != http.StatusSeeOther {
			t.Fatalf("%s: demo admin login: status %d", dbtest.Name(dia), p.status)
		}
		return a, b
	}
	lite, liteB := load(dialect.SQLite)
	_, pgB := load(dialect.Postgres)
	compare := func(path string) page {
		t.Helper()
		a, b := liteB.get(path), pgB.get(path)
		if a.status != http.StatusOK || b.status != http.StatusOK {
			t.Errorf("%s: status %d on SQLite, %d on PostgreSQL", path, a.status, b.status)
		}
		if x, y := visibleText(a), visibleText(b); x != y {
			t.Errorf("%s differs between SQLite (-) and PostgreSQL (+):\n%s", path, lineDiff(x, y))
		}
		return a
	}
	paths := append([]string{"/", "/contacts?stage=advocate", "/tasks?who=all", "/tasks?who=all&status=done",
		"/advocates", "/advocates/review", "/outlets", "/coverage", "/segments", "/audit", "/search?q=M%C3%BCller",
		"/search?q=Journalistin&stage=engaged"}, parityContacts(t, lite.db)...)
	for _, path := range paths {
		compare(path)
	}
	// The contact list in every order, and its second page.
	for _, sort := range []string{"", "name", "reach", "last_interaction"} {
		p := compare("/contacts?sort=" + sort)
		if next, ok := p.doc.Find(`[data-testid="next-page"]`).Attr("href"); ok {
			compare(next)
		} else {
			t.Errorf("/contacts?sort=%s has no second page", sort)
		}
	}
}

// parityContacts are contact pages worth comparing: the first contact, the
// busiest, one with an open and one with a decided nomination, one with an
// open follow-up and one with follower history.
func parityContacts(t *testing.T, d *db.DB) []string {
	t.Helper()
	ctx := t.Context()
	c := d.Client
	ids := []int{c.Contact.Query().FirstIDX(ctx)}
	var busiest []struct {
		ContactID int `json:"contact_id"`
		Count     int `json:"count"`
	}
	c.Participation.Query().GroupBy("contact_id").Aggregate(ent.Count()).ScanX(ctx, &busiest)
	top := busiest[0]
	for _, r := range busiest {
		if r.Count > top.Count || (r.Count == top.Count && r.ContactID < top.ContactID) {
			top = r
		}
	}
	ids = append(ids, top.ContactID)
	for _, n := range []*ent.Nomination{
		c.Nomination.Query().Where(nomination.StatusEQ(nomination.StatusOpen)).Order(ent.Asc("id")).FirstX(ctx),
		c.Nomination.Query().Where(nomination.StatusEQ(nomination.StatusApproved)).Order(ent.Asc("id")).FirstX(ctx),
	} {
		ids = append(ids, n.ContactID)
	}
	ids = append(ids, c.Task.Query().Where(task.DoneAtIsNil(), task.ContactIDNotIn(ids...)).Order(ent.Asc("id")).FirstX(ctx).ContactID)
	snap := c.FollowerSnapshot.Query().Where(followersnapshot.HasChannelWith(socialprofile.ContactIDNotIn(ids...))).
		Order(ent.Asc(followersnapshot.FieldID)).WithChannel().FirstX(ctx)
	ids = append(ids, snap.Edges.Channel.ContactID)
	if c.Interaction.Query().Where(interaction.OccurredAtGT(time.Now())).ExistX(ctx) {
		t.Error("demo interactions in the future")
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = fmt.Sprintf("/contacts/%d", id)
	}
	return out
}

// Things that differ between two runs of the same page, not between databases.
var (
	clockRe   = regexp.MustCompile(`\b\d{1,2}:\d{2}(:\d{2})?\b`)
	requestRe = regexp.MustCompile(`\b[0-9a-f]{16,}\b`)
	spaceRe   = regexp.MustCompile(`\s+`)
)

// visibleText is the page's text as a reader sees it, one line per text
// node, with clocks and request ids normalised.
func visibleText(p page) string {
	var lines []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style" || n.Data == "head"):
			return
		case n.Type == html.ElementNode && n.Data == "input":
			s := goquery.NewDocumentFromNode(n).Selection
			if typ, _ := s.Attr("type"); typ != "hidden" && typ != "password" {
				if v, ok := s.Attr("value"); ok && v != "" {
					lines = append(lines, "["+v+"]")
				}
			}
		case n.Type == html.TextNode:
			if s := strings.TrimSpace(spaceRe.ReplaceAllString(n.Data, " ")); s != "" {
				lines = append(lines, s)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range p.doc.Find("body").Nodes {
		walk(n)
	}
	s := strings.Join(lines, "\n")
	s = clockRe.ReplaceAllString(s, "hh:mm")
	return requestRe.ReplaceAllString(s, "<id>")
}

// lineDiff is a readable line diff of a and b (longest common subsequence),
// with two lines of context around each change.
func lineDiff(a, b string) string {
	x, y := strings.Split(a, "\n"), strings.Split(b, "\n")
	lcs := make([][]int, len(x)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(y)+1)
	}
	for i := len(x) - 1; i >= 0; i-- {
		for j := len(y) - 1; j >= 0; j-- {
			if x[i] == y[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	type op struct {
		kind byte
		line string
	}
	var ops []op
	i, j := 0, 0
	for i < len(x) || j < len(y) {
		switch {
		case i < len(x) && j < len(y) && x[i] == y[j]:
			ops = append(ops, op{' ', x[i]})
			i, j = i+1, j+1
		case j < len(y) && (i == len(x) || lcs[i][j+1] >= lcs[i+1][j]):
			ops = append(ops, op{'+', y[j]})
			j++
		default:
			ops = append(ops, op{'-', x[i]})
			i++
		}
	}
	var out strings.Builder
	last := -10
	for k, o := range ops {
		near := false
		for d := -2; d <= 2; d++ {
			if k+d >= 0 && k+d < len(ops) && ops[k+d].kind != ' ' {
				near = true
			}
		}
		if !near {
			continue
		}
		if k > last+1 {
			out.WriteString("  …\n")
		}
		fmt.Fprintf(&out, "%c %s\n", o.kind, o.line)
		last = k
	}
	return out.String()
}
