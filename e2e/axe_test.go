package e2e

import (
	_ "embed"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// axeSource is axe-core (npm package axe-core 4.11.1, MPL-2.0: its licence
// header is the file's first lines and testdata/axe/LICENSE), vendored so the
// browser tests need no network. To update: `npm pack axe-core@VERSION`, copy
// package/axe.min.js and package/LICENSE here.
//
//go:embed testdata/axe/axe.min.js
var axeSource string

// axeRunJS runs axe on the page for WCAG 2.1 A and AA and returns the
// serious and critical violations, one line each.
const axeRunJS = `axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
	.then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
		.map(v => v.impact + ' ' + v.id + ': ' + v.help + ' — ' + v.nodes.slice(0, 3).map(n => n.target.join(' ') + (n.failureSummary ? ' (' + n.failureSummary.split('\n').slice(1, 2).join('').trim() + ')' : '')).join('; ')))`

// axe injects axe-core into the page (DevTools evaluation is exempt from the
// page's CSP) and fails the test for every serious or critical violation.
func (b *browser) axe(path string) {
	b.t.Helper()
	if !eval[bool](b, "axe present", `typeof window.axe === 'object'`) {
		run(b, "inject axe", chromedp.Evaluate[bool](axeSource+";true"))
	}
	found := run(b, "axe "+path, chromedp.Evaluate[[]string](axeRunJS,
		func(p *runtime.EvaluateParams) { p.AwaitPromise = new(true) }))
	for _, v := range found {
		b.t.Errorf("axe on %s: %s", path, v)
	}
}

// newBrowserFor is newBrowser with a longer bound on the whole test's use of
// the browser, for tests that visit every page.
func newBrowserFor(t *testing.T, path, base string, timeout time.Duration) *browser {
	t.Helper()
	return newBrowserWithin(t, path, base, timeout)
}

// demoIDs are ids of the demo's records, by the first path segment of the
// routes that take them; the contact is the one with the most recent
// interaction, so its page has a timeline.
func demoIDs(t *testing.T, a *app) map[string]string {
	t.Helper()
	ids := map[string]string{}
	queries := map[string]string{
		"contacts":     `SELECT p.contact_id FROM participations p JOIN interactions i ON i.id = p.interaction_id ORDER BY i.occurred_at DESC, i.id DESC LIMIT 1`,
		"outlets":      `SELECT id FROM outlets ORDER BY id LIMIT 1`,
		"users":        `SELECT id FROM users ORDER BY id LIMIT 1`,
		"exports":      `SELECT id FROM export_logs ORDER BY id LIMIT 1`,
		"imports":      `SELECT id FROM import_jobs ORDER BY id LIMIT 1`,
		"bulk":         `SELECT id FROM bulk_actions ORDER BY id LIMIT 1`,
		"interactions": `SELECT id FROM interactions ORDER BY id LIMIT 1`,
		"campaigns":    `SELECT id FROM campaigns ORDER BY id LIMIT 1`,
		"privacy":      `SELECT id FROM privacy_requests ORDER BY id LIMIT 1`,
		"webhooks":     `SELECT id FROM webhooks ORDER BY id LIMIT 1`,
	}
	for key, q := range queries {
		rows, err := a.db.Client.QueryContext(t.Context(), q)
		if err != nil {
			t.Logf("ids of %s: %v (its pages are skipped)", key, err)
			continue
		}
		if rows.Next() {
			var id int
			if err := rows.Scan(&id); err != nil {
				t.Fatalf("ids of %s: %v", key, err)
			}
			ids[key] = fmt.Sprint(id)
		}
		rows.Close()
	}
	t.Logf("demo ids: %v", ids)
	return ids
}

// fillIDs puts the demo's ids into path; false when it has none for it.
func fillIDs(path string, ids map[string]string) (string, bool) {
	if !strings.Contains(path, ":") {
		return path, true
	}
	seg := strings.Split(strings.TrimPrefix(path, "/"), "/")
	key := seg[0]
	id, ok := ids[key]
	if !ok {
		return "", false
	}
	return strings.Replace(path, ":id", id, 1), !strings.Contains(strings.Replace(path, ":id", id, 1), ":")
}
