package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/interaction"
)

const (
	email    = "anna.schaefer@example.com"
	userName = "Anna Schäfer"
	password = "correct horse battery staple"
)

var contactPath = regexp.MustCompile(`^/contacts/([0-9]+)$`)

// TestJourney signs in, creates a contact with a channel and an outlet, logs a
// call, finds the contact in the list, and pages the timeline with htmx — in
// a real browser, with umlauts all the way, and with a clean console.
func TestJourney(t *testing.T) {
	exe := browserPath(t)
	a := startApp(t)
	u := a.user(t, email, userName, crm.RoleStaff, password)
	b := newBrowser(t, exe, a.url)

	// Anonymous: the dashboard sends us to the sign-in form.
	b.open("/")
	if got := b.url(); got.Path != "/login" || got.Query().Get("next") != "/" {
		t.Fatalf("anonymous / landed on %s, want /login?next=/", got)
	}
	wantText(t, "login heading", b.text("h1"), "Sign in to Rapport")
	if n := b.count(`[data-testid="current-user"]`); n != 0 {
		t.Errorf("sign-in page shows %d current-user elements, want none", n)
	}
	b.screenshot("01-sign-in")

	// Sign in.
	b.do("type credentials",
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password))
	b.navigate("sign in", chromedp.Click(chromedp.CSS(`.login button[type="submit"]`)))
	if got := b.url().Path; got != "/" {
		t.Fatalf("after sign-in at %s, want the dashboard /", got)
	}
	wantText(t, "dashboard heading", b.text("h1"), "Dashboard")
	wantText(t, "current user", b.text(`[data-testid="current-user"]`), userName)
	wantText(t, "contact count", b.text(`[data-testid="count-contacts"]`), "0")
	b.screenshot("02-dashboard")

	// Contacts, then New contact.
	b.navigate("open contacts", chromedp.Click(chromedp.CSS(`header nav a[href="/contacts"]`)))
	if got := b.url().Path; got != "/contacts" {
		t.Fatalf("contacts link led to %s, want /contacts", got)
	}
	wantText(t, "contacts total", b.text(`[data-testid="total"]`), "0 contacts")
	b.navigate("open new contact", chromedp.Click(chromedp.CSS(`[data-testid="new-contact"]`)))
	if got := b.url().Path; got != "/contacts/new" {
		t.Fatalf("new contact button led to %s, want /contacts/new", got)
	}
	wantText(t, "form heading", b.text("h1"), "New contact")

	// Fill in the form as a person would: type into fields, pick from selects.
	b.do("fill in contact form",
		chromedp.SendKeys(chromedp.CSS("#f-first_name"), "Jürgen"),
		chromedp.SendKeys(chromedp.CSS("#f-last_name"), "Müller-Lüdenscheidt"),
		chromedp.SetValue(chromedp.CSS("#channel-platform-0"), "x"),
		chromedp.SendKeys(chromedp.CSS("#channel-handle-0"), "@JMueller_SZ"),
		chromedp.SendKeys(chromedp.CSS("#channel-followers-0"), "12500"),
		chromedp.SendKeys(chromedp.CSS("#outlet-0"), "Süddeutsche Zeitung"),
		chromedp.SendKeys(chromedp.CSS("#outlet-role-0"), "Redakteur"))
	for sel, want := range map[string]string{
		"#f-first_name": "Jürgen", "#f-last_name": "Müller-Lüdenscheidt", "#channel-platform-0": "x",
		"#channel-handle-0": "@JMueller_SZ", "#channel-followers-0": "12500",
		"#outlet-0": "Süddeutsche Zeitung", "#outlet-role-0": "Redakteur",
	} {
		wantText(t, "typed value of "+sel, run(b, "read "+sel, chromedp.Value(chromedp.CSS(sel))), want)
	}
	b.screenshot("03-new-contact-form")
	b.navigate("save contact", chromedp.Click(chromedp.CSS(`[data-testid="save-contact"]`)))

	// The contact page shows what was typed, umlauts intact.
	m := contactPath.FindStringSubmatch(b.url().Path)
	if m == nil {
		t.Fatalf("after saving at %s, want /contacts/N (form errors: %q)", b.location(), b.texts(".err, .row-err, .error-box"))
	}
	id, _ := strconv.Atoi(m[1])
	contactURL := m[0]
	wantText(t, "flash", b.text(`[data-testid="flash"]`), "Contact created.")
	wantText(t, "contact name", b.text(`[data-testid="contact-name"]`), "Jürgen Müller-Lüdenscheidt")
	wantContains(t, "channels", b.text(`[data-testid="channels"]`), "X", "jmueller_sz", "12,500")
	wantContains(t, "outlets", b.text(`[data-testid="outlets"]`), "Süddeutsche Zeitung", "Redakteur")
	wantText(t, "reach", b.text(`[data-testid="reach"]`), "12,500")
	if n := b.count(`[data-testid="timeline-empty"]`); n != 1 {
		t.Errorf("new contact: %d empty-timeline notes, want 1", n)
	}
	b.screenshot("04-contact-created")

	// Log a call.
	b.do("fill in interaction form",
		chromedp.SetValue(chromedp.CSS("#f-type"), "call"),
		chromedp.SendKeys(chromedp.CSS("#f-subject"), "Anruf: Messe-Einladung"),
		chromedp.SendKeys(chromedp.CSS("#f-body"), "Kommt gern vorbei – Grüße aus München"))
	b.navigate("log interaction",
		chromedp.Click(chromedp.CSS(`[data-testid="log-interaction"] button[type="submit"]`)))
	if got := b.url(); got.Path != contactURL || got.Fragment != "timeline-head" {
		t.Errorf("after logging at %s, want %s#timeline-head", got, contactURL)
	}
	wantText(t, "flash", b.text(`[data-testid="flash"]`), "Interaction logged.")
	if n := b.count(`[data-testid="timeline-entry"]`); n != 1 {
		t.Fatalf("timeline has %d entries, want 1", n)
	}
	entry := b.text(`[data-testid="timeline-entry"]`)
	wantContains(t, "timeline entry", entry, "Call", "Outbound", "by "+userName,
		"Anruf: Messe-Einladung", "Kommt gern vorbei – Grüße aus München")
	wantText(t, "entry subject", b.text(`[data-testid="timeline-entry"] > div[dir="auto"] > strong`), "Anruf: Messe-Einladung")
	wantText(t, "entry notes", b.text(`[data-testid="timeline-entry"] .body`), "Kommt gern vorbei – Grüße aus München")
	b.screenshot("05-interaction-logged")

	// The list has the contact, linked to its page.
	b.navigate("open contacts again", chromedp.Click(chromedp.CSS(`header nav a[href="/contacts"]`)))
	wantText(t, "contacts total", b.text(`[data-testid="total"]`), "1 contact")
	rows := b.texts(`[data-testid="contact-row"]`)
	if len(rows) != 1 {
		t.Fatalf("contact list has %d rows, want 1: %q", len(rows), rows)
	}
	wantContains(t, "contact row", rows[0], "Jürgen Müller-Lüdenscheidt", "Süddeutsche Zeitung", "12,500")
	if n := b.count(`[data-testid="contact-row"] a[href="` + contactURL + `"]`); n != 1 {
		t.Errorf("contact row has %d links to %s, want 1", n, contactURL)
	}
	b.screenshot("06-contacts")

	// "Load older interactions": 30 more in the past make 31, of which the
	// page shows 20; htmx swaps in the other 11 without leaving the page.
	for i := range 30 {
		err := db.WithTx(t.Context(), a.db.Client, func(ctx context.Context, tx *ent.Tx) error {
			it, err := tx.Interaction.Create().
				SetType(interaction.TypeEmail).SetDirection(interaction.DirectionInbound).
				SetOccurredAt(time.Now().Add(-time.Duration(i+1) * 24 * time.Hour)).
				SetSubject(fmt.Sprintf("Älteres Update %02d", i+1)).
				SetAuthorID(u.ID).Save(ctx)
			if err != nil {
				return err
			}
			return tx.Participation.CreateBulk(crm.Participations(tx.Participation, it, id)...).Exec(ctx)
		})
		if err != nil {
			t.Fatalf("insert interaction %d: %v", i+1, err)
		}
	}
	b.open(contactURL)
	if n := b.count(`[data-testid="timeline-entry"]`); n != 20 {
		t.Fatalf("timeline shows %d entries, want the first page of 20", n)
	}
	wantContains(t, "newest entry", b.text(`[data-testid="timeline-entry"]`), "Call", "Anruf: Messe-Einladung")
	before := b.url().String()
	// A marker that a page load would wipe: proves the swap was no navigation.
	eval[bool](b, "set marker", `(window.__e2eNoReload = true)`)
	b.do("click load more", chromedp.Click(chromedp.CSS(`[data-testid="load-more"]`)))
	b.waitUntil("31 timeline entries are shown",
		`document.querySelectorAll('[data-testid="timeline-entry"]').length === 31`)
	b.checkConsole("load more")
	if after := b.url().String(); after != before {
		t.Errorf("load more changed the URL from %s to %s, want an in-page htmx swap", before, after)
	}
	if !eval[bool](b, "read marker", `window.__e2eNoReload === true`) {
		t.Error("load more reloaded the page, want an in-page htmx swap")
	}
	if n := b.count(`[data-testid="load-more"]`); n != 0 {
		t.Errorf("%d load-more links after the last page, want none", n)
	}
	entries := b.texts(`[data-testid="timeline-entry"]`)
	wantContains(t, "entry 21", entries[20], "E-mail", "Älteres Update 20")
	wantContains(t, "last entry", entries[30], "Älteres Update 30")
	if n := b.count(`#timeline > [data-testid="timeline-entry"]`); n != 31 {
		t.Errorf("%d entries are direct children of the timeline list, want 31 (swapped into the right place)", n)
	}
	b.screenshot("07-timeline-loaded")
}

