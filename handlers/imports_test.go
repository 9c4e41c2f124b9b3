package handlers_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contactemail"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/handlers"
)

// upload posts a file as the upload form does.
func (b *browser) upload(path, name string, data []byte) page {
	b.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	_ = w.WriteField("_csrf", b.csrf)
	fw, _ := w.CreateFormFile("file", name)
	_, _ = fw.Write(data)
	_ = w.Close()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.do(req)
}

func importFile(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "crm", "importing", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// mappingForm reads the mapping form of an import page as a browser would send it.
func mappingForm(p page) url.Values {
	f := url.Values{}
	p.doc.Find(`[data-testid="mapping-form"] select`).Each(func(_ int, s *goquerySelection) {
		name, _ := s.Attr("name")
		val, _ := s.Find("option[selected]").Attr("value")
		f.Set(name, val)
	})
	return f
}

// TestImportFlow walks upload → preview → mapping → dry run → run → result
// → revert through the real router on both databases.
func TestImportFlow(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("staff@example.com", "staff")
		b := a.browser()
		b.login("staff@example.com")
		b.get("/imports/new")
		p := b.upload("/imports", "Presseverteiler.csv", importFile(t, "excel-de-windows1252.csv"))
		wantStatus(t, p, http.StatusSeeOther)
		show := p.header.Get("Location")
		p = b.get(show)
		wantStatus(t, p, http.StatusOK)
		if pv := p.text(`[data-testid="preview-table"]`); !strings.Contains(pv, "Anja") || !strings.Contains(pv, "Gesundheit & Du") {
			t.Errorf("preview does not show the file's rows: %q", pv)
		}
		if !strings.Contains(p.text(`[data-testid="preview-table"]`), "Müller-Lüdenscheidt") {
			t.Errorf("preview does not show the decoded umlauts: %q", p.text(`[data-testid="preview-table"]`))
		}
		if v, _ := p.doc.Find(`#f-encoding option[selected]`).Attr("value"); v != "windows-1252" {
			t.Errorf("encoding shown as %q", v)
		}
		form := mappingForm(p)
		if form.Get("col_0") != "first_name" || form.Get("col_7") != "x" {
			t.Errorf("guessed mapping %v", form)
		}
		form.Set("template_name", "Presseverteiler")
		wantStatus(t, b.post(show+"/dry-run", form), http.StatusSeeOther)
		p = b.get(show)
		if p.doc.Find(`[data-testid="progress"][hx-get]`).Length() != 1 || !strings.Contains(p.text(`[data-testid="progress"] h2`), "Dry run") {
			t.Errorf("a queued dry run shows no polling progress bar")
		}
		runQueued(t, a.db)
		p = b.get(show)
		if got := p.text(`[data-testid="count-create"]`); !strings.Contains(got, "5") {
			t.Errorf("dry run counts %q", p.text(`[data-testid="counts"]`))
		}
		if n := a.db.Client.Contact.Query().CountX(ctx); n != 0 {
			t.Fatalf("the dry run created %d contacts", n)
		}
		names := func(p page, sel string) string {
			var out []string
			p.doc.Find(sel).Each(func(_ int, s *goquery.Selection) { out = append(out, strings.TrimSpace(s.Text())) })
			return strings.Join(out, "|")
		}
		if got := names(p, `[data-testid="outcome-name"]`); !strings.Contains(got, "Anja") || !strings.Contains(got, "Müller-Lüdenscheidt") {
			t.Errorf("the dry run's outcomes name %q, want the people of the file", got)
		}
		wantStatus(t, b.post(show+"/run", url.Values{}), http.StatusSeeOther)
		p = b.get(show)
		if p.doc.Find(`[data-testid="progress"][hx-get]`).Length() != 1 {
			t.Errorf("a queued import shows no polling progress bar")
		}
		runQueued(t, a.db)
		p = b.get(show)
		if got := p.text(`[data-testid="import-status"]`); got != "done" {
			t.Errorf("status %q after the run", got)
		}
		if n := a.db.Client.Contact.Query().CountX(ctx); n != 5 {
			t.Errorf("%d contacts after the import, want 5", n)
		}
		if !strings.Contains(p.text(`[data-testid="count-merged"]`), "1") {
			t.Errorf("result counts %q", p.text(`[data-testid="counts"]`))
		}
		if got := names(p, `[data-testid="outcome-name"] a`); !strings.Contains(got, "Anja") || strings.Contains(got, "#") {
			t.Errorf("the result links %q, want the contacts' names", got)
		}
		// The revert asks first, saying what it will do; then runs in the worker.
		p = b.get(show + "/revert")
		wantStatus(t, p, http.StatusOK)
		if got := p.text(`[data-testid="revert-delete"]`); got != "5" {
			t.Errorf("confirmation says %q contacts will be deleted, want 5", got)
		}
		if got := names(p, `[data-testid="revert-deleted"] [data-testid="named-contact"]`); !strings.Contains(got, "Anja") || !strings.Contains(got, "Müller-Lüdenscheidt") {
			t.Errorf("the confirmation names %q, want the people it deletes", got)
		}
		if n := a.db.Client.Contact.Query().CountX(ctx); n != 5 {
			t.Fatalf("the confirmation page changed something: %d contacts", n)
		}
		wantStatus(t, b.post(show+"/revert", url.Values{}), http.StatusSeeOther)
		if got := b.get(show).text(`[data-testid="progress"] h2`); got != "Reverting" {
			t.Errorf("a queued revert shows %q, want the Reverting progress bar", got)
		}
		wantStatus(t, b.post(show+"/revert", url.Values{}), http.StatusConflict)
		runQueued(t, a.db)
		if got := b.get(show).text(`[data-testid="import-status"]`); got != "reverted" {
			t.Errorf("status %q after the revert", got)
		}
		if n := a.db.Client.Contact.Query().CountX(ctx); n != 0 {
			t.Errorf("%d contacts after the revert, want 0", n)
		}
		// The saved mapping is offered next time.
		p = b.get(show)
		wantStatus(t, p, http.StatusOK)
		if n, err := importing.Templates(ctx, a.db.Client); err != nil || len(n) != 1 {
			t.Errorf("saved mappings %v %v", n, err)
		}
	})
}

