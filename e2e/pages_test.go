package e2e

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/crm/demo"
	"github.com/rapport-crm/rapport/handlers/routes"
)

// widths are the viewports every page must fit: a phone, a tablet, a laptop.
var widths = []int64{390, 768, 1280}

// demoUsers are the demo's users of each role.
var demoUsers = map[string]string{
	"staff": "leonie.schaefer@rapport.test", "manager": "katrin.vogel@rapport.test", "admin": "admin@rapport.test",
}

// crawlSkip are the GET routes that are no page: downloads, fragments,
// redirects and endpoints for machines.
func crawlSkip(path string) bool {
	for _, suffix := range []string{".csv", ".xlsx", ".json", "/download", "/progress", "/timeline", "/callback"} {
		if strings.HasSuffix(path, suffix) {
			return true
		}
	}
	for _, p := range []string{"/api/", "/static/", "/healthz", "/readyz", "/metrics", "/login", "/contacts/duplicate-check"} {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// TestEveryPageFitsAndPassesAxe signs in as each role of the demo and opens
// every GET page of the route table (ids from the demo) at 390, 768 and
// 1280 px: the page never scrolls sideways, the top bar is one row at 1280
// px, and axe-core finds no serious or critical violation. It saves
// screenshots of the start page, a contact, the list and the search at 390
// and 1280 px in a folder it prints.
func TestEveryPageFitsAndPassesAxe(t *testing.T) {
	exe := browserPath(t)
	a := startSearchApp(t)
	now := time.Now()
	if _, err := demo.Load(t.Context(), a.db.Client, demo.Options{Contacts: 150, Seed: 1, Now: now}); err != nil {
		t.Fatalf("load demo: %v", err)
	}
	ids := demoIDs(t, a)
	shots := screenshotDir(t)
	for _, role := range []string{"staff", "manager", "admin"} {
		t.Run(role, func(t *testing.T) {
			b := newBrowserFor(t, exe, a.url, 6*time.Minute)
			b.signIn(demoUsers[role], demo.Password)
			checked := 0
			for _, r := range routes.Table {
				if r.Method != http.MethodGet || !routes.Allows(role, r.Role) {
					continue
				}
				path, ok := fillIDs(r.Path, ids)
				if !ok || crawlSkip(path) {
					continue
				}
				if r.Name == routes.MergeForm {
					path += "?a=1&b=2" // the side-by-side form of two demo contacts
				}
				res := run(b, "open "+path, chromedp.NavigateResponse(b.base+path))
				if (res.Status == http.StatusNotFound || res.Status == http.StatusForbidden) && strings.Contains(r.Path, ":") {
					b.forget() // a record this role may not see: its refusal is no page error
					continue
				}
				if res.Status != http.StatusOK {
					t.Errorf("%s as %s: status %d, want 200", path, role, res.Status)
					continue
				}
				b.checkConsole("open " + path)
				checked++
				b.checkPage(path, role == "admin") // the admin sees every page; axe once per page
			}
			if checked < 20 {
				t.Errorf("checked %d pages as %s, want at least 20", checked, role)
			}
			t.Logf("%d pages checked at %v px as %s", checked, widths, role)
			if role == "staff" {
				b.saveShots(shots, ids)
				b.checkFocus()
			}
		})
	}
}

// checkPage measures the loaded page at every width and runs axe once.
func (b *browser) checkPage(path string, axe bool) {
	b.t.Helper()
	for _, w := range widths {
		b.do(fmt.Sprintf("viewport %d", w), chromedp.EmulateViewport(w, 900))
		sw := eval[int](b, "scroll width", `document.documentElement.scrollWidth`)
		iw := eval[int](b, "inner width", `window.innerWidth`)
		if sw > iw {
			wide := eval[[]string](b, "widest elements", widestJS)
			b.t.Errorf("%s at %d px: page is %d px wide (scrolls sideways); too wide: %q", path, w, sw, wide)
		}
		if w == 1280 {
			if rows := eval[int](b, "top bar rows", topbarRowsJS); rows > 1 {
				b.t.Errorf("%s at 1280 px: the top bar wraps into %d rows", path, rows)
			}
		}
		if w == 390 {
			if small := eval[[]string](b, "small touch targets", smallTargetsJS); len(small) > 0 {
				b.t.Errorf("%s at 390 px: touch targets under 44 px high: %q", path, small)
			}
		}
	}
	if axe {
		b.axe(path)
	}
	b.do("viewport back", chromedp.EmulateViewport(1280, 900))
}

// widestJS names the elements that stick out of the viewport, deepest first.
const widestJS = `Array.from(document.querySelectorAll('body *')).filter(e => {
	const r = e.getBoundingClientRect();
	return r.right > window.innerWidth + 1 && !e.closest('table, .table-scroll, pre') && getComputedStyle(e).position !== 'fixed';
}).slice(-5).map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).replace(/ /g, '.') : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')`

// topbarRowsJS counts the rows of the top bar's visible parts.
const topbarRowsJS = `(() => { const bar = document.querySelector('.topbar'); if (!bar) return 0;
	const tops = new Set(Array.from(bar.children).filter(e => e.offsetParent !== null && getComputedStyle(e).display !== 'none')
		.map(e => Math.round(e.getBoundingClientRect().top / 12)));
	return tops.size; })()`

// smallTargetsJS lists visible buttons, menu entries and text fields lower than 44 px.
const smallTargetsJS = `Array.from(document.querySelectorAll('button, .button, summary, select, input:not([type=checkbox]):not([type=radio]):not([type=hidden]), .navmenu a'))
	.filter(e => e.offsetParent !== null && e.getBoundingClientRect().height > 0 && e.getBoundingClientRect().height < 43.5)
	.slice(0, 5).map(e => e.tagName.toLowerCase() + ' "' + (e.innerText || e.name || '').trim().slice(0, 30) + '" ' + Math.round(e.getBoundingClientRect().height) + 'px')`

// screenshotDir is where saveShots writes: $RAPPORT_SCREENSHOTS, or
// e2e/output/screens (git-ignored); the test prints it.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("RAPPORT_SCREENSHOTS")
	if dir == "" {
		dir = filepath.Join("output", "screens")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		t.Fatalf("screenshot folder: %v", err)
	}
	t.Logf("screenshots: %s", abs)
	return abs
}

// saveShots saves the start page, a contact, the list and the search at 390
// and 1280 px into dir.
func (b *browser) saveShots(dir string, ids map[string]string) {
	b.t.Helper()
	pages := []struct{ name, path string }{
		{"start", "/"}, {"contact", "/contacts/" + ids["contacts"]}, {"contacts", "/contacts"}, {"search", "/search?q=Berlin"},
	}
	for _, p := range pages {
		b.open(p.path)
		for _, w := range []int64{390, 1280} {
			b.do(fmt.Sprintf("viewport %d", w), chromedp.EmulateViewport(w, 900))
			ctx, cancel := context.WithTimeout(b.ctx, stepTimeout)
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			cancel()
			if err != nil {
				b.t.Errorf("screenshot %s: %v", p.name, err)
				continue
			}
			name := filepath.Join(dir, fmt.Sprintf("%s-%d.png", p.name, w))
			if err := os.WriteFile(name, png, 0o644); err != nil {
				b.t.Errorf("screenshot %s: %v", p.name, err)
			}
		}
	}
	b.do("viewport back", chromedp.EmulateViewport(1280, 900))
}

// forget drops the problems reported so far, unchecked.
func (b *browser) forget() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.reported = len(b.problems)
}

// checkFocus tabs to the first links of the start page and fails unless
// each shows a focus ring.
func (b *browser) checkFocus() {
	b.t.Helper()
	b.open("/")
	for i := range 3 {
		b.do("press tab", chromedp.KeyEvent("\t"))
		got := eval[string](b, "focus ring", `(() => { const e = document.activeElement, s = getComputedStyle(e);
			return e.tagName.toLowerCase() + ' ' + s.outlineStyle + ' ' + s.outlineWidth; })()`)
		if f := strings.Fields(got); len(f) != 3 || f[1] == "none" || f[2] == "0px" {
			b.t.Errorf("focus %d: %s has no visible focus ring", i+1, got)
		}
	}
}
