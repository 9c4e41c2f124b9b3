package importing_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestExportImportRoundTrip: whatever Rapport exports, in every format that
// carries contacts back (all but the mailer formats, which keep only e-mail,
// names and tags — they round-trip as unchanged too), re-imports as a dry run
// with no change at all, malicious and multilingual values included.
func TestExportImportRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := crm.WithActor(context.Background(), crm.Actor{Role: crm.RoleManager})
		u := staff(t, d)
		for _, in := range []crm.ContactInput{
			{FirstName: "Jürgen", LastName: "Müller-Lüdenscheidt", Title: "Ressortleiter; Wirtschaft", City: "München", Region: "München",
				Country: "DE", Emails: []crm.EmailInput{{Address: "j.mueller@example.de"}}, Phones: nil,
				Channels: []crm.ChannelInput{{Platform: "x", Handle: "jmueller_sz", Followers: 12500}},
				Outlets:  []crm.OutletRole{{Outlet: "Süddeutsche Zeitung", Role: "Redakteur"}},
				Topics:   []string{"IT", "Gesundheit"}, Tags: []string{"VIP"}},
			{FirstName: "=HYPERLINK(\"http://evil.example\")", LastName: "@SUM(1+1)", Title: "-5 \"quoted\", with comma",
				Emails: []crm.EmailInput{{Address: "evil@example.com"}}, Tags: []string{"+49 Tag"}},
			{FirstName: "Zoë", LastName: "عربي 🎉", City: "Zürich", Country: "CH", Emails: []crm.EmailInput{{Address: "zoe@example.ch"}},
				Channels: []crm.ChannelInput{{Platform: "instagram", Handle: "zoe.ch", Followers: 800}}},
		} {
			if _, err := crm.CreateContact(ctx, d.Client, in); err != nil {
				t.Fatal(err)
			}
		}
		res, err := crm.NewSelections(d.Client, d.Dialect, nil, nil, nil).Resolve(ctx, crm.Selection{}, false)
		if err != nil {
			t.Fatal(err)
		}
		all := make([]string, len(export.Columns))
		for i, c := range export.Columns {
			all[i] = c.Key
		}
		cols, _ := export.Select(all)
		loader := export.Loader{DB: d.SQL, Dialect: d.Dialect}
		for _, f := range []struct{ format, name string }{
			{export.CSV, "export.csv"}, {export.ExcelDE, "export-de.csv"}, {export.XLSX, "export.xlsx"},
			{export.VCard, "export.vcf"}, {export.Mailchimp, "mailchimp.csv"}, {export.Listmonk, "listmonk.csv"},
		} {
			t.Run(f.format, func(t *testing.T) {
				var buf bytes.Buffer
				if _, err := export.Write(ctx, loader, &buf, f.format, cols, res.IDs); err != nil {
					t.Fatal(err)
				}
				j := upload(t, d, u, f.name, buf.Bytes(), nil)
				c := dryRun(t, d, j.ID)
				if c.Created != 0 || c.Updated != 0 || c.Errors != 0 || c.Unchanged != len(res.IDs) {
					t.Errorf("dry run of the %s export: %+v, want %d unchanged and nothing else", f.format, c, len(res.IDs))
					rows, _ := importing.Rows(ctx, d.Client, j.ID, true, "", 20)
					for _, r := range rows {
						t.Logf("row %d: %s %s", r.RowNo, r.Action, r.Reason)
					}
				}
			})
		}
	})
}
