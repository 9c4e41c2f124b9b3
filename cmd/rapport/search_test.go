package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/search"
)

const envServeChild = "RAPPORT_SERVE_CHILD"

// TestServeChild is not a test: it is `rapport serve` in a process of its
// own, for the tests below, configured by the environment.
func TestServeChild(t *testing.T) {
	if os.Getenv(envServeChild) != "1" {
		t.Skip("a child process of the search tests")
	}
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go func() { // SIGTERM ends the child like the real command
		ch := make(chan os.Signal, 1)
		signal.Notify(ch, syscall.SIGTERM)
		<-ch
		stop()
	}()
	if err := run(ctx, []string{"serve"}, nil, os.Stdout, os.Stderr); err != nil {
		t.Fatal(err)
	}
}

// startServe runs `rapport serve` as a child process with env and returns
// its base URL; it is stopped with SIGTERM when the test ends.
func startServe(t *testing.T, env ...string) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestServeChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), append([]string{envServeChild + "=1", "RAPPORT_ADDR=127.0.0.1:0"}, env...)...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		addr := regexp.MustCompile(`http://[0-9.:]+`)
		for sc.Scan() {
			if a := addr.FindString(sc.Text()); a != "" {
				found <- a
			}
		}
	}()
	select {
	case base := <-found:
		return base
	case <-time.After(60 * time.Second):
		t.Fatal("rapport serve did not start")
	}
	return ""
}

// client is a signed-in browser-like client of one server.
type client struct {
	t    *testing.T
	base string
	http *http.Client
}

var csrfInput = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

func signIn(t *testing.T, base, email, password string) *client {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
	c.post("/login", url.Values{"email": {email}, "password": {password}}, "/login")
	return c
}

func (c *client) get(path string) string {
	c.t.Helper()
	res, err := c.http.Get(c.base + path)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		c.t.Fatalf("GET %s: %d\n%.1000s", path, res.StatusCode, b)
	}
	return string(b)
}

// post submits a form the way a browser does: the CSRF token comes from the page form is on.
func (c *client) post(path string, form url.Values, formPage string) {
	c.t.Helper()
	m := csrfInput.FindStringSubmatch(c.get(formPage))
	if m == nil {
		c.t.Fatalf("no CSRF token on %s", formPage)
	}
	form.Set("_csrf", m[1])
	res, err := c.http.PostForm(c.base+path, form)
	if err != nil {
		c.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		c.t.Fatalf("POST %s: %d", path, res.StatusCode)
	}
}

