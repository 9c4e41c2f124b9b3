package e2e

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/handlers"
)

const (
	// browserTimeout bounds a whole test's use of the browser.
	browserTimeout = 90 * time.Second
	// stepTimeout bounds one step, so that a stuck step fails with its name
	// long before browserTimeout.
	stepTimeout = 20 * time.Second
)

// app is the real Rapport server on a fresh PostgreSQL database.
type app struct {
	db  *db.DB
	url string // base URL, e.g. http://127.0.0.1:41234
}

// startApp serves handlers.New on a loopback port of its own; the server is
// shut down and the database dropped when the test ends.
func startApp(t *testing.T) *app {
	t.Helper()
	return startAppWith(t, handlers.DefaultConfig)
}

// startAppWith is startApp with cfg (e.g. the coverage reader allowed on loopback).
func startAppWith(t *testing.T, cfg handlers.Config) *app {
	t.Helper()
	d := dbtest.Open(t, dialect.Postgres, nil)
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen on loopback: %v", err)
	}
	srv := &http.Server{Handler: handlers.New(d, cfg, logger), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shut down server: %v", err)
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("server: %v", err)
		}
	})
	return &app{db: d, url: "http://" + ln.Addr().String()}
}

// user creates an active user who signs in with password.
func (a *app) user(t *testing.T, email, name, role, password string) *ent.User {
	t.Helper()
	u, err := crm.CreateUser(t.Context(), a.db.Client, crm.UserInput{Email: email, Name: name, Role: role, Password: password})
	if err != nil {
		t.Fatalf("create user %s: %v", email, err)
	}
	return u
}

// browserPath returns the Chromium or Chrome to run: /usr/bin/chromium, or
// the first of chromium, chromium-browser and google-chrome on PATH. Without
// one it skips the test, or fails it when RAPPORT_REQUIRE_BROWSER=1 (as in
// CI). Call it first, so that a skip costs no database.
func browserPath(t *testing.T) string {
	t.Helper()
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	msg := "no Chromium or Chrome found (tried /usr/bin/chromium and chromium, chromium-browser, google-chrome on PATH); install one to run the browser tests"
	if os.Getenv("RAPPORT_REQUIRE_BROWSER") == "1" {
		t.Fatal(msg + " (RAPPORT_REQUIRE_BROWSER=1)")
	}
	t.Skip(msg)
	return ""
}

// browser is one headless Chromium tab pointed at an app. Its methods fail
// the test with the step's name when an action does not work.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string

	mu        sync.Mutex
	problems  []string // console errors, uncaught exceptions, CSP violations …
	reported  int      // problems already reported by checkConsole
	tolerated []string // problems containing one of these are dropped (tolerate)
}

// newBrowser starts the headless browser at path (from browserPath) with a
// fresh profile and no network chatter of its own, for the app at base. It is
// closed when the test ends, after a last check that the console stayed clean.
// Start the app first, so that the browser closes before the server.
func newBrowser(t *testing.T, path, base string) *browser {
	t.Helper()
	return newBrowserWithin(t, path, base, browserTimeout)
}