// TestContactListFilters narrows the contact list with its filter form, as a
// person would: pick a kind, apply, see only the matching people.
func TestContactListFilters(t *testing.T) {
	exe := browserPath(t)
	a := startApp(t)
	a.user(t, email, userName, crm.RoleStaff, password)
	for _, in := range []crm.ContactInput{
		{Kind: "journalist", FirstName: "Jürgen", LastName: "Müller-Lüdenscheidt"},
		{Kind: "blogger", FirstName: "Zoë", LastName: "Weiß"},
	} {
		if _, err := crm.CreateContact(t.Context(), a.db.Client, in); err != nil {
			t.Fatalf("create contact %s %s: %v", in.FirstName, in.LastName, err)
		}
	}
	b := newBrowser(t, exe, a.url)
	b.signIn(email, password)

	b.open("/contacts")
	wantText(t, "contacts total", b.text(`[data-testid="total"]`), "2 contacts")
	for _, line := range strings.Split(b.text("main"), "\n") {
		if strings.Contains(line, "@components.") {
			t.Errorf("the contact list shows templ source as text instead of rendering it: %q", line)
		}
	}
	for _, name := range []string{"kind", "region", "topic", "tag", "owner", "stage", "sort"} {
		if n := b.count(`[data-testid="filters"] select[name="` + name + `"]`); n != 1 {
			t.Errorf("filter form has %d selects named %q, want 1", n, name)
		}
	}
	if t.Failed() {
		t.FailNow() // nothing to filter with; the failure screenshot shows the page
	}

	const kind = `[data-testid="filters"] select[name="kind"]`
	b.do("pick kind Blogger", chromedp.SetValue(chromedp.CSS(kind), "blogger"))
	b.navigate("apply filters", chromedp.Click(chromedp.CSS(`[data-testid="filters"] button[type="submit"]`)))
	if got := b.url(); got.Path != "/contacts" || got.Query().Get("kind") != "blogger" {
		t.Errorf("applying the filter led to %s, want /contacts?kind=blogger", got)
	}
	wantText(t, "kind filter after apply", run(b, "read kind filter", chromedp.Value(chromedp.CSS(kind))), "blogger")
	rows := b.texts(`[data-testid="contact-row"]`)
	if len(rows) != 1 {
		t.Fatalf("filtered list has %d rows, want 1: %q", len(rows), rows)
	}
	wantContains(t, "filtered row", rows[0], "Zoë Weiß", "Blogger")
	b.screenshot("contacts-filtered")
}