// TestTwoServersOnOnePostgres: two `rapport serve` processes, each with its
// own index, on one PostgreSQL database. A contact created through A is
// found through B within a second (LISTEN/NOTIFY wakes B's indexer), and
// B's contact list, cached just before, shows it within that second too
// (the index's change feed invalidates the list cache; B's TTL is an hour).
func TestTwoServersOnOnePostgres(t *testing.T) {
	dbURL := dbtest.CreatePostgres(t)
	ctx := t.Context()
	d, err := db.Open(ctx, dbURL, "", search.Outbox(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	const pw = "correct horse battery staple"
	if _, err := crm.CreateUser(ctx, d.Client, crm.UserInput{Email: "ann@example.com", Name: "Ann", Role: crm.RoleStaff, Password: pw}); err != nil {
		t.Fatal(err)
	}
	a := signIn(t, startServe(t, "RAPPORT_DATABASE_URL="+dbURL, "RAPPORT_DATA_DIR="+t.TempDir()), "ann@example.com", pw)
	b := signIn(t, startServe(t, "RAPPORT_DATABASE_URL="+dbURL, "RAPPORT_DATA_DIR="+t.TempDir(), "RAPPORT_LIST_CACHE_TTL=1h"), "ann@example.com", pw)

	for i, name := range []string{"Zyprian", "Quirinus", "Ottokar"} {
		if strings.Contains(b.get("/search?q="+name), `data-testid="search-hit"`) {
			t.Fatalf("%s found before it exists", name)
		}
		if strings.Contains(b.get("/contacts"), name) { // B's list is cached now
			t.Fatalf("%s listed before it exists", name)
		}
		a.post("/contacts", url.Values{"first_name": {name}, "last_name": {"Zweiserver"}, "kind": {"journalist"}, "stage": {"unknown"},
			"lawful_basis": {"legitimate_interest"}, "consent_state": {"none"}}, "/contacts/new")
		created := time.Now()
		for !strings.Contains(b.get("/search?q="+name), `data-testid="search-hit"`) {
			if time.Since(created) > time.Second {
				t.Fatalf("contact %d created through A not found through B within 1 s", i)
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Logf("%s: found through B %v after it was created through A", name, time.Since(created).Round(time.Millisecond))
		for !strings.Contains(b.get("/contacts"), name) {
			if time.Since(created) > time.Second {
				t.Fatalf("contact %d created through A not in B's contact list within 1 s", i)
			}
			time.Sleep(10 * time.Millisecond)
		}
		t.Logf("%s: listed by B %v after it was created through A", name, time.Since(created).Round(time.Millisecond))
	}
}

// TestSecondServerOnOneDataDirFailsAtOnce: a second process serving the same
// index directory stops at once with a message that says why.
func TestSecondServerOnOneDataDirFailsAtOnce(t *testing.T) {
	dir := t.TempDir()
	startServe(t, "RAPPORT_DATA_DIR="+dir, "RAPPORT_DATABASE_URL=")
	t.Setenv("RAPPORT_DATA_DIR", dir)
	t.Setenv("RAPPORT_DATABASE_URL", "")
	start := time.Now()
	err := run(t.Context(), []string{"serve", "--addr", "127.0.0.1:0"}, nil, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "another Rapport server") {
		t.Fatalf("second serve on the same data directory: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("second serve took %v to fail", took)
	}
}

// TestReindexSwapsIntoRunningServer: `rapport reindex` builds a new
// generation while a server runs; the server switches to it without
// downtime and keeps finding what it found before.
func TestReindexSwapsIntoRunningServer(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("RAPPORT_DATA_DIR", dir)
	t.Setenv("RAPPORT_DATABASE_URL", "")
	ctx := t.Context()
	if err := run(ctx, []string{"migrate"}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	d, err := db.Open(ctx, "", dir, search.Outbox(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	const pw = "correct horse battery staple"
	if _, err := crm.CreateUser(ctx, d.Client, crm.UserInput{Email: "ann@example.com", Name: "Ann", Role: crm.RoleStaff, Password: pw}); err != nil {
		t.Fatal(err)
	}
	if _, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{FirstName: "Walburga", LastName: "Vorher"}); err != nil {
		t.Fatal(err)
	}
	c := signIn(t, startServe(t, "RAPPORT_DATA_DIR="+dir, "RAPPORT_DATABASE_URL="), "ann@example.com", pw)
	// The server builds its first index in the background (issue 19, item 5).
	for built := time.Now().Add(30 * time.Second); !strings.Contains(c.get("/search?q=walburga"), `data-testid="search-hit"`); {
		if time.Now().After(built) {
			t.Fatal("the server did not build its index within 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
	before, _ := os.ReadFile(dir + "/index/CURRENT")
	if err := run(ctx, []string{"reindex"}, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(dir + "/index/CURRENT")
	if string(before) == string(after) {
		t.Fatalf("reindex did not make a new generation current (%q)", after)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		if !strings.Contains(c.get("/search?q=walburga"), `data-testid="search-hit"`) { // every request is served throughout
			t.Fatal("the server lost the contact while switching")
		}
		if _, err := os.Stat(dir + "/index/" + strings.TrimSpace(string(before))); os.IsNotExist(err) {
			break // switched, and the old generation is gone
		}
		if time.Now().After(deadline) {
			t.Fatal("the server did not switch to the new generation within 5 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}
