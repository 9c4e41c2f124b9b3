package crm

import (
	"bytes"
	"cmp"
	"context"
	"encoding/csv"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
	"github.com/rapport-crm/rapport/ent"
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
		log, res, err := StartExport(sctx, NewSelections(d.Client, d.Dialect, nil, nil, nil), req, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if log.RowCount != 2 || res.Excluded[ExcludedDoNotContact] != 1 || res.Excluded[ExcludedWithdrawn] != 1 ||
			res.Excluded[ExcludedObjected] != 1 || res.Excluded[ExcludedNoBasis] != 1 {
			t.Errorf("rows %d, excluded %v", log.RowCount, res.Excluded)
		}
		var buf bytes.Buffer
		st, err := WriteExport(sctx, NewSelections(d.Client, d.Dialect, nil, nil, nil), export.Loader{DB: d.SQL, Dialect: d.Dialect}, &buf, log)
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
		_, res, err = StartExport(sctx, NewSelections(d.Client, d.Dialect, nil, nil, nil), req, time.Now())
		if err != nil || res.Excluded[ExcludedNoEmail] != 1 || len(res.IDs) != 1 {
			t.Errorf("mailer: %v %+v", err, res)
		}

		// Only managers may include opted-out people, and only with a reason.
		req.Format, req.IncludeExcluded = export.CSV, true
		if _, _, err := StartExport(sctx, NewSelections(d.Client, d.Dialect, nil, nil, nil), req, time.Now()); ErrorCode(err) != EInvalid {
			t.Errorf("staff override: %v", err)
		}
		mctx := WithActor(ctx, Actor{UserID: boss.ID, Name: "Mia", Role: RoleManager})
		if _, _, err := StartExport(mctx, NewSelections(d.Client, d.Dialect, nil, nil, nil), req, time.Now()); ErrorCode(err) != EInvalid {
			t.Errorf("override without reason: %v", err)
		}
		req.OverrideReason = "Rechtsabteilung braucht die vollständige Liste"
		if l, _, err := StartExport(mctx, NewSelections(d.Client, d.Dialect, nil, nil, nil), req, time.Now()); err != nil || l.RowCount != 6 {
			t.Errorf("manager override: %v", err)
		}

		// Above the daily limit a staff export waits for approval.
		req.IncludeExcluded, req.DailyLimit = false, 3
		l, _, err := StartExport(sctx, NewSelections(d.Client, d.Dialect, nil, nil, nil), req, time.Now())
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

// TestExportRowsMatchDatabase: every column of every row equals what the
// database holds, lists in their documented order (e-mails primary first,
// outlets, topics and tags by name, channels by followers), rows in the order
// of the ids, an id listed twice written twice and a missing id skipped.
func TestExportRowsMatchDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := WithActor(context.Background(), Actor{Role: RoleManager})
		var ids []int
		for i, in := range []ContactInput{
			{FirstName: "Ada", LastName: "Zettl", Title: "Redakteurin", City: "Wien", Country: "AT",
				Emails:   []EmailInput{{Address: "ada@example.at"}, {Address: "ada.privat@example.at"}},
				Phones:   []schema.Phone{{Number: "+43 1 234"}},
				Outlets:  []OutletRole{{Outlet: "Standard", Role: "Chefin"}, {Outlet: "Falter"}, {Outlet: "ORF", Role: "Gast"}},
				Channels: []ChannelInput{{Platform: "x", Handle: "ada_z", Followers: 50}, {Platform: "instagram", Handle: "ada.z", Followers: 900}},
				Topics:   []string{"Wirtschaft", "Bildung", "Kultur"}, Tags: []string{"VIP", "Messe", "A-Liste"}},
			{FirstName: "Bo", LastName: "Yilmaz", Emails: []EmailInput{{Address: "bo@example.de"}}, Topics: []string{"Bildung"}},
			{FirstName: "Cleo", LastName: "Xu"},
		} {
			in.LawfulBasis = "legitimate_interest"
			c, err := CreateContact(ctx, d.Client, in)
			if err != nil {
				t.Fatalf("contact %d: %v", i, err)
			}
			ids = append(ids, c.ID)
		}
		order := []int{ids[2], ids[0], 999999, ids[1], ids[0]}
		all := make([]string, len(export.Columns))
		for i, c := range export.Columns {
			all[i] = c.Key
		}
		cols, _ := export.Select(all)
		var buf bytes.Buffer
		st, err := export.Write(ctx, export.Loader{DB: d.SQL, Dialect: d.Dialect}, &buf, export.CSV, cols, order)
		if err != nil || st.Rows != 4 {
			t.Fatalf("write: %v %+v", err, st)
		}
		// Read two members per round of queries, the same file comes out.
		var windowed bytes.Buffer
		if _, err := export.Write(ctx, export.Loader{DB: d.SQL, Dialect: d.Dialect, Window: 2}, &windowed, export.CSV, cols, order); err != nil {
			t.Fatal(err)
		}
		if windowed.String() != buf.String() {
			t.Errorf("in rounds of two members:\n%s\nin one round:\n%s", windowed.String(), buf.String())
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := []int{ids[2], ids[0], ids[1], ids[0]}
		if len(recs) != len(want)+1 {
			t.Fatalf("%d records, want %d", len(recs)-1, len(want))
		}
		for i, id := range want {
			got := map[string]string{}
			for j, c := range cols {
				got[c.Key] = export.Deneutralize(recs[i+1][j])
			}
			if got["id"] != strconv.Itoa(id) {
				t.Fatalf("row %d is contact %s, want %d", i, got["id"], id)
			}
			c := d.Client.Contact.Query().Where(contact.ID(id)).WithEmails().WithTopics().WithTags().
				WithEmployments(func(q *ent.EmploymentQuery) { q.WithOutlet() }).WithChannels().OnlyX(ctx)
			emails := make([]string, 0)
			slices.SortStableFunc(c.Edges.Emails, func(a, b *ent.ContactEmail) int {
				if a.Primary != b.Primary {
					if a.Primary {
						return -1
					}
					return 1
				}
				return a.ID - b.ID
			})
			for _, e := range c.Edges.Emails {
				emails = append(emails, e.Address)
			}
			var topics, tags, outlets, channels []string
			for _, x := range c.Edges.Topics {
				topics = append(topics, x.Name)
			}
			for _, x := range c.Edges.Tags {
				tags = append(tags, x.Name)
			}
			slices.SortFunc(c.Edges.Employments, func(a, b *ent.Employment) int {
				return cmp.Or(strings.Compare(a.Edges.Outlet.Name, b.Edges.Outlet.Name), a.ID-b.ID)
			})
			for _, m := range c.Edges.Employments {
				o := m.Edges.Outlet.Name
				if m.Role != "" {
					o += " (" + m.Role + ")"
				}
				outlets = append(outlets, o)
			}
			slices.SortFunc(c.Edges.Channels, func(a, b *ent.SocialProfile) int { return cmp.Compare(b.Followers, a.Followers) })
			for _, ch := range c.Edges.Channels {
				channels = append(channels, fmt.Sprintf("%s:%s (%d)", ch.Platform, ch.Handle, ch.Followers))
			}
			slices.Sort(topics)
			slices.Sort(tags)
			var phones []string
			for _, p := range c.Phones {
				phones = append(phones, p.Number)
			}
			for key, v := range map[string]string{
				"first_name": c.FirstName, "last_name": c.LastName, "title": c.Title, "city": c.City, "country": c.Country,
				"email": first(emails), "emails": strings.Join(emails, "; "), "phones": strings.Join(phones, "; "),
				"outlets": strings.Join(outlets, "; "), "channels": strings.Join(channels, "; "), "topics": strings.Join(topics, "; "),
				"tags": strings.Join(tags, "; "), "reach": strconv.FormatInt(c.Reach, 10), "stage": string(c.Stage),
				"health": strconv.Itoa(c.Health), "lawful_basis": string(c.LawfulBasis), "consent_state": string(c.ConsentState),
			} {
				if got[key] != v {
					t.Errorf("contact %d %s = %q, want %q", id, key, got[key], v)
				}
			}
		}
	})
}

func first(xs []string) string {
	if len(xs) == 0 {
		return ""
	}
	return xs[0]
}
