package crm

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"entgo.io/ent/dialect/sql/schema"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/migrate"
	entschema "github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/locale"
)

// TestMergeMoversCoverEveryTable: every table that refers to a contact (a
// foreign key to contacts or a contact_id column) is moved by a merge
// (mergeMovers) or declared as staying (notMoved), never both; so a new
// table cannot be forgotten by merges and their undo.
func TestMergeMoversCoverEveryTable(t *testing.T) {
	moved := map[string]bool{}
	for _, m := range mergeMovers {
		if moved[m.table] {
			t.Errorf("%s is in mergeMovers twice", m.table)
		}
		moved[m.table] = true
		if tableOf(m.table) == nil {
			t.Errorf("mergeMovers names %s, which is no table", m.table)
		}
	}
	for name := range notMoved {
		if tableOf(name) == nil {
			t.Errorf("notMoved names %s, which is no table", name)
		}
		if moved[name] {
			t.Errorf("%s is both moved and not moved", name)
		}
	}
	refers := func(tb *schema.Table) bool {
		for _, fk := range tb.ForeignKeys {
			if fk.RefTable == migrate.ContactsTable {
				return true
			}
		}
		for _, c := range tb.Columns {
			if c.Name == contactCol {
				return true
			}
		}
		return false
	}
	n := 0
	for _, tb := range migrate.Tables {
		if tb == migrate.ContactsTable || !refers(tb) {
			continue
		}
		n++
		if _, stays := notMoved[tb.Name]; !moved[tb.Name] && !stays {
			t.Errorf("table %s refers to contacts: add it to mergeMovers (and say what a merge does with its rows) or to notMoved (say why)", tb.Name)
		}
		if moved[tb.Name] && tableOf(tb.Name).Columns[0] != nil && !slices.ContainsFunc(tb.Columns, func(c *schema.Column) bool { return c.Name == contactCol }) {
			t.Errorf("mergeMovers moves %s by %s, which it does not have", tb.Name, contactCol)
		}
	}
	if n < 15 {
		t.Fatalf("found only %d tables that refer to contacts", n)
	}
}

// mergeFixture is two records of one person and a third contact, with rows
// in most tables a merge moves.
type mergeFixture struct {
	ctx               context.Context
	w                 *ContactWriter
	keep, drop, other int
	user              int
}