// runQueued runs the queued imports as the server's worker would.
func runQueued(t *testing.T, d *db.DB) {
	t.Helper()
	ctx := context.Background()
	var logs bytes.Buffer
	w := &importing.Worker{Runner: &importing.Runner{Client: d.Client, Worker: "test"}, Log: slog.New(slog.NewTextHandler(&logs, nil))}
	w.Step(ctx)
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Fatalf("worker: %s", logs.String())
	}
}

// TestImportBadFiles: each bad upload gets one clear message (422 or 413), never a 5xx.
func TestImportBadFiles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		cfg := handlers.DefaultConfig
		cfg.MaxUploadBytes = 1 << 20
		a := newAppWith(t, d, cfg)
		a.user("staff@example.com", "staff")
		b := a.browser()
		b.login("staff@example.com")
		b.get("/imports/new")
		png := append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2}, 100)...)
		for name, tc := range map[string]struct {
			file   string
			data   []byte
			status int
			msg    string
		}{
			"png_renamed":  {"liste.csv", png, 422, "PNG image"},
			"empty":        {"leer.csv", nil, 422, "empty"},
			"header_only":  {"kopf.csv", []byte("Vorname;Nachname;E-Mail\r\n"), 422, "no rows"},
			"columns_100k": {"breit.csv", []byte(strings.Repeat("a,", 100_000) + "b\n1,2\n"), 422, "columns"},
			"zip_not_xlsx": {"x.xlsx", zipOf(t, "hello.txt", []byte("hi")), 422, "not an Excel workbook"},
			"too_large":    {"gross.csv", bytes.Repeat([]byte("a,b\n"), 400_000), 413, "up to 1 MB"},
			"no_vcard_end": {"a.vcf", []byte("BEGIN:VCARD\r\nFN:X\r\n"), 303, ""},
		} {
			t.Run(name, func(t *testing.T) {
				p := b.upload("/imports", tc.file, tc.data)
				if p.status != tc.status {
					t.Fatalf("status %d, want %d: %.500s", p.status, tc.status, p.body)
				}
				if tc.msg != "" && !strings.Contains(p.text(`[data-testid="upload-error"]`), tc.msg) {
					t.Errorf("message %q, want it to say %q", p.text(`[data-testid="upload-error"]`), tc.msg)
				}
				b.get("/imports/new")
			})
		}
	})
}

