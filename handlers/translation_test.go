package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/user"
	"github.com/rapport-crm/rapport/handlers/routes"
	"github.com/rapport-crm/rapport/locale"
)

// TestEverythingGerman signs in as each role of the demo, who picked German
// in /account, visits every GET route of the route table with ids from the
// demo, and fails on a message missing from the German catalogue, on text
// that is an English message of the catalogue (whole, or a sentence of it),
// on a raw enum code and on text that reads as English. The API reference
// (/api/docs) is left out: it is the developer documentation generated from
// openapi.json, whose summaries are English like the API's codes.
func TestEverythingGerman(t *testing.T) {
	locale.Strict(true)
	defer locale.Strict(false)
	locale.Missing()
	d := dbtest.Open(t, dialect.SQLite, nil)
	ctx := t.Context()
	if _, err := demo.Load(ctx, d.Client, demo.Options{Contacts: 120, Seed: 7, Now: time.Now().UTC()}); err != nil {
		t.Fatal(err)
	}
	for _, u := range d.Client.User.Query().AllX(ctx) {
		if err := crm.SetLocale(ctx, d.Client, u.ID, locale.German); err != nil {
			t.Fatal(err)
		}
	}
	importedByStaff(ctx, t, d.Client)
	a := newApp(t, d)
	ids := demoIDs(ctx, t, d.Client)
	eng := englishMessages()

	// Before signing in, the browser's language decides.
	anon := a.browser()
	req, _ := http.NewRequest(http.MethodGet, anon.base+"/login", nil)
	req.Header.Set("Accept-Language", "de-DE,de;q=0.9,en;q=0.5")
	p := anon.do(req)
	checkGerman(t, "anonymous /login", p, eng)
	if got := p.doc.Find("html").AttrOr("lang", ""); got != "de" {
		t.Errorf("/login with a German browser: lang=%q", got)
	}

	visited := 0
	for _, who := range []struct{ email, role string }{
		{"leonie.schaefer@rapport.test", routes.Staff}, {"katrin.vogel@rapport.test", routes.Manager}, {"admin@rapport.test", routes.Admin},
	} {
		b := a.browser()
		b.get("/login")
		if p := b.post("/login", url.Values{"email": {who.email}, "password": {demo.Password}}); p.status != http.StatusSeeOther {
			t.Fatalf("sign in as %s: status %d", who.email, p.status)
		}
		for _, r := range routes.Table {
			if r.Method != http.MethodGet || !routes.Allows(who.role, r.Role) || strings.HasPrefix(r.Path, "/api/v1") ||
				r.Path == "/static/*" || r.Name == routes.APIDocs || r.Name == routes.Metrics || r.Name == routes.LoginSSO || r.Name == routes.LoginSSOCallback {
				continue
			}
			path, ok := fillPath(r.Path, ids)
			if !ok {
				t.Logf("%s: the demo has no %s to show", r.Path, r.Path)
				continue
			}
			if r.Name == routes.MergeForm {
				path += "?a=1&b=2" // the side-by-side form of two demo contacts
			}
			p := b.get(path)
			if p.status >= 400 && p.status != http.StatusNotFound && p.status != http.StatusForbidden {
				t.Errorf("%s as %s: status %d", path, who.role, p.status)
			}
			if !strings.HasPrefix(p.header.Get("Content-Type"), "text/html") {
				continue // CSV, XLSX, JSON: machine formats keep their codes
			}
			visited++
			checkGerman(t, path+" as "+who.role, p, eng)
		}
		contact := b.get("/contacts/" + ids["contact"])
		if got := contact.text(`[data-testid="health-explanation"]`); !strings.Contains(got, "Ausgangswert") {
			t.Errorf("the health explanation as %s reads %q, want German", who.role, got)
		}
		for _, path := range []string{"/contacts?stage=advocate", "/tasks?who=all", "/tasks?who=all&status=done", "/search?q=M%C3%BCller",
			"/contacts?q=zzzzzz", "/contacts/" + ids["contact"] + "?t_type=call"} {
			visited++
			checkGerman(t, path+" as "+who.role, b.get(path), eng)
		}
	}
	if visited < 40 {
		t.Errorf("only %d pages visited", visited)
	}
	if m := locale.Missing(); len(m) > 0 {
		sort.Strings(m)
		t.Errorf("%d messages missing from a catalogue:\n%s", len(m), strings.Join(m, "\n"))
	}
}

