package importing_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strings"
	"testing"

	"github.com/rapport-crm/rapport/crm"
	"github.com/rapport-crm/rapport/crm/export"
	"github.com/rapport-crm/rapport/crm/importing"
	"github.com/rapport-crm/rapport/db"
	"github.com/rapport-crm/rapport/db/dbtest"
)

// TestExcelGermanRoundTrip: Excel (Deutsch) writes German headers and German
// words for kind, stage, lawful basis and consent; the import maps those
// headers, reads the words back to their codes (a dry run finds every
// contact unchanged), and restores a stage someone reset from the file.
func TestExcelGermanRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, d *db.DB) {
		ctx := crm.WithActor(context.Background(), crm.Actor{Role: crm.RoleManager})
		u := staff(t, d)
		a, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{FirstName: "Lena", LastName: "Vogt", Kind: "blogger", Stage: "supporter",
			LawfulBasis: "legitimate_interest", Emails: []crm.EmailInput{{Address: "lena@example.de"}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := crm.CreateContact(ctx, d.Client, crm.ContactInput{FirstName: "Ömer", LastName: "Kaya", Kind: "analyst", Stage: "engaged",
			LawfulBasis: "contract", Emails: []crm.EmailInput{{Address: "oemer@example.de"}}}); err != nil {
			t.Fatal(err)
		}
		res, err := crm.NewSelections(d.Client, d.Dialect, nil, nil, nil).Resolve(ctx, crm.Selection{}, false)
		if err != nil {
			t.Fatal(err)
		}
		keys := make([]string, len(export.Columns))
		for i, c := range export.Columns {
			keys[i] = c.Key
		}
		cols, _ := export.Select(keys)
		var buf bytes.Buffer
		if _, err := export.Write(ctx, export.Loader{DB: d.SQL, Dialect: d.Dialect}, &buf, export.ExcelDE, cols, res.IDs); err != nil {
			t.Fatal(err)
		}
		r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\uFEFF")))
		r.Comma = ';'
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		cell := func(row []string, header string) string {
			for i, h := range recs[0] {
				if h == header {
					return row[i]
				}
			}
			t.Fatalf("no column %q in %q", header, recs[0])
			return ""
		}
		lena := recs[1]
		if cell(lena, "Vorname") != "Lena" {
			lena = recs[2]
		}
		for header, want := range map[string]string{"Typ": "Blogger:in", "Stufe": "Unterstützer:in",
			"Rechtsgrundlage": "Berechtigtes Interesse", "Einwilligung": "Nicht erfasst"} {
			if got := cell(lena, header); got != want {
				t.Errorf("Excel (Deutsch) %s = %q, want %q", header, got, want)
			}
		}

		if cell(lena, "Gesundheit") == "" || cell(lena, "Reichweite") != "0" {
			t.Errorf("Excel (Deutsch): Gesundheit %q, Reichweite %q", cell(lena, "Gesundheit"), cell(lena, "Reichweite"))
		}

		m := importing.Guess(recs[0])
		for header, field := range map[string]string{"Rapport-ID": "id", "Vorname": "first_name", "Typ": "kind", "Stufe": "stage",
			"Rechtsgrundlage": "lawful_basis", "Einwilligung": "consent_state", "Medien": "outlet_roles", "Reichweite": ""} {
			if m[header] != field {
				t.Errorf("column %q maps to %q, want %q", header, m[header], field)
			}
		}
		j := upload(t, d, u, "export-de.csv", buf.Bytes(), nil)
		if c := dryRun(t, d, j.ID); c.Unchanged != 2 || c.Updated+c.Created+c.Errors != 0 {
			t.Errorf("dry run of the German export: %+v, want 2 unchanged", c)
		}

		// Someone resets Lena's stage; importing the German file brings it back.
		in := contactByEmail(t, d, "lena@example.de")
		in.Stage = "unknown"
		if _, err := crm.UpdateContact(ctx, d.Client, a.ID, in); err != nil {
			t.Fatal(err)
		}
		j = upload(t, d, u, "export-de.csv", buf.Bytes(), nil)
		if c := dryRun(t, d, j.ID); c.Updated != 1 || c.Unchanged != 1 {
			t.Errorf("dry run after the reset: %+v, want 1 updated, 1 unchanged", c)
		}
		run(t, d, j.ID)
		if got := contactByEmail(t, d, "lena@example.de"); got.Stage != "supporter" || got.Kind != "blogger" || got.LawfulBasis != "legitimate_interest" {
			t.Errorf("after importing the German file: kind %q, stage %q, basis %q", got.Kind, got.Stage, got.LawfulBasis)
		}
	})
}