// TestImportVisibility: staff see their own imports only; managers see all.
func TestImportVisibility(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		a.user("one@example.com", "staff")
		a.user("two@example.com", "staff")
		a.user("boss@example.com", "manager")
		one := a.browser()
		one.login("one@example.com")
		one.get("/imports/new")
		show := one.upload("/imports", "a.vcf", importFile(t, "contacts.vcf")).header.Get("Location")
		two := a.browser()
		two.login("two@example.com")
		wantStatus(t, two.get(show), http.StatusNotFound)
		if strings.Contains(two.get("/imports").body, "a.vcf") {
			t.Error("another staff member's import is listed")
		}
		boss := a.browser()
		boss.login("boss@example.com")
		wantStatus(t, boss.get(show), http.StatusOK)
		req, _ := http.NewRequest(http.MethodGet, one.base+show+"/progress", nil)
		req.Header.Set("HX-Request", "true")
		if p := one.do(req); p.status != http.StatusOK || p.doc.Find(`[data-testid="progress-bar"]`).Length() != 1 {
			t.Errorf("progress fragment: %d", p.status)
		}
		// A saved mapping is another's to replace only as a manager: two's
		// save under one's name is refused on the form, the name kept.
		form := mappingForm(one.get(show))
		form.Set("template_name", "Standard")
		wantStatus(t, one.post(show+"/dry-run", form), http.StatusSeeOther)
		show2 := two.upload("/imports", "b.vcf", importFile(t, "contacts.vcf")).header.Get("Location")
		form = mappingForm(two.get(show2))
		form.Set("template_name", "Standard")
		p := two.post(show2+"/dry-run", form)
		if v, _ := p.doc.Find(`input[name="template_name"]`).Attr("value"); p.status != http.StatusUnprocessableEntity || v != "Standard" ||
			p.text(`[data-testid="import-error"]`) != "A mapping named “Standard” belongs to someone else; choose another name." {
			t.Errorf("another's mapping name: status %d, name %q, message %q", p.status, v, p.text(`[data-testid="import-error"]`))
		}
		_ = fmt.Sprint()
	})
}