// importedByStaff runs an import of Leonie's (staff) to the end, so that the
// crawler sees an import's pages: its outcomes and the revert's question.
func importedByStaff(ctx context.Context, t *testing.T, c *ent.Client) {
	t.Helper()
	id := c.User.Query().Where(user.Email("leonie.schaefer@rapport.test")).OnlyIDX(ctx)
	j, err := importing.CreateJob(ctx, c, importing.NewJob{UserID: &id, Filename: "presse.csv",
		Data: []byte("Vorname;Nachname;E-Mail;Stadt\nAnja;Berg;anja.berg@example.de;Köln\nJonas;Weber;jonas.weber@example.de;Essen\n")})
	if err == nil {
		j, err = importing.SetMapping(ctx, c, j, j.Mapping)
	}
	r := &importing.Runner{Client: c, Worker: "crawler"}
	if err == nil {
		_, err = r.DryRun(ctx, j.ID)
	}
	if err == nil {
		_, err = importing.Claim(ctx, c, j.ID, "crawler", true)
	}
	if err == nil {
		err = r.Run(ctx, j.ID)
	}
	if err != nil {
		t.Fatalf("an import for the crawler: %v", err)
	}
}

// demoIDs are an id of each kind of record that a route shows.
func demoIDs(ctx context.Context, t *testing.T, c *ent.Client) map[string]string {
	ids := map[string]string{}
	first := func(name string, id int, err error) {
		if err == nil {
			ids[name] = fmt.Sprint(id)
		}
	}
	id, err := c.Contact.Query().FirstID(ctx)
	first("contact", id, err)
	id, err = c.Outlet.Query().FirstID(ctx)
	first("outlet", id, err)
	id, err = c.User.Query().FirstID(ctx)
	first("user", id, err)
	id, err = c.Campaign.Query().FirstID(ctx)
	first("campaign", id, err)
	id, err = c.ImportJob.Query().FirstID(ctx)
	first("import", id, err)
	id, err = c.ExportLog.Query().FirstID(ctx)
	first("export", id, err)
	id, err = c.PrivacyRequest.Query().FirstID(ctx)
	first("privacy", id, err)
	id, err = c.Webhook.Query().FirstID(ctx)
	first("webhook", id, err)
	id, err = c.BulkAction.Query().FirstID(ctx)
	first("bulk", id, err)
	id, err = c.Interaction.Query().FirstID(ctx)
	first("interaction", id, err)
	id, err = c.OwnedChannel.Query().FirstID(ctx)
	first("channel", id, err)
	return ids
}

// fillPath puts an id of the right kind into a route's :id.
func fillPath(path string, ids map[string]string) (string, bool) {
	if !strings.Contains(path, ":id") {
		return path, true
	}
	kinds := map[string]string{"/contacts/": "contact", "/outlets/": "outlet", "/users/": "user", "/campaigns/": "campaign",
		"/imports/": "import", "/exports/": "export", "/privacy/requests/": "privacy", "/webhooks/": "webhook", "/bulk/": "bulk",
		"/interactions/": "interaction", "/channels/": "channel"}
	for prefix, kind := range kinds {
		if strings.HasPrefix(path, prefix) {
			id, ok := ids[kind]
			return strings.Replace(path, ":id", id, 1), ok
		}
	}
	return "", false
}

// english are the catalogue's English messages that German says otherwise:
// whole (a text node equal to one) and long (a text node containing one).
type english struct {
	whole map[string]bool
	long  []string
	codes map[string]bool
}

