package handlers_test

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/handlers"
)

// uploadForm is a multipart form of an import: a CSV of about size bytes,
// and the CSRF token when csrf is not "".
func uploadForm(t *testing.T, csrf string, size int) (*bytes.Buffer, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	if csrf != "" {
		_ = w.WriteField("_csrf", csrf)
	}
	f, err := w.CreateFormFile("file", "kontakte.csv")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = f.Write([]byte("Vorname;Nachname;E-Mail\n"))
	_, _ = f.Write([]byte(strings.Repeat("Anna;Muster;anna@example.com\n", size/29)))
	_ = w.Close()
	return &body, w.FormDataContentType()
}

// TestUploadsLeaveNothingBehind: nobody signed in can make Rapport read an
// upload (refused before the body is read), and a signed-in upload's
// temporary file is gone once it is answered (the middlewares' request
// copies parsed the form, so net/http did not remove it: 40 refused
// uploads of 45 MB left 1.8 GB in /tmp). The request log says the status
// the user got (a 404 was logged as 200).
func TestUploadsLeaveNothingBehind(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	leftover := func(t *testing.T) []string {
		t.Helper()
		ents, err := os.ReadDir(tmp)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, e := range ents {
			if strings.HasPrefix(e.Name(), "multipart-") {
				names = append(names, e.Name())
			}
		}
		return names
	}
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		var log syncBuffer
		a := newAppLogging(t, d, handlers.DefaultConfig, &log)
		a.user("staff@example.com", "staff")

		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				body, ct := uploadForm(t, "forged", 3<<20)
				req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/imports", body)
				req.Header.Set("Content-Type", ct)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("an upload without a session: %d, want 403", resp.StatusCode)
				}
			})
		}
		wg.Wait()
		if l := leftover(t); len(l) > 0 {
			t.Errorf("refused uploads left %d temporary files", len(l))
		}

		b := a.browser()
		b.login("staff@example.com")
		b.get("/imports/new")
		body, ct := uploadForm(t, b.csrf, 3<<20)
		req, _ := http.NewRequest(http.MethodPost, b.base+"/imports", body)
		req.Header.Set("Content-Type", ct)
		p := b.do(req)
		if p.status != http.StatusSeeOther && p.status != http.StatusOK {
			t.Fatalf("a signed-in upload: %d", p.status)
		}
		if l := leftover(t); len(l) > 0 {
			t.Errorf("an answered upload left its temporary files: %v", l)
		}

		wantStatus(t, b.get("/contacts/999999"), http.StatusNotFound)
		if !strings.Contains(log.String(), "route=/contacts/:id status=404") {
			t.Errorf("the request log does not say 404:\n%s", log.String())
		}
	})
}

// TestLoginThrottleBehindProxy: behind a trusted proxy the login throttle
// counts the client's address from X-Forwarded-For, so one client's
// failures do not lock out the others (all requests come from the proxy's
// address); without the setting the header is ignored, so nobody can
// choose their address.
func TestLoginThrottleBehindProxy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		for _, trusted := range []bool{true, false} {
			cfg := handlers.DefaultConfig
			if trusted {
				cfg.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
			}
			a := newAppWith(t, d, cfg)
			email := fmt.Sprintf("anna-%v@example.com", trusted)
			a.user(email, "staff")
			login := func(from, email, password string) int {
				b := a.browser()
				b.get("/login")
				form := url.Values{"email": {email}, "password": {password}, "_csrf": {b.csrf}}
				req, _ := http.NewRequest(http.MethodPost, b.base+"/login", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Forwarded-For", from)
				return b.do(req).status
			}
			for i := range crm.ThrottleAddress + 1 {
				login("203.0.113.9", fmt.Sprintf("nobody%d-%v@example.com", i, trusted), "wrong password")
			}
			got, want := login("198.51.100.4", email, testPassword), http.StatusSeeOther
			if !trusted {
				want = http.StatusTooManyRequests // the same peer, whatever the header says
			}
			if got != want {
				t.Errorf("trusted proxy %v: another client's sign-in %d, want %d", trusted, got, want)
			}
		}
	})
}
