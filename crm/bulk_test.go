package crm

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"reflect"
	"slices"
	"sync"
	"testing"

	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/bulkaction"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/schema"
	"github.com/rapport-crm/rapport/ent/user"
)

// bulkFixture creates n contacts through the writer: every third in
// München (of those, every second already tagged "Messe"), the first one
// an advocate; and a staff member and a manager.
func bulkFixture(t *testing.T, d *db.DB, n int) (w *ContactWriter, staff, manager Actor) {
	t.Helper()
	ctx := context.Background()
	w = NewContactWriter(d.Client, d.Dialect, nil, nil)
	ws := make([]ContactWrite, n)
	for i := range ws {
		in := ContactInput{FirstName: fmt.Sprintf("Anna%d", i), LastName: "Berger", Stage: "engaged", Region: "Berlin",
			Tags: []string{"Presse"}, LawfulBasis: "legitimate_interest", ConsentState: "none", Kind: "journalist"}
		if i%3 == 0 {
			in.Region = "München"
			if i%2 == 0 {
				in.Tags = append(in.Tags, "Messe")
			}
		}
		if i == 0 {
			in.Stage = "advocate"
		}
		ws[i] = ContactWrite{In: in}
	}
	if err := db.WithTx(ctx, d.Client, func(ctx context.Context, tx *ent.Tx) error {
		_, err := w.Write(ctx, tx, ws, WriteOptions{Trusted: true})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	mk := func(name string, role user.Role) Actor {
		u := d.Client.User.Create().SetEmail(name + "@example.com").SetName(name).SetRole(role).SetPasswordHash("x").SaveX(ctx)
		return Actor{UserID: u.ID, Name: u.Name, Role: string(role)}
	}
	return w, mk("staff", user.RoleStaff), mk("manager", user.RoleManager)
}

func tagged(t *testing.T, d *db.DB, tag string) []int {
	t.Helper()
	var ids []int
	rows, err := d.SQL.QueryContext(context.Background(),
		"SELECT l.contact_id FROM contact_tags l JOIN tags t ON t.id = l.tag_id WHERE t.name = '"+tag+"' ORDER BY 1")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// TestBulkTagAgreesAndUndoes: "all matching" changes exactly the ids the
// selection resolver gives, the preview says how many change and which are
// skipped, every change is audited, and the undo restores every contact
// exactly.
func TestBulkTagAgreesAndUndoes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w, staff, _ := bulkFixture(t, d, 60)
		ctx := WithActor(context.Background(), staff)
		sels := NewSelections(d.Client, d.Dialect, nil, nil, nil)
		b := NewBulkActions(d.Client, w, sels, nil)
		sel := Selection{Filter: schema.SegmentFilter{Regions: []string{"München"}}}
		res, err := sels.Resolve(ctx, sel, false)
		if err != nil {
			t.Fatal(err)
		}
		all := slices.Sorted(slices.Values(res.All))
		had := tagged(t, d, "Messe")
		before, err := w.LoadContactInputs(ctx, nil, all)
		if err != nil {
			t.Fatal(err)
		}
		req := BulkRequest{Action: "add_tag", Value: " Messe ", Scope: BulkScopeAll, Selection: sel}
		p, err := b.Preview(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if p.Total != 20 || p.Change != 10 || p.Skipped[SkipAlready] != 10 || p.Description != "add tag “Messe”" {
			t.Fatalf("preview total %d change %d skipped %v %q", p.Total, p.Change, p.Skipped, p.Description)
		}
		id, err := b.Start(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		if got := tagged(t, d, "Messe"); !reflect.DeepEqual(got, all) {
			t.Fatalf("tagged %v, resolver %v", got, all)
		}
		ba := d.Client.BulkAction.GetX(ctx, id)
		if ba.Status != bulkaction.StatusDone || ba.Changed != 10 || ba.Skipped != 10 || ba.Processed != 20 {
			t.Fatalf("action %+v", ba)
		}
		evs := d.Client.AuditEvent.Query().Where(auditevent.SummaryHasPrefix(fmt.Sprintf("bulk #%d", id))).AllX(ctx)
		if len(evs) != 10 || evs[0].ActorID == nil || *evs[0].ActorID != staff.UserID {
			t.Fatalf("%d audit events", len(evs))
		}
		if err := b.Undo(ctx, id); err != nil {
			t.Fatal(err)
		}
		if got := tagged(t, d, "Messe"); !reflect.DeepEqual(got, had) {
			t.Fatalf("after undo tagged %v, before %v", got, had)
		}
		sameInputs(t, w, before)
		if err := b.Undo(ctx, id); ErrorCode(err) != EConflict {
			t.Fatalf("second undo: %v", err)
		}
	})
}

// TestBulkRules: never to advocate, lifting
// do-not-contact only for managers (also by undoing a "mark"), undo only by
// its author or a manager.
func TestBulkRules(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w, staff, manager := bulkFixture(t, d, 6)
		b := NewBulkActions(d.Client, w, NewSelections(d.Client, d.Dialect, nil, nil, nil), nil)
		ids := d.Client.Contact.Query().IDsX(context.Background())
		sctx, mctx := WithActor(context.Background(), staff), WithActor(context.Background(), manager)
		if _, err := b.Preview(sctx, BulkRequest{Action: "set_stage", Value: "advocate", Scope: BulkScopeRows, IDs: ids}); ErrorCode(err) != EInvalid {
			t.Fatalf("to advocate: %v", err)
		}
		p, err := b.Preview(sctx, BulkRequest{Action: "set_stage", Value: "supporter", Scope: BulkScopeRows, IDs: ids})
		if err != nil {
			t.Fatal(err)
		}
		if p.Skipped[SkipAlready] != 0 || p.Change != 6 {
			t.Fatalf("stage preview %+v", p)
		}
		if _, err := b.Start(sctx, BulkRequest{Action: "set_do_not_contact", Value: "false", Scope: BulkScopeRows, IDs: ids}); ErrorCode(err) != EForbidden {
			t.Fatalf("staff lifts dnc: %v", err)
		}
		mark, err := b.Start(sctx, BulkRequest{Action: "set_do_not_contact", Value: "true", Scope: BulkScopeRows, IDs: ids})
		if err != nil {
			t.Fatal(err)
		}
		if n := d.Client.Contact.Query().Where(contact.DoNotContact(true)).CountX(sctx); n != 6 {
			t.Fatalf("%d marked", n)
		}
		if err := b.Undo(sctx, mark); ErrorCode(err) != EForbidden {
			t.Fatalf("staff undoes a mark: %v", err)
		}
		if err := b.Undo(mctx, mark); err != nil {
			t.Fatal(err)
		}
		other := Actor{UserID: manager.UserID + 100, Role: RoleStaff}
		tag, err := b.Start(sctx, BulkRequest{Action: "add_tag", Value: "X", Scope: BulkScopeRows, IDs: ids})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Undo(WithActor(context.Background(), other), tag); ErrorCode(err) != EForbidden {
			t.Fatalf("someone else's undo: %v", err)
		}
	})
}

