package e2e

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
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

// xssCorpus is what a hostile or careless user types into free-text fields.
// Every payload that could run sets window.__xss to its own marker, so a
// failure names the payload that fired. All are lower case on purpose:
// channel handles are stored lower-cased, and the test wants the very same
// text back on every page.
var xssCorpus = []struct{ name, text string }{
	{"script", `<script>window.__xss=1</script>`},
	{"img-onerror", `"><img src=x onerror="window.__xss=2">`},
	{"svg-onload", `'><svg onload="window.__xss=3">`},
	{"javascript-url", `javascript:window.__xss=4`},
	{"iframe", `<iframe src="javascript:window.__xss=5">`},
	{"attribute-breakout", `" autofocus onfocus="window.__xss=6`},
	{"javascript-link", `<a href="javascript:window.__xss=7">x</a>`},
	{"textarea-breakout", `</textarea><script>window.__xss=8</script>`},
	{"template-braces", `{{7*7}}`},
	{"template-dollar", `${7*7}`},
	{"style", `<style>body{display:none}</style>`},
	{"htmx-attributes", `<div hx-get="/logout" hx-trigger="load">x</div>`},
	{"title-breakout", `</title><script>window.__xss=9</script>`},
	{"unquoted-onerror", `<img src=x onerror=window.__xss=10>`},
}

const (
	xssEmail = "ada.admin@example.com"
	// xssUserName is the signed-in user's own name: it appears in the
	// navigation of every page, as the author of interactions and in the audit.
	xssUserName = `Ada "><img src=x onerror="window.__xss=0"> Admin`
)

// TestXSSCorpus enters every payload of the corpus through the real forms into
// every free-text field of a contact, an outlet and an interaction, and then
// opens every page that shows them — forms re-rendered after a validation
// error (422) or a conflict (409) included. On each page no script may have
// run, no payload may have become an element or attribute, and the payload
// must be visible as text, so the test cannot pass by the data not being shown.
func TestXSSCorpus(t *testing.T) {
	exe := browserPath(t)
	a := startApp(t)
	u := a.user(t, xssEmail, xssUserName, crm.RoleAdmin, password)
	for i, p := range xssCorpus {
		t.Run(p.name, func(t *testing.T) {
			xssRoundTrip(t, exe, a, u.ID, i, p.text)
		})
	}
}

var outletPath = regexp.MustCompile(`^/outlets/([0-9]+)$`)

