package e2e

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
)

// TestImportJourney uploads a German Excel CSV, checks the decoded preview
// and the guessed mapping, runs the dry run, starts the import, watches the
// progress bar (which survives a reload) until the result, and reverts.
func TestImportJourney(t *testing.T) {
	exe := browserPath(t)
	a := startApp(t)
	a.user(t, email, userName, crm.RoleStaff, password)
	b := newBrowser(t, exe, a.url)
	b.signIn(email, password)

	var csv strings.Builder
	csv.WriteString("Vorname;Nachname;E-Mail;Medium;Stadt;Twitter\r\n")
	for i := range 3000 {
		fmt.Fprintf(&csv, "J\xfcrgen;M\xfcller %d;jm%d@beispiel.de;S\xfcddeutsche;M\xfcnchen;@jm_%d\r\n", i, i, i)
	}
	path := filepath.Join(t.TempDir(), "Presseverteiler.csv")
	if err := os.WriteFile(path, []byte(csv.String()), 0o600); err != nil {
		t.Fatal(err)
	}

	b.open("/imports/new")
	b.do("choose file", chromedp.SetUploadFiles(`[data-testid="upload-file"]`, []string{path}))
	b.navigate("upload", chromedp.Click(chromedp.CSS(`[data-testid="upload"]`)))
	if got := b.texts(`[data-testid="preview-table"] tbody tr`); len(got) != 10 || !strings.Contains(got[0], "Jürgen\tMüller 0\tjm0@beispiel.de\tSüddeutsche\tMünchen") {
		t.Fatalf("preview rows: %q", got)
	}
	wantText(t, "encoding", eval[string](b, "encoding", `document.querySelector("#f-encoding").value`), "windows-1252")
	wantText(t, "first column", eval[string](b, "mapping", `document.querySelector("#f-col-0").value`), "first_name")
	b.screenshot("import-01-preview")

	// The dry run is the worker's: the page shows its progress bar until it is done.
	stop := startWorker(a)
	b.navigate("dry run", chromedp.Click(chromedp.CSS(`[data-testid="dry-run"]`)))
	b.waitUntil("the dry run is done", `document.querySelector('[data-testid="import-status"]')?.innerText.trim() === "dry run done"`)
	stop()
	// The counts arrive with the page the status swap loads: wait for their
	// text rather than read a node the swap may replace (a flake in CI).
	b.waitUntil("dry run: New: 3000", `document.querySelector('[data-testid="count-create"]')?.innerText.trim() === "New: 3000"`)
	b.screenshot("import-02-dry-run")

	b.navigate("start", chromedp.Click(chromedp.CSS(`[data-testid="run"]`)))
	if n := b.count(`[data-testid="progress-bar"]`); n != 1 {
		t.Fatalf("no progress bar after starting the import")
	}
	b.open(b.url().Path) // the bar survives a reload
	if n := b.count(`[data-testid="progress"][hx-get]`); n != 1 {
		t.Fatalf("after a reload the progress bar does not poll")
	}
	b.screenshot("import-03-progress")

	// The server's worker picks the queued import up.
	t.Cleanup(startWorker(a))

	b.waitUntil("the import is done", `document.querySelector('[data-testid="import-status"]')?.innerText.trim() === "done"`)
	wantText(t, "result: new", b.text(`[data-testid="count-create"]`), "New: 3000")
	if n := a.db.Client.Contact.Query().CountX(t.Context()); n != 3000 {
		t.Errorf("%d contacts after the import, want 3000", n)
	}
	b.screenshot("import-04-result")

	// The revert asks first, then runs in the worker with the progress bar.
	b.navigate("revert", chromedp.Click(chromedp.CSS(`[data-testid="revert"]`)))
	wantText(t, "revert asks", b.text(`[data-testid="revert-delete"]`), "3000")
	b.navigate("confirm revert", chromedp.Click(chromedp.CSS(`[data-testid="revert-submit"]`)))
	b.waitUntil("the revert is done", `document.querySelector('[data-testid="import-status"]')?.innerText.trim() === "reverted"`)
	if !strings.Contains(b.text(`[data-testid="import-message"]`), "3000 contacts removed") {
		t.Errorf("message after revert: %q", b.text(`[data-testid="import-message"]`))
	}
	if n := a.db.Client.Contact.Query().CountX(t.Context()); n != 0 {
		t.Errorf("%d contacts after the revert, want 0", n)
	}
}

// startWorker runs the server's import worker; stop waits for it to end.
func startWorker(a *app) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	w := &importing.Worker{Runner: &importing.Runner{Client: a.db.Client, Worker: "e2e", BatchSize: 200},
		Poll: 100 * time.Millisecond, Log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	wait := w.Start(ctx)
	return func() { cancel(); wait() }
}