// TestBulkWorkerAndParallelUndo: an action over BulkSyncMax is queued and
// run by the worker in chunks; two undo requests at once undo it once.
func TestBulkWorkerAndParallelUndo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w, staff, _ := bulkFixture(t, d, BulkSyncMax+100)
		ctx := WithActor(context.Background(), staff)
		b := NewBulkActions(d.Client, w, NewSelections(d.Client, d.Dialect, nil, nil, nil), nil)
		id, err := b.Start(ctx, BulkRequest{Action: "set_region", Value: "Hamburg", Scope: BulkScopeAll})
		if err != nil {
			t.Fatal(err)
		}
		if ba := d.Client.BulkAction.GetX(ctx, id); ba.Status != bulkaction.StatusQueued {
			t.Fatalf("status %s", ba.Status)
		}
		if err := b.Work(context.Background(), discardLog()); err != nil {
			t.Fatal(err)
		}
		if n := d.Client.Contact.Query().Where(contact.Region("Hamburg")).CountX(ctx); n != BulkSyncMax+100 {
			t.Fatalf("%d in Hamburg", n)
		}
		ba := d.Client.BulkAction.GetX(ctx, id)
		if ba.Status != bulkaction.StatusDone || ba.Changed != BulkSyncMax+100 {
			t.Fatalf("action %+v", ba)
		}
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i := range errs {
			wg.Add(1)
			go func() { defer wg.Done(); errs[i] = b.Undo(ctx, id) }()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Fatalf("two undos: %v, %v", errs[0], errs[1])
		}
		if err := b.Work(context.Background(), discardLog()); err != nil {
			t.Fatal(err)
		}
		ba = d.Client.BulkAction.GetX(ctx, id)
		if ba.Status != bulkaction.StatusUndone || ba.UndoProcessed != BulkSyncMax+100 || ba.UndoKept != 0 {
			t.Fatalf("undone %+v", ba)
		}
	})
}