// newBrowserWithin is newBrowser with timeout bounding the whole test's use of it.
func newBrowserWithin(t *testing.T, path, base string, timeout time.Duration) *browser {
	t.Helper()
	profile := t.TempDir() // removed after the browser has exited (cleanups run last in, first out)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.Headless,
		chromedp.NoSandbox, // we run as root in CI containers
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	timeoutCtx, cancelTimeout := context.WithTimeout(allocCtx, timeout)
	b := &browser{t: t, base: base}
	ctx, cancelCtx := chromedp.NewContext(timeoutCtx,
		chromedp.WithListener(b.listen),
		chromedp.WithLogf(t.Logf), chromedp.WithErrorf(t.Logf))
	b.ctx = ctx
	t.Cleanup(func() {
		b.checkConsole("end of test")
		cancelCtx()
		cancelTimeout()
		cancelAlloc() // waits for the browser process to exit
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	// A failed test leaves a picture of where it stopped (this cleanup runs
	// before the one above closes the browser).
	t.Cleanup(func() {
		if t.Failed() && ctx.Err() == nil {
			b.screenshot("failure")
		}
	})
	return b
}

// listen records what the page reports as an error: console.error calls,
// uncaught exceptions and browser log entries of level error, which include
// Content-Security-Policy violations and failed loads. It runs in the tab's
// message loop, so it only appends.
func (b *browser) listen(ev any) {
	var msg string
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type != runtime.ConsoleAPICalledTypeError && ev.Type != runtime.ConsoleAPICalledTypeAssert {
			return
		}
		msg = "console." + string(ev.Type) + ": " + argsText(ev.Args) + stackTop(ev.StackTrace)
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		msg = "uncaught exception: " + d.Text
		if d.Exception != nil && d.Exception.Description != "" {
			msg += " " + d.Exception.Description
		}
		msg += fmt.Sprintf(" at %s:%d:%d", d.URL, d.LineNumber+1, d.ColumnNumber+1)
	case *log.EventEntryAdded:
		e := ev.Entry
		if e.Level != log.EntryLevelError {
			return
		}
		msg = fmt.Sprintf("log %s error: %s", e.Source, e.Text)
		if e.URL != "" {
			msg += fmt.Sprintf(" (%s:%d)", e.URL, e.LineNumber+1)
		}
	default:
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, t := range b.tolerated {
		if strings.Contains(msg, t) {
			return
		}
	}
	b.problems = append(b.problems, msg)
}

func argsText(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		var s string
		if len(a.Value) > 0 && json.Unmarshal(a.Value, &s) == nil {
			parts = append(parts, s)
		} else if len(a.Value) > 0 {
			parts = append(parts, string(a.Value))
		} else {
			parts = append(parts, a.Description)
		}
	}
	return strings.Join(parts, " ")
}

func stackTop(st *runtime.StackTrace) string {
	if st == nil || len(st.CallFrames) == 0 {
		return ""
	}
	f := st.CallFrames[0]
	return fmt.Sprintf(" (at %s:%d:%d)", f.URL, f.LineNumber+1, f.ColumnNumber+1)
}

// checkConsole fails the test for every error the page reported since the
// last check, naming the step in which it showed up.
func (b *browser) checkConsole(step string) {
	b.t.Helper()
	b.mu.Lock()
	fresh := b.problems[b.reported:]
	b.reported = len(b.problems)
	b.mu.Unlock()
	for _, p := range fresh {
		b.t.Errorf("%s: the page reported an error: %s", step, p)
	}
}

// stepCtx bounds one step.
func (b *browser) stepCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(b.ctx, stepTimeout)
}

// do runs actions that must not fail.
func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := b.stepCtx()
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v (page: %s)", step, err, b.location())
	}
}

// run runs an action that returns a value and must not fail.
func run[T any](b *browser, step string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := b.stepCtx()
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v (page: %s)", step, err, b.location())
	}
	return v
}

// open loads path and fails the test unless the final response (after
// redirects) is 200.
func (b *browser) open(path string) {
	b.t.Helper()
	res := run(b, "open "+path, chromedp.NavigateResponse(b.base+path))
	if res.Status != http.StatusOK {
		b.t.Fatalf("open %s: status %d at %s, want 200", path, res.Status, res.URL)
	}
	b.checkConsole("open " + path)
}

// navigate runs actions that load a new page, such as a click on a link or a
// submit button, waits for the page and fails the test unless it answered 200.
func (b *browser) navigate(step string, actions ...chromedp.Action[chromedp.Void]) *network.Response {
	b.t.Helper()
	ctx, cancel := b.stepCtx()
	defer cancel()
	res, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		b.t.Fatalf("%s: %v (page: %s)", step, err, b.location())
	}
	if res.Status != http.StatusOK {
		b.t.Fatalf("%s: status %d at %s, want 200", step, res.Status, res.URL)
	}
	b.checkConsole(step)
	return res
}

// signIn signs in through the sign-in form and fails the test unless it
// lands on the dashboard as that user.
func (b *browser) signIn(email, password string) {
	b.t.Helper()
	b.open("/login")
	b.do("type credentials",
		chromedp.SendKeys(chromedp.CSS("#email"), email),
		chromedp.SendKeys(chromedp.CSS("#password"), password))
	b.navigate("sign in", chromedp.Click(chromedp.CSS(`.login button[type="submit"]`)))
	if got := b.url().Path; got != "/" {
		b.t.Fatalf("signed in as %s, landed on %s, want the dashboard /", email, got)
	}
	if n := b.count(`[data-testid="current-user"]`); n != 1 {
		b.t.Fatalf("signed in as %s, but the page shows no current user", email)
	}
}