func newMergeFixture(t *testing.T, d *db.DB) *mergeFixture {
	t.Helper()
	ctx := context.Background()
	u, err := CreateUser(ctx, d.Client, UserInput{Email: "mona@example.com", Name: "Mona Manager", Role: "manager", Password: "a long test password"})
	if err != nil {
		t.Fatal(err)
	}
	ctx = WithActor(ctx, Actor{UserID: u.ID, Name: u.Name, Role: RoleManager})
	w := NewContactWriter(d.Client, d.Dialect, nil, nil)
	f := &mergeFixture{ctx: ctx, w: w, user: u.ID}
	mk := func(in ContactInput) int {
		id, err := w.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	f.keep = mk(ContactInput{Kind: "journalist", FirstName: "Miriam", LastName: "Klein", Title: "Redakteurin", City: "München",
		Stage: "aware", LawfulBasis: "legitimate_interest", ConsentState: "none", Languages: []string{"de"},
		Emails:   []EmailInput{{Address: "miriam.klein@example.de"}},
		Channels: []ChannelInput{{Platform: "x", Handle: "mklein", Followers: 100}},
		Outlets:  []OutletRole{{Outlet: "Süddeutsche", Role: "Redakteurin"}}, Topics: []string{"Mobilität"}, Tags: []string{"Presse"}})
	f.drop = mk(ContactInput{Kind: "journalist", FirstName: "Miriam", LastName: "Klein", Title: "Ressortleiterin", City: "Muenchen",
		Stage: "engaged", LawfulBasis: "legitimate_interest", ConsentState: "none", Languages: []string{"en"},
		Phones:   []entschema.Phone{{Number: "+49 89 123456"}},
		Emails:   []EmailInput{{Address: "m.klein@example.org"}, {Address: "miriam.klein@example.de"}},
		Channels: []ChannelInput{{Platform: "instagram", Handle: "miriam.klein", Followers: 2500}},
		Outlets:  []OutletRole{{Outlet: "Süddeutsche", Role: "Redakteurin"}, {Outlet: "Abendzeitung", Role: "Autorin"}},
		Topics:   []string{"Mobilität", "Energie"}, Tags: []string{"VIP"}})
	f.other = mk(ContactInput{FirstName: "Jonas", LastName: "Berg", Stage: "unknown", LawfulBasis: "legitimate_interest", ConsentState: "none"})
	log := func(subject string, at time.Time, ids ...int) {
		if _, err := LogInteraction(ctx, d.Client, u.ID, InteractionInput{ContactIDs: ids, Type: "call", Direction: "outbound",
			OccurredAt: at, Subject: subject, Sentiment: "neutral"}); err != nil {
			t.Fatal(err)
		}
	}
	log("Anruf Miriam", time.Now().Add(-48*time.Hour), f.keep)
	log("Treffen zu dritt", time.Now().Add(-24*time.Hour), f.keep, f.drop, f.other)
	log("Interview", time.Now().Add(-time.Hour), f.drop)
	if _, err := CreateTask(ctx, d.Client, f.drop, TaskInput{Title: "Miriam zurückrufen", Due: time.Now().AddDate(0, 0, 2).Format("2006-01-02")}); err != nil {
		t.Fatal(err)
	}
	if _, err := Nominate(ctx, d.Client, f.drop, NominationInput{Reason: "Schreibt oft über uns"}); err != nil {
		t.Fatal(err)
	}
	return f
}

// state is everything a merge and its undo touch of the contacts ids: each
// one's input and row, and every moved table's rows of them.
func mergeState(t *testing.T, f *mergeFixture, d *db.DB, ids ...int) map[string][]mergeRow {
	t.Helper()
	out := map[string][]mergeRow{}
	err := db.WithTx(f.ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
		for _, id := range ids {
			rows, err := selectRows(ctx, tx, d.Dialect, tableOf(contact.Table), contact.FieldID, id)
			if err != nil {
				return err
			}
			for _, r := range rows {
				delete(r, contact.FieldVersion)
				delete(r, contact.FieldUpdatedAt)
			}
			out["contacts"] = append(out["contacts"], rows...)
			for _, m := range mergeMovers {
				rows, err := selectRows(ctx, tx, d.Dialect, tableOf(m.table), contactCol, id)
				if err != nil {
					return err
				}
				out[m.table] = append(out[m.table], rows...)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sortedRows(rows []mergeRow) []string {
	var out []string
	for _, r := range rows {
		var parts []string
		for _, k := range slices.Sorted(mapKeys(r)) {
			parts = append(parts, k+"="+sprint(r[k]))
		}
		out = append(out, strings.Join(parts, " "))
	}
	slices.Sort(out)
	return out
}

// TestMergeAndUndo: a merge moves every row of the merged contact to the
// survivor (its e-mails, channels, outlets, topics, tags, interactions,
// tasks, nominations, consent history), takes the chosen fields and both
// contacts' phones and languages, deletes the merged one and records one
// merge event; the undo brings back both contacts and every row exactly,
// and a second undo is refused.
func TestMergeAndUndo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMergeFixture(t, d)
		before := mergeState(t, f, d, f.keep, f.drop, f.other)
		ins, err := f.w.LoadContactInputs(f.ctx, nil, []int{f.keep, f.drop})
		if err != nil {
			t.Fatal(err)
		}
		ev, err := f.w.Merge(f.ctx, MergeRequest{Keep: f.keep, Drop: f.drop, KeepVersion: ins[f.keep].Version,
			DropVersion: ins[f.drop].Version, FromDrop: []string{"title", "stage"}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := f.w.LoadContactInputs(f.ctx, nil, []int{f.keep, f.drop})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := got[f.drop]; ok {
			t.Fatalf("contact %d still exists after the merge", f.drop)
		}
		m := got[f.keep]
		if m.Title != "Ressortleiterin" || m.Stage != "engaged" || m.FirstName != "Miriam" || m.City != "München" {
			t.Fatalf("merged fields: title %q stage %q first %q city %q", m.Title, m.Stage, m.FirstName, m.City)
		}
		if !slices.Equal(emailsOf(m), []string{"miriam.klein@example.de", "m.klein@example.org"}) {
			t.Fatalf("merged e-mails %v", emailsOf(m))
		}
		if len(m.Channels) != 2 || len(m.Outlets) != 2 || !slices.Equal(sortedStrings(m.Topics), []string{"Energie", "Mobilität"}) ||
			!slices.Equal(sortedStrings(m.Tags), []string{"Presse", "VIP"}) {
			t.Fatalf("merged relations: %+v %+v %v %v", m.Channels, m.Outlets, m.Topics, m.Tags)
		}
		if !slices.Equal(m.Languages, []string{"de", "en"}) || len(m.Phones) != 1 {
			t.Fatalf("merged languages %v phones %v", m.Languages, m.Phones)
		}
		c := d.Client
		if n := c.Participation.Query().CountX(f.ctx); n != 5-1 { // the shared meeting once
			t.Fatalf("%d participations after the merge, want 4", n)
		}
		if n := c.Task.Query().CountX(f.ctx); n != 1 || c.Task.Query().OnlyX(f.ctx).ContactID != f.keep {
			t.Fatalf("the task did not move")
		}
		if c.Nomination.Query().OnlyX(f.ctx).ContactID != f.keep {
			t.Fatalf("the nomination did not move")
		}
		k := c.Contact.GetX(f.ctx, f.keep)
		if k.LastInteractionAt == nil || time.Since(*k.LastInteractionAt) > 2*time.Hour {
			t.Fatalf("survivor's last interaction %v, want the merged one's interview", k.LastInteractionAt)
		}
		if k.Reach != 2600 {
			t.Fatalf("survivor's reach %d, want 2600", k.Reach)
		}
		assertConsentAgrees(t, c)
		recs, err := RecentMerges(f.ctx, c, 5)
		if err != nil || len(recs) != 1 || recs[0].EventID != ev || recs[0].Undone || !strings.Contains(recs[0].Summary, "Merged #") {
			t.Fatalf("recent merges %+v, %v", recs, err)
		}

		u, err := f.w.UndoMerge(f.ctx, ev)
		if err != nil {
			t.Fatal(err)
		}
		if u.Keep != f.keep || u.Drop != f.drop {
			t.Fatalf("undone %+v", u)
		}
		after := mergeState(t, f, d, f.keep, f.drop, f.other)
		for table, rows := range before {
			if !slices.Equal(sortedRows(rows), sortedRows(after[table])) {
				t.Errorf("%s after the undo differs:\nbefore %v\nafter  %v", table, sortedRows(rows), sortedRows(after[table]))
			}
		}
		back, err := f.w.LoadContactInputs(f.ctx, nil, []int{f.keep, f.drop})
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range []int{f.keep, f.drop} {
			a, b := ins[id], back[id]
			a.Version, b.Version = 0, 0
			if !sameInput(a, b) {
				t.Errorf("contact %d after the undo\n%+v\nbefore\n%+v", id, b, a)
			}
		}
		assertConsentAgrees(t, c)
		if _, err := f.w.UndoMerge(f.ctx, ev); ErrorCode(err) != EConflict {
			t.Fatalf("second undo: %v", err)
		}
		if recs, _ := RecentMerges(f.ctx, c, 5); !recs[0].Undone {
			t.Fatalf("the merge is not listed as undone")
		}
	})
}

func sameInput(a, b ContactInput) bool { return sprint(a) == sprint(b) }

// TestMergeKeepsStricterConsent: whoever opted out on either record stays
// opted out, whatever the form chose; the undo gives the survivor its
// consent of before back.
func TestMergeKeepsStricterConsent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMergeFixture(t, d)
		ins, _ := f.w.LoadContactInputs(f.ctx, nil, []int{f.keep, f.drop})
		in := ins[f.drop]
		in.DoNotContact, in.ConsentState = true, "objected"
		if _, err := f.w.Update(f.ctx, f.drop, in); err != nil {
			t.Fatal(err)
		}
		ev, err := f.w.Merge(f.ctx, MergeRequest{Keep: f.keep, Drop: f.drop, KeepVersion: ins[f.keep].Version,
			DropVersion: ins[f.drop].Version + 1, FromDrop: nil})
		if err != nil {
			t.Fatal(err)
		}
		k := d.Client.Contact.GetX(f.ctx, f.keep)
		if !k.DoNotContact || k.ConsentState != "objected" {
			t.Fatalf("merged consent: do-not-contact %v, state %s", k.DoNotContact, k.ConsentState)
		}
		assertConsentAgrees(t, d.Client)
		if _, err := f.w.UndoMerge(f.ctx, ev); err != nil {
			t.Fatal(err)
		}
		k = d.Client.Contact.GetX(f.ctx, f.keep)
		l := d.Client.Contact.GetX(f.ctx, f.drop)
		if k.DoNotContact || k.ConsentState != "none" || !l.DoNotContact || l.ConsentState != "objected" {
			t.Fatalf("after undo: keep %v/%s, drop %v/%s", k.DoNotContact, k.ConsentState, l.DoNotContact, l.ConsentState)
		}
		assertConsentAgrees(t, d.Client)
	})
}

// TestMergeRefusals: only managers merge and undo; a merge from a stale
// form is refused; an undo after the survivor or a moved row changed is
// refused with a message saying so, and changes nothing.
func TestMergeRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMergeFixture(t, d)
		ins, _ := f.w.LoadContactInputs(f.ctx, nil, []int{f.keep, f.drop})
		req := MergeRequest{Keep: f.keep, Drop: f.drop, KeepVersion: ins[f.keep].Version, DropVersion: ins[f.drop].Version}
		staff := WithActor(context.Background(), Actor{UserID: f.user, Name: "Sam", Role: "staff"})
		if _, err := f.w.Merge(staff, req); ErrorCode(err) != EForbidden {
			t.Fatalf("staff merge: %v", err)
		}
		stale := req
		stale.DropVersion--
		if _, err := f.w.Merge(f.ctx, stale); ErrorCode(err) != EConflict {
			t.Fatalf("stale merge: %v", err)
		}
		ev, err := f.w.Merge(f.ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.w.UndoMerge(staff, ev); ErrorCode(err) != EForbidden {
			t.Fatalf("staff undo: %v", err)
		}
		task := d.Client.Task.Query().OnlyX(f.ctx)
		if _, err := CompleteTask(f.ctx, d.Client, task.ID); err != nil {
			t.Fatal(err)
		}
		_, err = f.w.UndoMerge(f.ctx, ev)
		id, kv := UserMessage(err)
		if de := locale.Get(locale.German).T(id, kv...); ErrorCode(err) != EConflict || !strings.Contains(err.Error(), "changed after the merge") || !strings.Contains(de, "Kontakt Nr. 1 oder") {
			t.Fatalf("undo after a moved task changed: %v", err)
		}
		if n := d.Client.Contact.Query().Where(contact.ID(f.drop)).CountX(f.ctx); n != 0 {
			t.Fatalf("a refused undo brought the contact back")
		}
		// Erasing the survivor erases the snapshot (the merged person's data) with it.
		if _, err := f.w.Erase(f.ctx, []int{f.keep}, EraseOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := f.w.UndoMerge(f.ctx, ev); ErrorCode(err) != EConflict || !strings.Contains(err.Error(), "erased") {
			t.Fatalf("undo after the survivor was erased: %v", err)
		}
	})
}