// xssRoundTrip runs the whole round for one payload P, in a browser of its own
// (each browser has a time budget, and one round takes a few seconds).
func xssRoundTrip(t *testing.T, exe string, a *app, userID, n int, P string) {
	b := newBrowser(t, exe, a.url)
	b.signIn(xssEmail, password)
	b.assertInert("dashboard before", P, inert{noPayload: true})

	// The outlet form: the website refuses anything but http(s), and the
	// re-rendered form must show what was typed without running it.
	b.open("/outlets/new")
	b.do("fill in outlet form", setValues(map[string]string{
		"#f-name": P, "#f-type": "blog", "#f-website": P, "#f-region": P,
		"#f-audience": "1200", "#f-description": P,
	})...)
	b.submit("save outlet with the payload as website", http.StatusUnprocessableEntity,
		chromedp.Click(chromedp.CSS(`[data-testid="save-outlet"]`)))
	b.assertInert("outlet form refused (422)", P, inert{
		min:    4,
		shows:  map[string]string{`[data-testid="error-website"]`: "https://"},
		values: map[string]string{"#f-name": P, "#f-website": P, "#f-region": P, "#f-description": P},
	})
	website := "https://example.com/" + P
	b.do("enter a valid website", chromedp.SetValue(chromedp.CSS("#f-website"), website))
	b.navigate("save outlet", chromedp.Click(chromedp.CSS(`[data-testid="save-outlet"]`)))
	m := outletPath.FindStringSubmatch(b.url().Path)
	if m == nil {
		t.Fatalf("after saving the outlet at %s, want /outlets/N (errors: %q)", b.location(), b.texts(".err, .error-box"))
	}
	outletURL := m[0]
	b.assertInert("outlet page", P, inert{
		min:   4, // name, region, website, about
		exact: map[string]string{`[data-testid="outlet-name"]`: P},
		shows: map[string]string{`main a[href^="https://example.com/"]`: P},
	})

	// The contact form, every free-text field. E-mail, phone and country
	// refuse the payload: the 422 page must be as safe as any other.
	contactFields := map[string]string{
		"#f-first_name": P, "#f-last_name": P, "#f-title": P, "#f-city": P, "#f-region": P,
		"#f-languages": P, "#f-bio": P, "#f-topics": P, "#f-tags": P, "#f-consent_source": P,
		"#channel-handle-0": P, "#channel-handle-1": P, "#outlet-0": P, "#outlet-role-0": P,
	}
	refused := map[string]string{"#f-country": P, `input[name="email"]`: P, `input[name="phone"]`: P}
	b.open("/contacts/new")
	b.do("fill in contact form", setValues(merge(contactFields, refused, map[string]string{
		"#channel-platform-0": "blog", "#channel-platform-1": "newsletter",
	}))...)
	b.submit("save contact with payloads in e-mail, phone and country", http.StatusUnprocessableEntity,
		chromedp.Click(chromedp.CSS(`[data-testid="save-contact"]`)))
	b.assertInert("contact form refused (422)", P, inert{
		min: len(contactFields) + len(refused) + 1, // + the e-mail error quotes the address
		shows: map[string]string{
			`[data-testid="error-emails.0"]`: P,
			`[data-testid="error-phones.0"]`: "digits",
			`[data-testid="error-country"]`:  "two-letter",
		},
		values: merge(contactFields, refused),
	})
	validEmail := fmt.Sprintf("o'reilly.xss%d@example.com", n)
	b.do("correct e-mail, phone and country", setValues(map[string]string{
		"#f-country": "de", `input[name="email"]`: validEmail, `input[name="phone"]`: "+49 (89) 123-4567",
	})...)
	b.navigate("save contact", chromedp.Click(chromedp.CSS(`[data-testid="save-contact"]`)))
	m = contactPath.FindStringSubmatch(b.url().Path)
	if m == nil {
		t.Fatalf("after saving at %s, want /contacts/N (form errors: %q)", b.location(), b.texts(".err, .row-err, .error-box"))
	}
	contactID, _ := strconv.Atoi(m[1])
	contactURL := m[0]
	contactPage := inert{
		// name ×2, title, city, region, languages, 2 channels, outlet and role,
		// topic, tag, consent source, bio
		min: 14,
		exact: map[string]string{
			`[data-testid="contact-name"]`: P + " " + P,
			`[data-testid="flash"]`:        "Contact created.",
		},
		shows: map[string]string{
			`[data-testid="channels"] a[href^="https://"]`: P, `[data-testid="outlets"]`: P, `[data-testid="topics"]`: P,
			`[data-testid="tags"]`: "#" + P, `[data-testid="consent"]`: P, `[data-testid="emails"]`: validEmail,
		},
		title: P + " " + P,
	}
	b.assertInert("contact page", P, contactPage)

	// The channel is someone else's now: the error names handle and person.
	b.open("/contacts/new")
	b.do("fill in a second contact with the same blog", setValues(map[string]string{
		"#f-last_name": "Zweitkontakt", "#channel-platform-0": "blog", "#channel-handle-0": P,
	})...)
	b.submit("save a second contact with the same blog", http.StatusUnprocessableEntity,
		chromedp.Click(chromedp.CSS(`[data-testid="save-contact"]`)))
	b.assertInert("contact form, channel taken (422)", P, inert{
		min:    4, // the handle in its field, the error: handle and name ×2
		shows:  map[string]string{`[data-testid="error-channels.0"]`: P + " on blog belongs to " + P + " " + P},
		values: map[string]string{"#channel-handle-0": P},
	})

	// The interaction form: a date in the future is refused with 422.
	b.open(contactURL)
	b.do("fill in interaction form", setValues(map[string]string{
		"#f-type": "email", "#f-occurred_at": "2099-01-01T10:00", "#f-subject": P, "#f-body": P,
	})...)
	b.submit("log interaction in the future", http.StatusUnprocessableEntity,
		chromedp.Click(chromedp.CSS(`[data-testid="log-interaction"] button[type="submit"]`)))
	b.assertInert("interaction form refused (422)", P, inert{
		min:    contactPage.min + 2,
		shows:  map[string]string{`[data-testid="error-occurred_at"]`: "future"},
		values: map[string]string{"#f-subject": P, "#f-body": P},
		title:  P + " " + P,
	})
	b.do("enter a past date", chromedp.SetValue(chromedp.CSS("#f-occurred_at"),
		time.Now().Add(-time.Hour).Format("2006-01-02T15:04")))
	b.navigate("log interaction", chromedp.Click(chromedp.CSS(`[data-testid="log-interaction"] button[type="submit"]`)))
	b.assertInert("contact page with interaction", P, inert{
		min:    contactPage.min + 2,
		exact:  map[string]string{`[data-testid="flash"]`: "Interaction logged."},
		shows:  map[string]string{`[data-testid="timeline-entry"]`: P, `[data-testid="timeline"]`: "by " + xssUserName},
		values: map[string]string{"#f-subject": "", "#f-body": ""},
	})

	// The edit form gets every value back exactly; a second person's save
	// in between gives 409 with the input kept; saving again overwrites.
	b.open(contactURL + "/edit")
	edited := merge(contactFields, map[string]string{"#f-country": "DE", `input[name="email"]`: validEmail})
	b.assertInert("contact edit form", P, inert{
		min:    len(contactFields) + 2, // + the name in the heading
		values: edited,
		title:  P + " " + P,
	})
	if !eval[bool](b, "read outlet suggestions", `Array.from(document.querySelectorAll('#known-outlets option'), o => o.value).includes(`+jsString(P)+`)`) {
		t.Errorf("contact edit form: the outlet suggestions lack %q", P)
	}
	b.do("edit contact", setValues(map[string]string{
		"#f-city": "München", "#channel-platform-2": "podcast", "#channel-handle-2": P,
	})...)
	err := db.WithTx(t.Context(), a.db.Client, func(ctx context.Context, tx *ent.Tx) error {
		return tx.Contact.UpdateOneID(contactID).AddVersion(1).Exec(ctx)
	})
	if err != nil {
		t.Fatalf("save the contact as someone else: %v", err)
	}
	b.submit("save stale edit", http.StatusConflict, chromedp.Click(chromedp.CSS(`[data-testid="save-contact"]`)))
	edited["#f-city"], edited["#channel-handle-2"] = "München", P
	b.assertInert("contact form, conflict (409)", P, inert{
		min:    len(contactFields) + 2,
		shows:  map[string]string{`[data-testid="form-error"]`: "Someone else saved"},
		values: edited,
	})
	b.navigate("save again", chromedp.Click(chromedp.CSS(`[data-testid="save-contact"]`)))
	if got := b.url().Path; got != contactURL {
		t.Fatalf("after saving again at %s, want %s (form errors: %q)", got, contactURL, b.texts(".err, .row-err, .error-box"))
	}
	contactPage.exact[`[data-testid="flash"]`] = "Contact saved."
	contactPage.min += 2 // podcast channel and interaction, city no more
	b.assertInert("contact page after edit", P, contactPage)

	// Older interactions, so that the timeline pages with htmx: the swapped-in
	// fragment must be as inert as the page (htmx processes what it swaps in).
	for i := range 20 {
		err := db.WithTx(t.Context(), a.db.Client, func(ctx context.Context, tx *ent.Tx) error {
			it, err := tx.Interaction.Create().
				SetType(interaction.TypeNote).SetDirection(interaction.DirectionInbound).
				SetOccurredAt(time.Now().Add(-time.Duration(i+1) * 24 * time.Hour)).
				SetSubject(P).SetBody(P).SetAuthorID(userID).Save(ctx)
			if err != nil {
				return err
			}
			return tx.Participation.CreateBulk(crm.Participations(tx.Participation, it, contactID)...).Exec(ctx)
		})
		if err != nil {
			t.Fatalf("insert interaction %d: %v", i+1, err)
		}
	}
	b.open(contactURL)
	if n := b.count(`[data-testid="timeline-entry"]`); n != 20 {
		t.Fatalf("timeline shows %d entries, want the first page of 20", n)
	}
	b.do("click load more", chromedp.Click(chromedp.CSS(`[data-testid="load-more"]`)))
	b.waitUntil("21 timeline entries are shown",
		`document.querySelectorAll('[data-testid="timeline-entry"]').length === 21`)
	b.checkConsole("load more")
	b.assertInert("timeline after load more", P, inert{min: 21 * 2})
	if last := b.texts(`[data-testid="timeline-entry"]`)[20]; !strings.Contains(last, P) {
		t.Errorf("the swapped-in timeline entry = %q, want it to contain %q", last, P)
	}

	// The topic chip links to the filtered list; the filter shows the topic.
	b.navigate("open topic", chromedp.Click(chromedp.CSS(`[data-testid="topics"] a`)))
	if got := b.url(); got.Path != "/contacts" || got.Query().Get("topic") != P {
		t.Errorf("the topic chip led to %s, want /contacts?topic=%s", got, url.QueryEscape(P))
	}
	b.assertInert("contacts filtered by topic", P, inert{
		min:    1,
		values: map[string]string{`[data-testid="filters"] select[name="topic"]`: P},
		shows:  map[string]string{`[data-testid="contact-row"] a[href="` + contactURL + `"]`: P + " " + P},
	})

	b.open("/contacts")
	b.assertInert("contact list", P, inert{
		min: 1,
		shows: map[string]string{
			`[data-testid="contacts"]`:                                 P,
			`[data-testid="filters"] select[name="region"]`:            P,
			`[data-testid="filters"] select[name="topic"]`:             P,
			`[data-testid="filters"] select[name="tag"]`:               P,
			`[data-testid="contact-row"] a[href="` + contactURL + `"]`: P + " " + P,
		},
	})
	b.open("/contacts?" + url.Values{"q": {P}}.Encode())
	b.assertInert("contact list searched for the payload", P, inert{
		min:    1,
		values: map[string]string{`[data-testid="filters"] input[name="q"]`: P},
	})
	if b.count(`[data-testid="contact-row"] a[href="`+contactURL+`"]`) != 1 {
		t.Logf("note: searching the contact list for %q does not find the contact named so", P)
	}

	b.open("/outlets")
	b.assertInert("outlet list", P, inert{
		min:   2, // name, region
		shows: map[string]string{`[data-testid="outlets"] a[href="` + outletURL + `"]`: P},
	})
	b.open("/outlets?" + url.Values{"q": {P}}.Encode())
	b.assertInert("outlet list searched for the payload", P, inert{
		min:    1,
		values: map[string]string{`main input[name="q"]`: P},
	})
	b.open(outletURL)
	b.assertInert("outlet page with its people", P, inert{
		min:   6, // name, region, website, about, person's name ×2, role
		exact: map[string]string{`[data-testid="outlet-name"]`: P},
		shows: map[string]string{`[data-testid="outlet-people"]`: P + " " + P},
		title: P,
	})
	b.open(outletURL + "/edit")
	b.assertInert("outlet edit form", P, inert{
		min:    4,
		values: map[string]string{"#f-name": P, "#f-website": website, "#f-region": P, "#f-description": P},
		title:  P,
	})

	b.open(contactURL + "/history")
	b.assertInert("contact history", P, inert{
		min:   2,
		shows: map[string]string{`h1`: P + " " + P, `[data-testid="audit"]`: P},
	})
	b.open("/audit")
	b.assertInert("audit trail", P, inert{
		min:   2,
		shows: map[string]string{`[data-testid="audit"]`: P},
	})
	// The start page's team figures are served stale-while-revalidate: a
	// view after the writes starts their refresh; reopen until it shows.
	b.open("/")
	b.waitFor("the start page shows the payload's interaction", func() bool {
		if strings.Contains(strings.Join(b.texts(`[data-testid="recent"]`), " "), P) {
			return true
		}
		b.open("/")
		return false
	})
	b.assertInert("dashboard", P, inert{
		min:   3, // contact name ×2, subject
		shows: map[string]string{`[data-testid="recent"]`: P},
	})

	// An error page for a path made of the payload.
	res := run(b, "open a path made of the payload", chromedp.NavigateResponse(a.url+"/contacts/"+url.PathEscape(P)))
	if res.Status >= 500 || res.Status < 400 {
		t.Errorf("/contacts/%s answered %d, want a 4xx error page", url.PathEscape(P), res.Status)
	}
	b.expectFailedLoad(int(res.Status))
	b.checkConsole("error page")
	b.assertInert("error page", P, inert{noPayload: true})
	if n == 0 {
		b.screenshot("xss-error-page")
	}
}