// TestImportRevertLeavesOthersWork: a staff member's revert lists and
// leaves alone a contact a manager has since edited; only a manager's
// confirmed revert undoes it.
func TestImportRevertLeavesOthersWork(t *testing.T) {
	eachApp(t, func(t *testing.T, a *app) {
		ctx := context.Background()
		a.user("staff@example.com", "staff")
		a.user("boss@example.com", "manager")
		csv := []byte("Vorname;Nachname;E-Mail\r\nHeike;Neu;heike@example.de\r\nOtto;Neu;otto@example.de\r\n")
		staff := a.browser()
		staff.login("staff@example.com")
		staff.get("/imports/new")
		show := staff.upload("/imports", "neu.csv", csv).header.Get("Location")
		wantStatus(t, staff.post(show+"/dry-run", mappingForm(staff.get(show))), http.StatusSeeOther)
		runQueued(t, a.db)
		wantStatus(t, staff.post(show+"/run", url.Values{}), http.StatusSeeOther)
		runQueued(t, a.db)

		// The manager edits Heike after the import.
		boss := a.browser()
		boss.login("boss@example.com")
		ids := emailIDs(ctx, a.db.Client, "heike@example.de")
		heike := fmt.Sprint(ids["heike@example.de"])
		form := contactForm()
		form.Set("first_name", "Heike")
		form.Set("last_name", "Neu")
		form.Set("title", "Chefredakteurin")
		form["email"] = []string{"heike@example.de"}
		form["email_type"] = []string{"work"}
		form.Set("version", "1")
		edit := boss.get("/contacts/" + heike + "/edit")
		if v, ok := edit.doc.Find(`input[name="version"]`).Attr("value"); ok {
			form.Set("version", v)
		}
		wantStatus(t, boss.post("/contacts/"+heike, form), http.StatusSeeOther)

		p := staff.get(show + "/revert")
		if got := p.text(`[data-testid="revert-delete"]`); got != "1" {
			t.Errorf("confirmation: %q contacts to delete, want 1", got)
		}
		if !strings.Contains(p.text(`[data-testid="changed-list"]`), "Heike Neu") {
			t.Errorf("the contact the manager edited is not listed: %q", p.text(`[data-testid="revert-confirm"]`))
		}
		if p.doc.Find(`[data-testid="revert-force"]`).Length() != 0 {
			t.Error("staff are offered to undo a manager's work")
		}
		form = url.Values{"force": {"1"}} // staff cannot force, even by hand
		wantStatus(t, staff.post(show+"/revert", form), http.StatusSeeOther)
		runQueued(t, a.db)
		p = staff.get(show)
		if got := p.text(`[data-testid="revert-kept"]`); !strings.Contains(got, "Heike Neu") || !strings.Contains(got, "1 contacts") {
			t.Errorf("after the revert, the kept list says %q", got)
		}
		if n := a.db.Client.Contact.Query().CountX(ctx); n != 1 {
			t.Errorf("%d contacts after the staff revert, want 1 (Heike, edited by the manager)", n)
		}

		// A manager sees the box and may undo the later work.
		boss.get("/imports/new")
		show2 := boss.upload("/imports", "neu2.csv", []byte("Vorname;Nachname;E-Mail\r\nIda;Neu;ida@example.de\r\n")).header.Get("Location")
		wantStatus(t, boss.post(show2+"/dry-run", mappingForm(boss.get(show2))), http.StatusSeeOther)
		runQueued(t, a.db)
		wantStatus(t, boss.post(show2+"/run", url.Values{}), http.StatusSeeOther)
		runQueued(t, a.db)
		ida := emailIDs(ctx, a.db.Client, "ida@example.de")
		u := a.db.Client.User.Query().AllX(ctx)
		var staffID int
		for _, x := range u {
			if x.Email == "staff@example.com" {
				staffID = x.ID
			}
		}
		if _, err := crm.LogInteraction(crm.WithActor(ctx, crm.Actor{UserID: staffID}), a.db.Client, staffID,
			crm.InteractionInput{ContactIDs: []int{ida["ida@example.de"]}, Type: "call", OccurredAt: time.Now(), Subject: "Anruf"}); err != nil {
			t.Fatal(err)
		}
		p = boss.get(show2 + "/revert")
		if p.doc.Find(`[data-testid="revert-force"]`).Length() != 1 {
			t.Fatalf("a manager is not offered to undo the later work: %q", p.text(`[data-testid="revert-confirm"]`))
		}
		wantStatus(t, boss.post(show2+"/revert", url.Values{"force": {"1"}}), http.StatusSeeOther)
		runQueued(t, a.db)
		if ids := emailIDs(ctx, a.db.Client, "ida@example.de"); ids["ida@example.de"] != 0 {
			t.Error("the manager's confirmed revert left the contact")
		}
	})
}

// emailIDs maps e-mail addresses to the contacts that have them.
func emailIDs(ctx context.Context, client *ent.Client, addrs ...string) map[string]int {
	out := map[string]int{}
	for _, e := range client.ContactEmail.Query().Where(contactemail.AddressIn(addrs...)).AllX(ctx) {
		out[e.Address] = e.ContactID
	}
	return out
}
