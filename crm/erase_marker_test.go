package crm_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"entgo.io/ent/dialect"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/importrow"
	"github.com/rapport-crm/rapport/search"
)

// marker is in every field of the person the erasure test erases; nothing
// else in the database or the index holds it.
const marker = "qzmarkerxq"

// TestErasureLeavesNoTrace: a person with the marker in every field, with
// interactions (their own and one shared), a nomination, a task, an import
// that carried them (dry run and run) and an export that included them, is
// erased; then no byte of a pg_dump (PostgreSQL), of the SQLite files (after
// the erasure's checkpoint and VACUUM) or of the search index holds the
// marker. Re-importing the file warns on their row and creates nobody.
func TestErasureLeavesNoTrace(t *testing.T) {
	for _, dia := range dbtest.Dialects {
		t.Run(dbtest.Name(dia), func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			url := ""
			if dia == dialect.Postgres {
				url = dbtest.CreatePostgres(t)
			}
			d, err := db.Open(ctx, url, dir, search.Outbox(), nil)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { d.Close() })
			if _, err := d.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			idx, err := search.Open(ctx, search.Options{Dir: filepath.Join(dir, "index"), Querier: d.Querier(), DB: d.SQL, Dialect: d.Dialect})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { idx.Close() })
			id, other := seedMarked(t, d)
			if err := idx.Sync(ctx); err != nil {
				t.Fatal(err)
			}
			if !dirHas(t, filepath.Join(dir, "index"), marker) {
				t.Fatal("the index does not hold the marker before the erasure: the test proves nothing")
			}
			if dia == dialect.Postgres && !bytes.Contains(bytes.ToLower(pgDump(t, url)), []byte(marker)) {
				t.Fatal("pg_dump does not hold the marker before the erasure: the test proves nothing")
			}

			w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
			p := crm.NewPrivacy(d, w, idx)
			mgr := crm.WithActor(ctx, crm.Actor{UserID: 1, Name: "Katrin Vogel", Role: crm.RoleManager})
			checkAccessReport(t, p, mgr, id)
			rep, err := p.Erase(mgr, []int{id}, crm.EraseOptions{})
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("erasure: %+v", rep)
			if rep.Interactions != 1 || rep.Shared != 1 || rep.ImportFiles != 1 || rep.ImportRows < 1 || rep.ExportLogs != 1 {
				t.Errorf("erasure report %+v", rep)
			}
			if n := d.Client.Participation.Query().CountX(ctx); n != 1 {
				t.Errorf("participations left: %d, want the other person's 1", n)
			}
			if _, err := d.Client.Contact.Get(ctx, other); err != nil {
				t.Errorf("the other person: %v", err)
			}
			trailKeepsFieldNames(t, d, id)

			if dia == dialect.Postgres {
				if dump := pgDump(t, url); bytes.Contains(bytes.ToLower(dump), []byte(marker)) {
					t.Errorf("pg_dump holds the marker after the erasure: %s", around(dump, marker))
				}
			}
			for _, f := range filesUnder(t, dir) {
				b, _ := os.ReadFile(f)
				if bytes.Contains(bytes.ToLower(b), []byte(marker)) {
					t.Errorf("%s holds the marker after the erasure: %q", f, around(b, marker))
				}
			}
			if hits, err := idx.Search(ctx, search.Request{Q: marker}); err == nil && hits.Total != 0 {
				t.Errorf("a search for the marker finds %d", hits.Total)
			}

			// Suppression: re-importing the file warns on the erased person's row.
			u := d.Client.User.Query().FirstX(ctx)
			j := importFile(t, d, u, markedCSV())
			rows := d.Client.ImportRow.Query().Where(importrow.ImportID(j.ID), importrow.DryRun(false)).Order(importrow.ByRowNo()).AllX(ctx)
			if len(rows) != 2 || rows[0].Action != importrow.ActionError || !strings.Contains(rows[0].Reason, "asked to be erased on") {
				t.Errorf("re-import rows %+v", rows)
			}
			if n := d.Client.Contact.Query().CountX(ctx); n != 1 {
				t.Errorf("%d contacts after the re-import, want 1 (the other person)", n)
			}
		})
	}
}