// inert is what a page must show besides being safe.
type inert struct {
	// min is the least number of times the payload appears in main, as text
	// or as the value of a field.
	min int
	// noPayload: the page need not show the payload.
	noPayload bool
	// exact maps CSS selectors to the trimmed text their first match must have.
	exact map[string]string
	// shows maps CSS selectors to a text that one of the matches must contain.
	shows map[string]string
	// values maps CSS selectors of form fields to their exact values.
	values map[string]string
	// title is a text the document title must contain.
	title string
}

// scanJS inspects the page. It returns the marker of a payload that ran, the
// elements and attributes a payload would have created, and the texts and
// values the test asks for.
const scanJS = `(function (payload, exact, shows, values) {
	const out = {xss: null, found: [], hidden: false, count: 0, title: document.title, user: null,
		exact: {}, shows: {}, values: {}};
	if (typeof window.__xss !== 'undefined') out.xss = String(window.__xss);
	const found = new Set();
	const desc = el => el.outerHTML.slice(0, 240);
	// Elements the payloads would create; the app itself has none of them
	// (its only script is htmx, loaded with src; its htmx triggers are user
	// input, never load).
	const bad = 'img[src="x"], svg[onload], math, iframe, frame, object, embed, script:not([src]), style, base, ' +
		'[onerror], [onload], [onfocus], [hx-trigger*="load" i], [hx-get="/logout"], a[href^="javascript:" i]';
	// Attributes that carry user text as data; a payload marker anywhere
	// else (src, style, hx-…) is markup made from user input.
	const data = n => ['value', 'title', 'alt', 'placeholder', 'content', 'label'].includes(n) ||
		n.startsWith('aria-') || n.startsWith('data-');
	for (const el of document.querySelectorAll(bad)) found.add('element ' + desc(el));
	for (const el of document.querySelectorAll('*')) {
		for (const a of el.attributes) {
			const n = a.name.toLowerCase(), v = a.value;
			if (n.startsWith('on')) found.add('event handler attribute ' + n + ' on ' + desc(el));
			else if (data(n)) continue;
			else if (/^[\s\u0000-\u001f]*(javascript|vbscript):/i.test(v)) found.add('script URL in attribute ' + n + ' of ' + desc(el));
			else if (v.includes('__xss') && !(n === 'href' && /^(https?:\/\/|\/)/i.test(v))) found.add('payload in attribute ' + n + ' of ' + desc(el));
		}
	}
	out.found = Array.from(found);
	out.hidden = getComputedStyle(document.body).display === 'none';
	const main = document.querySelector('main');
	if (main && payload) {
		const fields = Array.from(main.querySelectorAll('input'), i => i.value).join('\n');
		out.count = (main.textContent + '\n' + fields).split(payload).length - 1;
	}
	const me = document.querySelector('[data-testid="current-user"]');
	if (me) out.user = me.textContent.trim();
	for (const sel of exact) {
		const el = document.querySelector(sel);
		out.exact[sel] = el ? el.textContent.trim() : null;
	}
	for (const sel of shows) {
		const els = document.querySelectorAll(sel);
		out.shows[sel] = els.length ? Array.from(els, e => e.textContent).join('\n') : null;
	}
	for (const sel of values) {
		const el = document.querySelector(sel);
		out.values[sel] = el ? el.value : null;
	}
	return out;
})`