func englishMessages() english {
	en, de := locale.Get(locale.English), locale.Get(locale.German)
	e := english{whole: map[string]bool{}, codes: map[string]bool{}}
	german := map[string]bool{} // German texts: "Filter" is "Filters" in German, not an untranslated "Filter"
	for _, id := range de.IDs() {
		german[de.T(id)] = true
	}
	for _, id := range de.IDs() {
		if strings.Contains(id, "{{") {
			continue
		}
		if t := en.T(id); t != de.T(id) && !german[t] {
			e.whole[t] = true
			if strings.Count(t, " ") >= 3 {
				e.long = append(e.long, t)
			}
		}
	}
	for code, word := range locale.EnumLabels() {
		if code != "" && code != strings.ToLower(de.T(word)) {
			e.codes[code] = true
		}
	}
	return e
}

// englishWords are words that German text does not use; two of them in one
// text node read as English that escaped the catalogue.
var englishWords = regexp.MustCompile(`(?i)\b(the|and|with|your|you|this|that|from|for|not|are|is|of|to|no|yet|has|have|` +
	`ago|days|last|never|once|times|reply|replied|expected|inbound|outbound|positive|negative|none|by|` +
	`set|add|remove|select|edit|delete|show|open|undo|new|save|cancel|contacts|interactions|followers|posts)\b`)

// englishStart are texts that begin as an English button or label does
// ("Select Anna Berg", "Edit @handle"): one word is enough there.
var englishStart = regexp.MustCompile(`^(Select|Edit|Delete|Remove|Add|Show|Open|Undo|Save|Cancel|New|Back|Merge|Keep|Set|Mark|Lift) `)

// isoTime is a date or time the way Go or a database writes it, not the
// locale: pages say "4. Dez. 2026, 14:05 Uhr".
var isoTime = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}.*)?$`)

func checkGerman(t *testing.T, where string, p page, eng english) {
	t.Helper()
	var bad []string
	check := func(s string, userData bool) {
		s = strings.TrimSpace(spaceRe.ReplaceAllString(s, " "))
		if s == "" {
			return
		}
		switch {
		case isoTime.MatchString(s):
			bad = append(bad, fmt.Sprintf("unformatted date %q", s))
		case userData:
			// A name, subject or note: whatever someone typed. Only the
			// checks above apply.
		case englishStart.MatchString(s):
			bad = append(bad, fmt.Sprintf("English-looking text %q", s))
		case eng.whole[s]:
			bad = append(bad, fmt.Sprintf("English message %q", s))
		case eng.codes[s]:
			bad = append(bad, fmt.Sprintf("enum code %q", s))
		case len(englishWords.FindAllString(s, 3)) >= 2:
			bad = append(bad, fmt.Sprintf("English-looking text %q", s))
		default:
			for _, l := range eng.long {
				if strings.Contains(s, l) {
					bad = append(bad, fmt.Sprintf("English message %q in %q", l, s))
				}
			}
		}
	}
	var walk func(n *html.Node, userData bool)
	walk = func(n *html.Node, userData bool) {
		if n.Type == html.ElementNode {
			if n.Data == "script" || n.Data == "style" {
				return
			}
			s := goquery.NewDocumentFromNode(n).Selection
			// Text someone typed is marked dir="auto" (a name may be Arabic).
			userData = userData || s.AttrOr("dir", "") == "auto"
			for _, attr := range []string{"placeholder", "aria-label", "title", "alt"} {
				if v, ok := s.Attr(attr); ok {
					check(v, false)
				}
			}
			if v, ok := s.Attr("value"); n.Data == "option" && n.Parent != nil && n.Parent.Data == "select" && ok && v != "" && strings.TrimSpace(s.Text()) == "" {
				bad = append(bad, fmt.Sprintf("option %q without a label", v))
			}
		}
		if n.Type == html.TextNode {
			check(n.Data, userData)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, userData)
		}
	}
	for _, n := range p.doc.Find("html").Nodes {
		walk(n, false)
	}
	if len(bad) == 0 {
		return
	}
	t.Errorf("%s is not all German:\n  %s", where, strings.Join(dedupe(bad), "\n  "))
}

func dedupe(xs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, x := range xs {
		if !seen[x] {
			seen[x] = true
			out = append(out, x)
		}
	}
	return out
}
