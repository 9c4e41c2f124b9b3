package crm

import (
	"bytes"
	"context"
	"encoding/csv"
	"maps"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/auditevent"
	"github.com/rapport-crm/rapport/ent/exportlog"
	"github.com/rapport-crm/rapport/ent/schema"
)

// TestExportDownloadLeavesOutLaterOptOuts: a staff export waits for
// approval; meanwhile one member withdraws consent and one is marked
// do-not-contact. The download leaves both out (the resolver's exclusion
// rules, as they stand at download), in the frozen order, says so by
// reason and in the audit trail; a manager's logged override keeps them.
func TestExportDownloadLeavesOutLaterOptOuts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		staff, _ := CreateUser(ctx, d.Client, UserInput{Email: "s@example.com", Name: "Sam", Role: RoleStaff, Password: "long enough password"})
		boss, _ := CreateUser(ctx, d.Client, UserInput{Email: "m@example.com", Name: "Mia", Role: RoleManager, Password: "long enough password"})
		var ids []int
		for _, last := range []string{"Albers", "Böhm", "Christ", "Dietz"} {
			c, err := CreateContact(ctx, d.Client, ContactInput{FirstName: "Zoë", LastName: last, LawfulBasis: "legitimate_interest",
				Tags: []string{"Presse"}, Emails: []EmailInput{{Address: last + "@example.com"}}})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, c.ID)
		}
		sels := NewSelections(d.Client, d.Dialect, nil, nil, nil)
		sctx := WithActor(ctx, Actor{UserID: staff.ID, Name: "Sam", Role: RoleStaff})
		mctx := WithActor(ctx, Actor{UserID: boss.ID, Name: "Mia", Role: RoleManager})
		req := ExportRequest{Selection: Selection{Filter: schema.SegmentFilter{Tags: []string{"Presse"}}}, Format: export.CSV,
			Columns: []string{"id", "last_name", "email"}, Purpose: "Einladung Pressekonferenz", DailyLimit: 1}
		log, _, err := StartExport(sctx, sels, req, time.Now())
		if err != nil || log.Status != exportlog.StatusPendingApproval || !slices.Equal(log.MemberIds, ids) {
			t.Fatalf("export: %v %v %v", err, log.Status, log.MemberIds)
		}
		// While it waits, Böhm withdraws consent and Dietz must not be contacted.
		w := NewContactWriter(d.Client, d.Dialect, nil, nil)
		yes := true
		for id, ch := range map[int]ConsentChange{ids[1]: {ConsentState: "withdrawn", Source: "E-Mail"}, ids[3]: {DoNotContact: &yes, Source: "Anruf"}} {
			if err := w.RecordConsent(mctx, id, ch); err != nil {
				t.Fatal(err)
			}
		}
		if err := DecideExport(mctx, d.Client, log.ID, true); err != nil {
			t.Fatal(err)
		}
		log = d.Client.ExportLog.GetX(ctx, log.ID)
		keep, left, err := LeftOutSince(sctx, sels, log)
		wantLeft := map[string]int{ExcludedWithdrawn: 1, ExcludedDoNotContact: 1}
		if err != nil || !slices.Equal(keep, []int{ids[0], ids[2]}) || !maps.Equal(left, wantLeft) {
			t.Errorf("before the download: keep %v, left out %v (%v)", keep, left, err)
		}
		var buf bytes.Buffer
		dl, err := WriteExport(sctx, sels, export.Loader{DB: d.SQL, Dialect: d.Dialect}, &buf, log)
		if err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range recs[1:] {
			got = append(got, r[0])
		}
		if want := []string{strconv.Itoa(ids[0]), strconv.Itoa(ids[2])}; !slices.Equal(got, want) || dl.Rows != 2 || !maps.Equal(dl.LeftOut, wantLeft) {
			t.Errorf("download wrote %v (%d rows, left out %v), want %v and %v", got, dl.Rows, dl.LeftOut, want, wantLeft)
		}
		ev, err := d.Client.AuditEvent.Query().Where(auditevent.Entity(EntityExport), auditevent.EntityID(log.ID),
			auditevent.Message(MsgExportLeftOut(2).ID())).Only(ctx)
		if err != nil {
			t.Fatalf("no audit event of the download's left-out contacts: %v", err)
		}
		if ev.MessageArgs["Count"] != "2" {
			t.Errorf("audit event arguments %v", ev.MessageArgs)
		}

		// A manager's logged override exports excluded people on purpose.
		req.IncludeExcluded, req.OverrideReason = true, "Rechtsabteilung braucht die vollständige Liste"
		over, _, err := StartExport(mctx, sels, req, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		buf.Reset()
		dl, err = WriteExport(mctx, sels, export.Loader{DB: d.SQL, Dialect: d.Dialect}, &buf, over)
		if err != nil || dl.Rows != 4 || len(dl.LeftOut) != 0 {
			t.Errorf("override download: %v, %d rows, left out %v", err, dl.Rows, dl.LeftOut)
		}
	})
}