// trailKeepsFieldNames: the erased person's audit events keep who did what
// to which field; every value is "[erased]".
func trailKeepsFieldNames(t *testing.T, d *db.DB, id int) {
	t.Helper()
	evs := d.Client.AuditEvent.Query().Where(auditevent.Entity(crm.EntityContact), auditevent.EntityID(id)).AllX(context.Background())
	fields, args := 0, 0
	for _, ev := range evs {
		if ev.Summary != "[erased]" || ev.ActorName == "" || ev.Action == "" {
			t.Errorf("audit event after the erasure: %s by %q, summary %q", ev.Action, ev.ActorName, ev.Summary)
		}
		for k, v := range ev.MessageArgs { // the message (a catalogue ID) stays, its values go
			args++
			if v != "[erased]" || ev.Message == "" {
				t.Errorf("audit event %d, message %q, argument %s: %q after the erasure", ev.ID, ev.Message, k, v)
			}
		}
		for k, v := range ev.Changes {
			fields++
			if v != [2]any{"[erased]", "[erased]"} {
				t.Errorf("audit event %d, field %s: %v after the erasure", ev.ID, k, v)
			}
		}
	}
	if fields == 0 || args == 0 {
		t.Errorf("the %d audit events of the person name no changed field (%d) or message argument (%d) after the erasure", len(evs), fields, args)
	}
}

func markedCSV() []byte {
	return []byte("Vorname;Nachname;E-Mail;Stadt\n" +
		"Anna" + marker + ";Berg" + marker + ";anna." + marker + "@example.com;Kiel" + marker + "\n" +
		"Jonas;Weber;jonas.weber@example.com;Hamburg\n")
}