func discardLog() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// TestBulkSetWiseEntry: an entry that changes something beside the
// contacts' fields (as "add to campaign" will) is one RegisterBulk call;
// preview, run, progress and undo come from the service.
func TestBulkSetWiseEntry(t *testing.T) {
	var mu sync.Mutex
	list := map[int]bool{} // stands for a campaign's target list
	RegisterBulk(BulkOp{Key: "test_list", Label: "Add to test list", Arg: "tag",
		Check:    func(_ context.Context, _ *ent.Client, v string) (string, error) { return v, nil },
		Describe: func(v string) string { return "add to list " + v },
		SetWise: &BulkSetWise{
			Skip: func(_ context.Context, _ *ent.Client, ids []int, _ string) (map[int]string, error) {
				mu.Lock()
				defer mu.Unlock()
				out := map[int]string{}
				for _, id := range ids {
					if list[id] {
						out[id] = SkipAlready
					}
				}
				return out, nil
			},
			Apply: func(_ context.Context, _ *ent.Tx, ids []int, _ string) (map[int]string, error) {
				mu.Lock()
				defer mu.Unlock()
				out := map[int]string{}
				for _, id := range ids {
					if !list[id] {
						list[id], out[id] = true, ""
					}
				}
				return out, nil
			},
			Undo: func(_ context.Context, _ *ent.Tx, before map[int]string, _ string) (int, error) {
				mu.Lock()
				defer mu.Unlock()
				for id := range before {
					delete(list, id)
				}
				return 0, nil
			},
		}})
	defer func() { bulkOps = slices.DeleteFunc(bulkOps, func(op BulkOp) bool { return op.Key == "test_list" }) }()
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		clear(list)
		w, staff, _ := bulkFixture(t, d, 9)
		ctx := WithActor(context.Background(), staff)
		b := NewBulkActions(d.Client, w, NewSelections(d.Client, d.Dialect, nil, nil, nil), nil)
		ids := d.Client.Contact.Query().IDsX(ctx)
		list[ids[0]] = true
		req := BulkRequest{Action: "test_list", Value: "Frühjahr", Scope: BulkScopeRows, IDs: ids}
		p, err := b.Preview(ctx, req)
		if err != nil || p.Change != 8 || p.Skipped[SkipAlready] != 1 {
			t.Fatalf("preview %+v %v", p, err)
		}
		id, err := b.Start(ctx, req)
		if err != nil || len(list) != 9 {
			t.Fatalf("start: %v, %d on the list", err, len(list))
		}
		if err := b.Undo(ctx, id); err != nil || len(list) != 1 || !list[ids[0]] {
			t.Fatalf("undo: %v, list %v", err, list)
		}
	})
}

// TestBulkWithConcurrentSaves: form saves racing a bulk change lose
// nothing: the bulk change retries a chunk that met a save, each save
// either lands or is refused as stale (EConflict), and at the end every
// contact has the tag and every acknowledged title.
func TestBulkWithConcurrentSaves(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		w, staff, _ := bulkFixture(t, d, 60)
		ctx := WithActor(context.Background(), staff)
		b := NewBulkActions(d.Client, w, NewSelections(d.Client, d.Dialect, nil, nil, nil), nil)
		ids := d.Client.Contact.Query().IDsX(ctx)
		var wg sync.WaitGroup
		saved := make([]string, len(ids))
		for i, id := range ids {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ins, err := w.LoadContactInputs(ctx, nil, []int{id})
				if err != nil {
					t.Error(err)
					return
				}
				in := ins[id]
				in.Title = fmt.Sprintf("Redakteurin %d", i)
				if _, err := w.Update(ctx, id, in); err == nil {
					saved[i] = in.Title
				} else if ErrorCode(err) != EConflict {
					t.Error(err)
				}
			}()
		}
		bulkErr := make(chan error, 1)
		go func() {
			_, err := b.Start(ctx, BulkRequest{Action: "add_tag", Value: "Sommerfest", Scope: BulkScopeRows, IDs: ids})
			bulkErr <- err
		}()
		wg.Wait()
		if err := <-bulkErr; err != nil {
			t.Fatal(err)
		}
		if got := tagged(t, d, "Sommerfest"); len(got) != len(ids) {
			t.Fatalf("%d of %d tagged", len(got), len(ids))
		}
		for i, id := range ids {
			if c := d.Client.Contact.GetX(ctx, id); saved[i] != "" && c.Title != saved[i] {
				t.Errorf("contact %d: title %q, the acknowledged save said %q", id, c.Title, saved[i])
			}
		}
	})
}

// sameInputs fails unless every contact of before loads back with the same
// input (its version aside): what an exact undo promises.
func sameInputs(t *testing.T, w *ContactWriter, before map[int]ContactInput) {
	t.Helper()
	after, err := w.LoadContactInputs(context.Background(), nil, slices.Collect(maps.Keys(before)))
	if err != nil {
		t.Fatal(err)
	}
	for id, in := range before {
		a := after[id]
		a.Version, in.Version = 0, 0
		if !reflect.DeepEqual(a, in) {
			t.Fatalf("contact %d after undo\n%+v\nbefore\n%+v", id, a, in)
		}
	}
}