// location is the tab's current URL, or a note why it is unknown; for
// messages, so it never fails.
func (b *browser) location() string {
	ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
	defer cancel()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "unknown: " + err.Error()
	}
	return loc
}

// url is the tab's current URL, parsed.
func (b *browser) url() *url.URL {
	b.t.Helper()
	loc := run(b, "read location", chromedp.Location())
	u, err := url.Parse(loc)
	if err != nil {
		b.t.Fatalf("location %q: %v", loc, err)
	}
	return u
}

// eval evaluates a JavaScript expression in the page. DevTools evaluation is
// exempt from the page's CSP; chromedp.Poll is not (it compiles the predicate
// with new Function), which is why waitUntil polls from Go.
func eval[T any](b *browser, step, expr string) T {
	b.t.Helper()
	return run(b, step, chromedp.Evaluate[T](expr))
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

// text is the visible text of the first element matching css, trimmed. It
// waits until such an element exists and reads it in one evaluation: a node
// id taken first and read later fails when an htmx swap replaces the node in
// between (TestImportJourney flaked so in CI).
func (b *browser) text(css string) string {
	b.t.Helper()
	var got []string
	b.waitFor("an element "+css, func() bool {
		got = eval[[]string](b, "read text of "+css,
			`Array.from(document.querySelectorAll(`+jsString(css)+`)).slice(0, 1).map(e => e.innerText)`)
		return len(got) == 1
	})
	return strings.TrimSpace(got[0])
}

// texts is the visible text of every element matching css (none if none match).
func (b *browser) texts(css string) []string {
	b.t.Helper()
	return eval[[]string](b, "read texts of "+css,
		`Array.from(document.querySelectorAll(`+jsString(css)+`), e => e.innerText.trim())`)
}

// count is the number of elements matching css.
func (b *browser) count(css string) int {
	b.t.Helper()
	return eval[int](b, "count "+css, `document.querySelectorAll(`+jsString(css)+`).length`)
}

// waitUntil polls the JavaScript condition until it is true, and fails the
// test with what after the step timeout.
func (b *browser) waitUntil(what, cond string) {
	b.t.Helper()
	b.waitFor(what, func() bool { return eval[bool](b, "wait until "+what, `Boolean(`+cond+`)`) })
}

// pollEvery is how often waitFor asks again.
const pollEvery = 20 * time.Millisecond

// waitFor polls cond until it is true, and fails the test with what after
// the step timeout: tests wait for a condition, never for a fixed time.
func (b *browser) waitFor(what string, cond func() bool) {
	b.t.Helper()
	deadline := time.Now().Add(stepTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			b.t.Fatalf("timed out after %v waiting until %s (page: %s)", stepTimeout, what, b.location())
		}
		time.Sleep(pollEvery)
	}
}

// settle waits until what the page started has run its course: the
// document and its images are complete (loaded or failed, so onerror and
// onload have fired or been refused), no htmx request is in flight, and the
// tasks and two animation frames queued by then (autofocus, htmx's load
// trigger) have run.
func (b *browser) settle(step string) {
	b.t.Helper()
	b.waitUntil(step+": page settled", `document.readyState === 'complete' &&
		Array.from(document.images).every(i => i.complete) && !document.querySelector('.htmx-request')`)
	run(b, step+": queued tasks and frames", chromedp.Evaluate[bool](`new Promise(done =>
		setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => done(true))))))`,
		func(p *runtime.EvaluateParams) { p.AwaitPromise = new(true) }))
}

// reportedSince counts the problems not yet checked that contain text.
func (b *browser) reportedSince(text string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, p := range b.problems[b.reported:] {
		if strings.Contains(p, text) {
			n++
		}
	}
	return n
}

// tolerate drops from now on the problems that contain text, for a test
// that provokes them on purpose and may see them trail its last look.
func (b *browser) tolerate(text string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.tolerated = append(b.tolerated, text)
}

// screenshot saves a full-page PNG of the tab as name.png in the test's
// artifact directory and logs where.
func (b *browser) screenshot(name string) {
	b.t.Helper()
	ctx, cancel := b.stepCtx()
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.t.ArtifactDir(), name+".png")
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	b.t.Logf("screenshot: %s", path)
}

// wantText fails the test unless got equals want.
func wantText(t *testing.T, what, got, want string) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %q, want %q", what, got, want)
	}
}

// wantContains fails the test unless got contains every one of wants.
func wantContains(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s = %q, want it to contain %q", what, got, w)
		}
	}
}