type scanResult struct {
	XSS    *string            `json:"xss"`
	Found  []string           `json:"found"`
	Hidden bool               `json:"hidden"`
	Count  int                `json:"count"`
	Title  string             `json:"title"`
	User   *string            `json:"user"`
	Exact  map[string]*string `json:"exact"`
	Shows  map[string]*string `json:"shows"`
	Values map[string]*string `json:"values"`
}

// assertInert checks the page in the tab: no payload ran (window.__xss is
// unset), none became an element or attribute, the page is not hidden, the
// signed-in user's name shows literally, and the payload is shown as want says.
func (b *browser) assertInert(step, payload string, want inert) {
	b.t.Helper()
	// Let what a payload could start (a failed image load, autofocus,
	// htmx's load trigger) happen before looking.
	b.settle(step)
	p := payload
	if want.noPayload {
		p = ""
	}
	expr := scanJS + "(" + jsString(p) + ", " + jsList(keys(want.exact)) + ", " +
		jsList(keys(want.shows)) + ", " + jsList(keys(want.values)) + ")"
	r := eval[scanResult](b, step+": scan the page", expr)
	t := b.t
	if r.XSS != nil {
		t.Errorf("%s: a payload ran: window.__xss = %s (the corpus marker of the payload; 0 is the user's name)", step, *r.XSS)
	}
	for _, f := range r.Found {
		t.Errorf("%s: a payload became markup: %s", step, f)
	}
	if r.Hidden {
		t.Errorf("%s: the page body is hidden (display: none)", step)
	}
	if r.User == nil || *r.User != xssUserName {
		t.Errorf("%s: current user = %v, want %q shown literally", step, deref(r.User), xssUserName)
	}
	if !want.noPayload && r.Count < max(want.min, 1) {
		t.Errorf("%s: the payload %q appears %d times in the page (text and field values), want at least %d",
			step, payload, r.Count, max(want.min, 1))
	}
	if want.title != "" && !strings.Contains(r.Title, want.title) {
		t.Errorf("%s: document title = %q, want it to contain %q", step, r.Title, want.title)
	}
	for _, sel := range keys(want.exact) {
		if got := r.Exact[sel]; got == nil || *got != want.exact[sel] {
			t.Errorf("%s: text of %s = %v, want %q", step, sel, deref(got), want.exact[sel])
		}
	}
	for _, sel := range keys(want.shows) {
		if got := r.Shows[sel]; got == nil || !strings.Contains(*got, want.shows[sel]) {
			t.Errorf("%s: text of %s = %v, want it to contain %q", step, sel, deref(got), want.shows[sel])
		}
	}
	for _, sel := range keys(want.values) {
		if got := r.Values[sel]; got == nil || *got != want.values[sel] {
			t.Errorf("%s: value of %s = %v, want %q", step, sel, deref(got), want.values[sel])
		}
	}
	b.checkConsole(step)
}