// TestMergeUnderConcurrentEdits: a merge and saves of both contacts run at
// once; each save either lands before the merge read the contacts (the
// merge then fails as stale) or fails as a conflict, so no save is lost
// and no row is left on a deleted contact.
func TestMergeUnderConcurrentEdits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		f := newMergeFixture(t, d)
		ins, _ := f.w.LoadContactInputs(f.ctx, nil, []int{f.keep, f.drop})
		var wg sync.WaitGroup
		var mergeErr error
		editErrs := make([]error, 4)
		wg.Add(5)
		go func() {
			defer wg.Done()
			_, mergeErr = f.w.Merge(f.ctx, MergeRequest{Keep: f.keep, Drop: f.drop, KeepVersion: ins[f.keep].Version, DropVersion: ins[f.drop].Version})
		}()
		for i := range editErrs {
			go func() {
				defer wg.Done()
				id := []int{f.keep, f.drop}[i%2]
				in := ins[id]
				in.Bio = "Bearbeitet " + string(rune('A'+i))
				_, editErrs[i] = f.w.Update(f.ctx, id, in)
			}()
		}
		wg.Wait()
		saved := 0
		for _, err := range editErrs {
			switch {
			case err == nil:
				saved++
			case ErrorCode(err) != EConflict && ErrorCode(err) != ENotFound:
				t.Fatalf("edit: %v", err)
			}
		}
		if mergeErr != nil && ErrorCode(mergeErr) != EConflict {
			t.Fatalf("merge: %v", mergeErr)
		}
		if mergeErr == nil && saved > 0 {
			// a save that landed first made the merge's versions stale; a
			// merge that went first made the saves conflict
			t.Fatalf("the merge and %d saves all succeeded", saved)
		}
		if mergeErr == nil {
			var orphans int
			for _, m := range mergeMovers {
				err := db.WithTx(f.ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
					rows, err := selectRows(ctx, tx, d.Dialect, tableOf(m.table), contactCol, f.drop)
					orphans += len(rows)
					return err
				})
				if err != nil {
					t.Fatal(err)
				}
			}
			if orphans > 0 {
				t.Fatalf("%d rows left on the merged contact", orphans)
			}
		}
	})
}

func sprint(v any) string { return fmt.Sprintf("%+v", v) }