// seedMarked makes the marked person (through an import, then the writer)
// and everything around them; it returns their id and the other person's.
func seedMarked(t *testing.T, d *db.DB) (int, int) {
	t.Helper()
	ctx := context.Background()
	u, err := crm.CreateUser(ctx, d.Client, crm.UserInput{Email: "katrin@example.com", Name: "Katrin Vogel", Role: "manager", Password: "a long test password"})
	if err != nil {
		t.Fatal(err)
	}
	ctx = crm.WithActor(ctx, crm.Actor{UserID: u.ID, Name: u.Name, Role: "manager"})
	j := importFile(t, d, u, markedCSV())
	if j.CreatedCount != 2 {
		t.Fatalf("import created %d", j.CreatedCount)
	}
	w := crm.NewContactWriter(d.Client, d.Dialect, nil, nil)
	var me, other int
	for _, e := range d.Client.ContactEmail.Query().AllX(ctx) {
		if strings.Contains(e.Address, marker) {
			me = e.ContactID
		} else {
			other = e.ContactID
		}
	}
	ins, err := w.LoadContactInputs(ctx, nil, []int{me})
	if err != nil {
		t.Fatal(err)
	}
	in := ins[me]
	m := marker
	in.Title, in.Bio, in.Region, in.Country = "Redakteurin "+m, "Schreibt über "+m, "Nord"+m, "DE"
	in.Languages = []string{"de"}
	in.ConsentSource, in.LawfulBasis, in.ConsentState = "Messe "+m, "consent", "given"
	in.Emails = append(in.Emails, crm.EmailInput{Address: "privat." + m + "@example.org", Type: "private"})
	in.Channels = []crm.ChannelInput{{Platform: "x", Handle: m + "anna", Followers: 1200}}
	in.Phones = nil
	if _, err := w.UpdateNoted(ctx, me, in, crm.PrivacyNote{Evidence: "Formular " + m, WordingVersion: "v1-" + m}); err != nil {
		t.Fatal(err)
	}
	if err := w.RecordConsent(ctx, me, crm.ConsentChange{Note: crm.PrivacyNote{Notice: &crm.Notice{At: time.Now(), Method: "Brief " + m}}}); err != nil {
		t.Fatal(err)
	}
	own, err := crm.LogInteraction(ctx, d.Client, u.ID, crm.InteractionInput{ContactIDs: []int{me}, Type: "call", Direction: "outbound",
		OccurredAt: time.Now().Add(-time.Hour), Subject: "Anruf " + m, Body: "Notiz " + m, Sentiment: "positive"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := crm.LogInteraction(ctx, d.Client, u.ID, crm.InteractionInput{ContactIDs: []int{me, other}, Type: "meeting", Direction: "outbound",
		OccurredAt: time.Now().Add(-2 * time.Hour), Subject: "Treffen " + m, Body: "Gemeinsam " + m, Sentiment: "neutral"}); err != nil {
		t.Fatal(err)
	}
	if _, err := crm.Nominate(ctx, d.Client, me, crm.NominationInput{Reason: "Empfiehlt uns " + m, InteractionIDs: []int{own.ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := crm.CreateTask(ctx, d.Client, me, crm.TaskInput{Title: "Anna " + m + " anrufen", Due: time.Now().AddDate(0, 0, 3).Format("2006-01-02")}); err != nil {
		t.Fatal(err)
	}
	sels := crm.NewSelections(d.Client, d.Dialect, nil, nil, nil)
	if _, _, err := crm.StartExport(ctx, sels, crm.ExportRequest{Selection: crm.Selection{Query: "anna." + m + "@example.com"},
		Format: "csv", Columns: []string{"first_name", "last_name", "email"}, Purpose: "Einladung Pressekonferenz"}, time.Now()); err != nil {
		t.Fatal(err)
	}
	return me, other
}

// importFile uploads data as u, dry-runs and runs it.
func importFile(t *testing.T, d *db.DB, u *ent.User, data []byte) *ent.ImportJob {
	t.Helper()
	ctx := context.Background()
	j, err := importing.CreateJob(ctx, d.Client, importing.NewJob{UserID: &u.ID, Filename: "presse.csv", Data: data})
	if err != nil {
		t.Fatal(err)
	}
	if j, err = importing.SetMapping(ctx, d.Client, j, j.Mapping); err != nil {
		t.Fatal(err)
	}
	r := &importing.Runner{Client: d.Client, Worker: "test", BatchSize: 10}
	if _, err := r.DryRun(ctx, j.ID); err != nil {
		t.Fatal(err)
	}
	if ok, err := importing.Claim(ctx, d.Client, j.ID, "test", true); err != nil || !ok {
		t.Fatalf("claim: %v %v", ok, err)
	}
	if err := r.Run(ctx, j.ID); err != nil {
		t.Fatal(err)
	}
	return d.Client.ImportJob.GetX(ctx, j.ID)
}

func pgDump(t *testing.T, url string) []byte {
	t.Helper()
	out, err := exec.Command("pg_dump", "--no-owner", url).Output()
	if err != nil {
		t.Fatalf("pg_dump: %v", err)
	}
	return out
}

func filesUnder(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.Walk(dir, func(p string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			out = append(out, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func dirHas(t *testing.T, dir, s string) bool {
	for _, f := range filesUnder(t, dir) {
		if b, _ := os.ReadFile(f); bytes.Contains(bytes.ToLower(b), []byte(s)) {
			return true
		}
	}
	return false
}

func around(b []byte, s string) string {
	i := bytes.Index(bytes.ToLower(b), []byte(s))
	lo, hi := max(0, i-80), min(len(b), i+len(s)+80)
	return string(b[lo:hi])
}

// checkAccessReport: the access report holds every marked value and the
// export that included the person.
func checkAccessReport(t *testing.T, p *crm.Privacy, ctx context.Context, id int) {
	t.Helper()
	req, err := p.RequestAccess(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if d := req.DueAt.Sub(req.RequestedAt); d < 28*24*time.Hour || d > 31*24*time.Hour {
		t.Errorf("access request due after %v, want one month", d)
	}
	r, err := p.Access(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	m := marker
	for _, want := range []string{"Anna" + m, "Berg" + m, "anna." + m + "@example.com", "privat." + m + "@example.org", m + "anna",
		"Kiel" + m, "Nord" + m, "Redakteurin " + m, "Schreibt über " + m, "Messe " + m, "Formular " + m, "v1-" + m, "Brief " + m,
		"Anruf " + m, "Notiz " + m, "Treffen " + m, "Gemeinsam " + m, "Empfiehlt uns " + m, "Anna " + m + " anrufen",
		"Einladung Pressekonferenz", `"Other participants":"1 (redacted)"`, `"Format":"csv"`, `"By":"Katrin Vogel"`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("the access report lacks %q", want)
		}
	}
	if strings.Contains(string(b), "jonas") || strings.Contains(string(b), "Weber") {
		t.Error("the access report names the other participant")
	}
}