// submit runs actions that post a form, waits for the answer and fails the
// test unless it has status want (navigate is this for 200).
func (b *browser) submit(step string, want int, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.stepCtx()
	defer cancel()
	res, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.t.Fatalf("%s: %v (page: %s)", step, err, b.location())
	}
	if res.Status != int64(want) {
		b.t.Fatalf("%s: status %d at %s, want %d (errors shown: %q)", step, res.Status, res.URL, want,
			b.texts(".err, .row-err, .error-box"))
	}
	if csp, _ := res.Headers["Content-Security-Policy"].(string); cspProblems(csp) != nil {
		b.t.Errorf("%s: Content-Security-Policy %q: %s", step, csp, strings.Join(cspProblems(csp), "; "))
	}
	b.expectFailedLoad(want)
	b.checkConsole(step)
}

// expectFailedLoad drops the browser's "failed to load resource" report of an
// error status the test asked for (it logs every 4xx page as an error); any
// other report stays for checkConsole.
func (b *browser) expectFailedLoad(status int) {
	if status < 400 {
		return
	}
	// The log entry may trail the response a little: wait for it.
	msg := fmt.Sprintf("Failed to load resource: the server responded with a status of %d ", status)
	b.waitFor("the browser reports the failed load", func() bool { return b.reportedSince(msg) > 0 })
	b.mu.Lock()
	defer b.mu.Unlock()
	kept := b.problems[:b.reported]
	for _, p := range b.problems[b.reported:] {
		if !strings.Contains(p, msg) {
			kept = append(kept, p)
		}
	}
	b.problems = kept
}

