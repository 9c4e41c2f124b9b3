package crm

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent/contact"
	"github.com/rapport-crm/rapport/ent/exportlog"
	"github.com/rapport-crm/rapport/ent/schema"
)

func TestExportExcludesOptOutsAndLogs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		staff, _ := CreateUser(ctx, d.Client, UserInput{Email: "s@example.com", Name: "Sam", Role: RoleStaff, Password: "long enough password"})
		boss, _ := CreateUser(ctx, d.Client, UserInput{Email: "m@example.com", Name: "Mia", Role: RoleManager, Password: "long enough password"})
		mk := func(last, basis, consent string, dnc bool, email string) int {
			in := ContactInput{FirstName: "Zoë", LastName: last, LawfulBasis: basis, ConsentState: consent, DoNotContact: dnc,
				Tags: []string{"Presse"}, Channels: []ChannelInput{{Platform: "x", Handle: "h_" + strings.ToLower(last), Followers: 100}}}
			if email != "" {
				in.Emails = []EmailInput{{Address: email}}
			}
			c, err := CreateContact(ctx, d.Client, in)
			if err != nil {
				t.Fatal(err)
			}
			return c.ID
		}
		ok1 := mk("Albers", "legitimate_interest", "none", false, "a@example.com")
		ok2 := mk("Böhm", "consent", "given", false, "")
		mk("Dietz", "legitimate_interest", "none", true, "d@example.com")
		mk("Ernst", "consent", "withdrawn", false, "e@example.com")
		mk("Fuchs", "legitimate_interest", "objected", false, "f@example.com")
		mk("Graf", "none", "none", false, "g@example.com")

		sctx := WithActor(ctx, Actor{UserID: staff.ID, Name: "Sam", Role: RoleStaff})
		req := ExportRequest{Selection: Selection{Filter: schema.SegmentFilter{Tags: []string{"Presse"}}}, Format: export.CSV,
			Columns: []string{"id", "first_name", "last_name", "email", "reach", "consent_state"}, Purpose: "Einladung Pressekonferenz"}
		log, res, err := StartExport(sctx, d.Client, nil, req, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if log.RowCount != 2 || res.Excluded[ExcludedDoNotContact] != 1 || res.Excluded[ExcludedWithdrawn] != 1 ||
			res.Excluded[ExcludedObjected] != 1 || res.Excluded[ExcludedNoBasis] != 1 {
			t.Errorf("rows %d, excluded %v", log.RowCount, res.Excluded)
		}
		var buf bytes.Buffer
		st, err := WriteExport(sctx, d.Client, export.Loader{DB: d.SQL, Dialect: d.Dialect}, &buf, log)
		if err != nil || st.Rows != 2 {
			t.Fatalf("write: %v %+v", err, st)
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 3 || recs[1][0] != strconv.Itoa(ok1) || recs[2][0] != strconv.Itoa(ok2) {
			t.Fatalf("records %q", recs)
		}
		for _, rec := range recs[1:] {
			id, _ := strconv.Atoi(rec[0])
			c := d.Client.Contact.GetX(ctx, id)
			if rec[1] != c.FirstName || rec[2] != c.LastName || rec[4] != strconv.FormatInt(c.Reach, 10) || rec[5] != string(c.ConsentState) {
				t.Errorf("record %q differs from the database %+v", rec, c)
			}
		}
		if recs[1][3] != "a@example.com" || recs[2][3] != "" {
			t.Errorf("e-mails %q %q", recs[1][3], recs[2][3])
		}

		// A mailer format also leaves out who has no e-mail.
		req.Format = export.Mailchimp
		_, res, err = StartExport(sctx, d.Client, nil, req, time.Now())
		if err != nil || res.Excluded[ExcludedNoEmail] != 1 || len(res.IDs) != 1 {
			t.Errorf("mailer: %v %+v", err, res)
		}

		// Only managers may include opted-out people, and only with a reason.
		req.Format, req.IncludeExcluded = export.CSV, true
		if _, _, err := StartExport(sctx, d.Client, nil, req, time.Now()); ErrorCode(err) != EInvalid {
			t.Errorf("staff override: %v", err)
		}
		mctx := WithActor(ctx, Actor{UserID: boss.ID, Name: "Mia", Role: RoleManager})
		if _, _, err := StartExport(mctx, d.Client, nil, req, time.Now()); ErrorCode(err) != EInvalid {
			t.Errorf("override without reason: %v", err)
		}
		req.OverrideReason = "Rechtsabteilung braucht die vollständige Liste"
		if l, _, err := StartExport(mctx, d.Client, nil, req, time.Now()); err != nil || l.RowCount != 6 {
			t.Errorf("manager override: %v", err)
		}

		// Above the daily limit a staff export waits for approval.
		req.IncludeExcluded, req.DailyLimit = false, 3
		l, _, err := StartExport(sctx, d.Client, nil, req, time.Now())
		if err != nil || l.Status != exportlog.StatusPendingApproval {
			t.Fatalf("over the limit: %v %v", err, l.Status)
		}
		if err := CanDownload(sctx, l); ErrorCode(err) != EForbidden {
			t.Errorf("pending export downloadable: %v", err)
		}
		if err := DecideExport(sctx, d.Client, l.ID, true); err == nil {
			t.Error("staff approved an export")
		}
		if err := DecideExport(mctx, d.Client, l.ID, true); err != nil {
			t.Fatal(err)
		}
		if err := CanDownload(sctx, d.Client.ExportLog.GetX(ctx, l.ID)); err != nil {
			t.Errorf("approved export: %v", err)
		}
		if n := d.Client.AuditEvent.Query().Where().CountX(ctx); n < 8 {
			t.Errorf("exports not audited: %d events", n)
		}
		if d.Client.Contact.Query().Where(contact.DoNotContact(true)).CountX(ctx) != 1 {
			t.Error("fixture changed")
		}
	})
}