// setValues sets form fields (selects included) by CSS selector.
func setValues(fields map[string]string) []chromedp.Action[chromedp.Void] {
	var acts []chromedp.Action[chromedp.Void]
	for _, sel := range keys(fields) {
		acts = append(acts, chromedp.SetValue(chromedp.CSS(sel), fields[sel]))
	}
	return acts
}

func merge(ms ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range ms {
		for k, v := range m {
			out[k] = v
		}
	}
	return out
}

// keys returns the keys of m, sorted, so that steps and messages come in a
// stable order.
func keys(m map[string]string) []string { return slices.Sorted(maps.Keys(m)) }

func jsList(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = jsString(s)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

func deref(s *string) string {
	if s == nil {
		return "(no such element)"
	}
	return strconv.Quote(*s)
}

// cspProblems lists what makes a Content-Security-Policy too weak to stop an
// injected script: no script-src, or one that allows inline script, eval or
// any origin or scheme.
func cspProblems(policy string) []string {
	if policy == "" {
		return []string{"no Content-Security-Policy header"}
	}
	var problems []string
	var scriptSrc []string
	found := false
	for _, d := range strings.Split(policy, ";") {
		f := strings.Fields(d)
		if len(f) > 0 && strings.EqualFold(f[0], "script-src") {
			found, scriptSrc = true, f[1:]
		}
	}
	if !found {
		return []string{"no script-src directive"}
	}
	if len(scriptSrc) == 0 {
		problems = append(problems, "script-src is empty")
	}
	for _, s := range scriptSrc {
		switch strings.ToLower(s) {
		case "'unsafe-inline'", "'unsafe-hashes'", "'unsafe-eval'", "*", "data:", "http:", "https:", "blob:":
			problems = append(problems, "script-src allows "+s)
		}
	}
	return problems
}

// TestXSSContentSecurityPolicy checks the second line of defence: every kind
// of response carries a CSP whose script-src allows no inline script (with a
// fresh nonce per response), and the browser really refuses an inline script
// that finds its way into the page.
func TestXSSContentSecurityPolicy(t *testing.T) {
	exe := browserPath(t)
	a := startApp(t)

	client := &http.Client{
		Timeout:       10 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	nonces := map[string]string{}
	nonceRE := regexp.MustCompile(`'nonce-([^']+)'`)
	for _, path := range []string{"/login", "/login?again", "/", "/contacts/1", "/no-such-page", "/static/app.css"} {
		res, err := client.Get(a.url + path)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		res.Body.Close()
		csp := res.Header.Get("Content-Security-Policy")
		t.Logf("GET %s: %d, Content-Security-Policy: %s", path, res.StatusCode, csp)
		for _, p := range cspProblems(csp) {
			t.Errorf("GET %s (%d): %s", path, res.StatusCode, p)
		}
		if m := nonceRE.FindStringSubmatch(csp); m != nil {
			if other, dup := nonces[m[1]]; dup {
				t.Errorf("GET %s and GET %s share the script nonce %q, want one per response", other, path, m[1])
			}
			nonces[m[1]] = path
		}
	}

	// A positive control in the browser: an inline script and an inline
	// event handler, added to the page as an injection would add them, must
	// not run, and the browser must report the violation.
	b := newBrowser(t, exe, a.url)
	b.open("/login")
	eval[bool](b, "inject an inline script and handler", `(() => {
		const s = document.createElement('script');
		s.textContent = 'window.__xss = "inline script"';
		document.body.append(s);
		const d = document.createElement('div');
		d.setAttribute('onclick', 'window.__xss = "inline handler"');
		document.body.append(d);
		d.click();
		return true;
	})()`)
	// Both refusals (the script, the handler) are reported; later ones of
	// the same kind would be this injection's too.
	const refused = "Content Security Policy"
	b.waitFor("the browser reports both CSP violations", func() bool { return b.reportedSince(refused) >= 2 })
	if got := eval[string](b, "read window.__xss", `String(window.__xss)`); got != "undefined" {
		t.Errorf("an injected inline script ran despite the CSP: window.__xss = %s", got)
	}
	reported := b.takeProblems()
	csp := 0
	for _, p := range reported {
		if strings.Contains(p, "Content Security Policy") {
			csp++
		} else {
			t.Errorf("unexpected page error: %s", p)
		}
	}
	if csp == 0 {
		t.Errorf("the browser reported no CSP violation for the injected inline script (reported: %q)", reported)
	}
}

// takeProblems returns the errors the page reported since the last check and
// marks them as seen, for a step that expects some.
func (b *browser) takeProblems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	fresh := slices.Clone(b.problems[b.reported:])
	b.reported = len(b.problems)
	return fresh
}

// TestXSSScanner is the positive control of assertInert's scan: each payload
// of the corpus, put raw into the context where it is dangerous (as a
// template that forgot to escape would put it), is found. Without it a scan
// that finds nothing would pass every page.
func TestXSSScanner(t *testing.T) {
	exe := browserPath(t)
	a := startApp(t)
	b := newBrowser(t, exe, a.url)
	b.open("/login")
	contexts := map[string]string{
		"img-onerror":        `<input value="%s">`,
		"svg-onload":         `<input value='%s'>`,
		"javascript-url":     `<a href="%s">link</a>`,
		"attribute-breakout": `<input value="%s">`,
		"textarea-breakout":  `<textarea>%s</textarea>`,
		"template-braces":    "", // text either way: checked by the text shown
		"template-dollar":    "",
	}
	// The raw payloads make the browser refuse inline code and fail to load
	// x: expected here, however late the reports arrive.
	b.tolerate("Content Security Policy")
	b.tolerate("Failed to load resource")
	for _, p := range xssCorpus {
		ctx, ok := contexts[p.name]
		if !ok {
			ctx = `<p>%s</p>`
		}
		if ctx == "" {
			continue
		}
		html := fmt.Sprintf(ctx, p.text)
		eval[bool](b, "inject "+p.name, `(() => {
			const d = document.createElement('div');
			d.id = 'xss-probe';
			d.innerHTML = `+jsString(html)+`;
			document.body.append(d);
			return true;
		})()`)
		b.settle("inject " + p.name)
		r := eval[scanResult](b, "scan "+p.name, scanJS+`("", [], [], [])`)
		if len(r.Found) == 0 && !r.Hidden {
			t.Errorf("the scan misses the payload %s injected raw as %s", p.name, html)
		}
		eval[bool](b, "remove "+p.name, `(document.getElementById('xss-probe').remove(), true)`)
	}
	for _, p := range b.takeProblems() {
		t.Errorf("unexpected page error: %s", p)
	}
	r := eval[scanResult](b, "scan the clean page", scanJS+`("", [], [], [])`)
	if len(r.Found) > 0 || r.Hidden || r.XSS != nil {
		t.Errorf("the clean sign-in page: found %q, hidden %v, window.__xss %v", r.Found, r.Hidden, deref(r.XSS))
	}
}
